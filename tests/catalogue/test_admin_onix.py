"""catalogue.admin_onix: an import's progress page and the read-only list of past imports."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import OnixImport

pytestmark = pytest.mark.django_db

IMPORT_PAGE = reverse("admin:catalogue_book_import_onix")
LIST = reverse("admin:catalogue_oniximport_changelist")


def progress_page(record: OnixImport) -> str:
    return reverse("admin:catalogue_book_import_onix_progress", args=[record.pk])


@pytest.fixture
def importer(client):
    user = User.objects.create_user("staffer", password="pw-for-tests", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="catalogue",
            codename__in=["view_book", "add_book", "change_book"],
        )
    )
    client.force_login(user)
    client.user = user
    return client


def running(importer, **fields) -> OnixImport:
    defaults = {"file_name": "feed.xml", "stored_name": "x.xml", "uploaded_by": importer.user}
    return OnixImport.objects.create(**{**defaults, **fields})


def test_a_running_import_shows_its_progress_and_reloads_itself_without_script(importer):
    record = running(
        importer,
        status="running",
        products_read=120,
        created=100,
        updated=15,
        skipped=5,
        fraction_read=0.4,
    )

    response = importer.get(progress_page(record))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "120 products: 100 created, 15 updated, 0 unchanged, 0 hidden, 5 skipped" in content
    assert "40% of the file read" in content
    assert "<script>" not in content  # CSP: no inline script


def test_a_failed_import_shows_its_error(importer):
    record = running(importer, status="failed", error="The file is empty.")

    content = importer.get(progress_page(record)).content.decode()

    assert "The file is empty." in content
    assert 'http-equiv="refresh"' not in content


def test_an_unknown_import_is_not_found(importer):
    assert (
        importer.get(reverse("admin:catalogue_book_import_onix_progress", args=[999])).status_code
        == 404
    )


def test_staff_who_may_not_import_cannot_see_an_import(client, importer):
    record = running(importer)
    other = User.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    client.force_login(other)

    assert client.get(progress_page(record)).status_code == 403
    assert client.get(LIST).status_code == 403


def test_past_imports_are_listed_with_who_what_when_and_outcome(importer):
    running(importer, status="done", products_read=3, created=3)
    running(importer, file_name="broken.xml", status="failed", error="The file is empty.")

    content = importer.get(LIST).content.decode()

    assert "feed.xml" in content and "broken.xml" in content
    assert "staffer" in content
    assert "3 products: 3 created" in content
    assert "The file is empty." in content


def test_past_imports_are_read_only(importer):
    record = running(importer)

    assert importer.get(reverse("admin:catalogue_oniximport_add")).status_code == 403
    assert (
        importer.get(reverse("admin:catalogue_oniximport_delete", args=[record.pk])).status_code
        == 403
    )
    change = importer.post(
        reverse("admin:catalogue_oniximport_change", args=[record.pk]), {"file_name": "x"}
    )
    assert change.status_code == 403
    record.refresh_from_db()
    assert record.file_name == "feed.xml"


def test_a_zip_or_empty_upload_is_refused_before_anything_is_queued(importer):
    for data, message in [
        (b"PK\x03\x04rest", "This is a zip archive"),
        (b"", "The submitted file is empty."),
        (b"   ", "This is not an XML file"),
    ]:
        response = importer.post(IMPORT_PAGE, {"file": SimpleUploadedFile("f.xml", data)})
        assert message in response.context["form"].errors["file"][0]
    assert not OnixImport.objects.exists()


def test_the_upload_page_links_to_recent_imports(importer):
    record = running(importer, status="done")

    content = importer.get(IMPORT_PAGE).content.decode()

    assert progress_page(record) in content
    assert LIST in content
