"""The shop's information pages: Delivery, Returns, Privacy and Contact. Staff write them in
admin (Django's flatpages, on the one Site, `SITE_ID`); bookshop.urls serves each at its
fixed address, named as in `INFO_PAGES`, and base.html's footer links to all four.

A page's content is HTML that staff write, shown as HTML by design. It is made safe with
the catalogue's sanitiser (`catalogue.richtext.clean_html`, the one call to nh3), twice:
`page_html_clean` when staff save a page in admin (shop.admin_pages), so what is stored is
what customers see, and again when the page is shown (the `page_html` filter in
flatpages/default.html), so a page written some other way (the shell, a fixture, the
database) cannot put a script, a style, an iframe or an event handler on a page either.
What survives is headings, paragraphs, lists, emphasis, tables and links (`PAGE_TAGS`,
`PAGE_ATTRIBUTES`); a link may only go to a relative, http(s), mailto or tel address.
A page's title is plain text and is escaped wherever it is shown.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from catalogue.richtext import ALLOWED_TAGS, clean_html
from shop.models import DeliveryMethod

PAGE_TAGS: frozenset[str] = ALLOWED_TAGS | {
    "h2",
    "h3",
    "a",
    "abbr",
    "address",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
PAGE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"scope"}),
}


@dataclass(frozen=True)
class InfoPage:
    name: str  # the URL name (`{% url 'delivery' %}`)
    url: str  # the flatpage's URL, which is also its address on the site


INFO_PAGES: tuple[InfoPage, ...] = (
    InfoPage("delivery", "/delivery/"),
    InfoPage("returns", "/returns/"),
    InfoPage("privacy", "/privacy/"),
    InfoPage("contact", "/contact/"),
)


def page_html_clean(markup: str) -> str:
    """A page's HTML with only `PAGE_TAGS` and `PAGE_ATTRIBUTES` left (see the module)."""
    return clean_html(markup, PAGE_TAGS, PAGE_ATTRIBUTES).strip()


def delivery_methods_offered() -> QuerySet[DeliveryMethod]:
    """The delivery methods checkout offers, in their order: for the Delivery page."""
    return DeliveryMethod.objects.filter(active=True).order_by("position", "name")
