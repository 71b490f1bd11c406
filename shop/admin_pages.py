"""Staff editing of the information pages (Delivery, Returns, Privacy, Contact): Django's
flatpages admin, with the page's HTML cleaned when it is saved (shop.pages), so staff see
what customers will."""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from shop.pages import page_html_clean

CONTENT_HELP = (
    "HTML: headings (h2, h3), paragraphs, lists, emphasis, tables and links. Anything else "
    "(scripts, styles, images, attributes other than a link's href) is removed on save."
)


class InfoPageForm(FlatpageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].help_text = CONTENT_HELP

    def clean_content(self) -> str:
        return page_html_clean(self.cleaned_data["content"])


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class InfoPageAdmin(FlatPageAdmin):
    form = InfoPageForm
