"""Staff editing of the catalogue in Django admin.

Staff need `is_staff` and the model permissions Django creates (view/add/change/delete) for
each page; the admin site enforces both. Uploaded covers and author photos are checked by
`catalogue.covers` before they are stored, and covers get their web renditions on save.
"""

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from catalogue import covers
from catalogue.admin_onix import OnixImportAdmin, OnixUploadForm, may_import
from catalogue.isbn import InvalidISBN, compact, looks_like_isbn, normalise_isbn
from catalogue.models import Author, Book, Contribution, Imprint, OnixImport, Review, Subject
from catalogue.onix.jobs import onix_upload_store

__all__ = ["OnixImportAdmin"]

_PARTIAL_ISBN = re.compile(r"[0-9][0-9\s-]{3,}")


class CheckedImageField(forms.ImageField):
    """An image upload checked by catalogue.covers first, so staff read its specific message
    ("This image has more than 25 megapixels ...") rather than Django's generic one."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            covers.validate_image_upload(data)
        return super().to_python(data)


class BookAdminForm(forms.ModelForm):
    """The admin builds the fields from BookAdmin.fieldsets; the cover gets the checks."""

    cover = CheckedImageField(required=False, help_text=Book._meta.get_field("cover").help_text)


class AuthorAdminForm(forms.ModelForm):
    """The admin builds the fields from the model; the photo gets the checks, and a sort
    name left blank is filled in from the name (so the add-author pop-up beside a book's
    author row needs only the name)."""

    photo = CheckedImageField(required=False, help_text=Author._meta.get_field("photo").help_text)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sort_name" in self.fields:
            self.fields["sort_name"].required = False
            self.fields["sort_name"].help_text = (
                "Used for alphabetical order: Serge, Victor. Left blank, it is filled in "
                "from the name."
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sort_name") and cleaned.get("name"):
            cleaned["sort_name"] = Author.sort_name_for(cleaned["name"])
        return cleaned


class ContributionFormSet(forms.BaseInlineFormSet):
    """A book's credits. A book shown in the shop must credit at least one author: a row
    left without its author (say, because adding the author failed) is otherwise dropped
    silently, and the book would be saved with nobody's name on it."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or not self.instance.is_visible:
            return
        authors = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("author")
            and form.cleaned_data.get("role") == Contribution.Role.AUTHOR
        ]
        if not authors:
            raise forms.ValidationError(
                "A book shown in the shop needs at least one author. Choose the author "
                "(the + beside the field adds a new one), or untick “visible in the shop”.",
                code="no_author",
            )


class ImageRenditionsMixin:
    """After a save that changed `image_field`: make the new image's web renditions and,
    once the transaction commits, delete the replaced original and its renditions (an
    original may carry camera metadata such as a location that must not linger)."""

    image_field: str

    def save_model(self, request, obj, form, change: bool) -> None:
        changed = self.image_field in form.changed_data
        previous = ""
        if change and changed:
            previous = (
                type(obj).objects.filter(pk=obj.pk).values_list(self.image_field, flat=True).first()
            ) or ""
        super().save_model(request, obj, form, change)
        if not changed:
            return
        image = getattr(obj, self.image_field)
        if image:
            covers.make_renditions(image.name, image.storage)
        if previous and previous != image.name:
            storage = image.storage
            transaction.on_commit(lambda: covers.delete_image(previous, storage))


class ContributionInline(admin.TabularInline):
    model = Contribution
    formset = ContributionFormSet
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    ordering = ["position", "id"]


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    fields = ["position", "quote", "source", "url"]
    ordering = ["position", "id"]
    # A link typed without a scheme ("bookforum.com/...") is taken to be https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PublicationYearFilter(admin.SimpleListFilter):
    title = "publication year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Book.objects.dates("published", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(published__year=int(value))


@admin.register(Book)
class BookAdmin(ImageRenditionsMixin, admin.ModelAdmin):
    form = BookAdminForm
    image_field = "cover"
    inlines = [ContributionInline, ReviewInline]
    list_display = [
        "thumbnail",
        "title",
        "authors_column",
        "isbn",
        "format",
        "rrp",
        "published",
        "stock",
        "is_visible",
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", "imprint", "subjects", "is_visible", PublicationYearFilter]
    list_select_related = ["imprint"]
    list_per_page = 50
    search_fields = ["title", "subtitle", "isbn", "contributions__author__name"]
    search_help_text = "Title, author or ISBN (with or without hyphens)."
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["imprint"]
    filter_horizontal = ["subjects"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "isbn"]}),
        ("Edition", {"fields": ["imprint", "published", "format", "product_form", "pages"]}),
        ("Selling", {"fields": ["rrp", "stock", "is_visible"]}),
        ("Content", {"fields": ["description", "cover", "subjects"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_contributors()

    def get_urls(self):
        pages = [
            path(
                "import-onix/",
                self.admin_site.admin_view(self.import_onix_view),
                name="catalogue_book_import_onix",
            ),
            path(
                "import-onix/<int:import_id>/",
                self.admin_site.admin_view(self.import_onix_progress_view),
                name="catalogue_book_import_onix_progress",
            ),
        ]
        return [*pages, *super().get_urls()]

    def import_onix_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an ONIX file: it is checked, kept privately and queued, and staff are
        taken to its import's page. Staff need both "add book" and "change book"."""
        if not may_import(request):
            raise PermissionDenied
        form = OnixUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            record = onix_upload_store(upload=form.cleaned_data["file"], uploaded_by=request.user)
            return redirect("admin:catalogue_book_import_onix_progress", import_id=record.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import ONIX",
            "form": form,
            "recent": OnixImport.objects.select_related("uploaded_by")[:5],
        }
        return TemplateResponse(request, "admin/catalogue/book/import_onix.html", context)

    def import_onix_progress_view(self, request: HttpRequest, import_id: int) -> HttpResponse:
        """One import: its progress while it runs (the page reloads itself every few
        seconds, without script), then its report or its error."""
        if not may_import(request):
            raise PermissionDenied
        record = get_object_or_404(OnixImport.objects.select_related("uploaded_by"), pk=import_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import of {record.file_name}",
            "record": record,
            "refresh_seconds": 2,
        }
        return TemplateResponse(request, "admin/catalogue/book/import_onix_progress.html", context)

    def get_search_results(self, request, queryset, search_term):
        """An ISBN typed with hyphens or spaces, or as an ISBN-10, finds the book; so does
        part of one ("978-1-59017")."""
        if looks_like_isbn(search_term):
            try:
                isbn = normalise_isbn(search_term)
            except InvalidISBN:
                isbn = compact(search_term)
            return queryset.filter(isbn=isbn), False
        if _PARTIAL_ISBN.fullmatch(search_term.strip()):
            return queryset.filter(isbn__contains=compact(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Title and contributors are saved by now: bring the keyword search up to date.
        Book.objects.filter(pk=form.instance.pk).refresh_search_text()

    @admin.display(description="Cover")
    def thumbnail(self, book: Book) -> str:
        if book.cover:
            url = book.cover.storage.url(
                covers.rendition_name(book.cover.name, covers.RENDITION_WIDTHS[0])
            )
            return format_html('<img src="{}" alt="" width="40" height="60">', url)
        return covers.placeholder_svg(
            title=book.full_title, author=book.author_names, key=book.isbn, width=40
        )

    @admin.display(description="Authors")
    def authors_column(self, book: Book) -> str:
        return book.author_names


@admin.register(Author)
class AuthorAdmin(ImageRenditionsMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    image_field = "photo"
    list_display = ["name", "sort_name", "book_count"]
    search_fields = ["name", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                book_count=Count(
                    "contributions__book", distinct=True, filter=Q(contributions__role="author")
                )
            )
            .order_by("sort_name", "name")
        )

    def save_model(self, request, obj: Author, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            Book.objects.by_author(obj).refresh_search_text()

    @admin.display(description="Books", ordering="book_count")
    def book_count(self, author: Author) -> int:
        return author.book_count


@admin.register(Imprint)
class ImprintAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher"]
    search_fields = ["name", "publisher"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
