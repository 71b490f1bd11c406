"""ONIX uploads in admin: the upload form (checked before anything is queued), the page
that follows one import's progress, and the read-only list of past imports.

The upload is refused at once when it is too large, empty, an archive, or not an ONIX 3.0
message (`check_onix_start`, which reads only as far as the root element, so the page
answers at once whatever the file's size). The rest of the file is read by the import job
(catalogue.onix.jobs); a fault it finds (a truncated file, an overlong field) is shown on
the import's page.
"""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from catalogue.models import OnixImport
from catalogue.onix import OnixRefused, check_onix_start


class OnixUploadForm(forms.Form):
    """An ONIX 3.0 file to import (see catalogue.onix)."""

    MAX_BYTES = 50 * 1024 * 1024

    file = forms.FileField(
        label="ONIX file",
        help_text="ONIX for Books 3.0 XML, reference or short tags; 50 MB at most.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "This file is larger than 50 MB: import it with `manage.py import_onix` instead."
            )
        try:
            check_onix_start(upload)
        except OnixRefused as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def may_import(request: HttpRequest) -> bool:
    """Staff who may import ONIX: both "add book" and "change book"."""
    user = request.user
    return user.has_perm("catalogue.add_book") and user.has_perm("catalogue.change_book")


@admin.register(OnixImport)
class OnixImportAdmin(admin.ModelAdmin):
    """Past imports, read-only: who uploaded what, when, and the outcome. Staff who may
    import see them; nobody adds, changes or deletes them here."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "status", "outcome", "progress"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name"]
    date_hierarchy = "uploaded_at"
    fields = [
        "file_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "outcome",
        "attempts",
        "started_at",
        "finished_at",
        "error",
        "progress",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return may_import(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Outcome")
    def outcome(self, record: OnixImport) -> str:
        if record.status == OnixImport.Status.FAILED:
            return record.error
        return record.summary()

    @admin.display(description="Report")
    def progress(self, record: OnixImport) -> str:
        url = reverse("admin:catalogue_book_import_onix_progress", args=[record.pk])
        return format_html('<a href="{}">Report</a>', url)
