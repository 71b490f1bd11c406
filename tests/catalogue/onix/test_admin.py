"""The "Import ONIX" page in admin: who may use it, an upload queued and its report on the
import's own page, the refusals made before anything is queued."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalogue.models import Book, OnixImport
from tests.catalogue.onix.onix_fixtures import fixture

pytestmark = pytest.mark.django_db

IMPORT_PAGE = reverse("admin:catalogue_book_import_onix")
CHANGELIST = reverse("admin:catalogue_book_changelist")


def staff(client: Client, *codenames: str) -> Client:
    user = User.objects.create_user("staffer", password="pw-for-tests", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
    )
    client.force_login(user)
    return client


def upload(name: str, filename: str | None = None) -> dict:
    data = fixture(name).read_bytes()
    return {"file": SimpleUploadedFile(filename or name, data, content_type="text/xml")}


@pytest.fixture
def importer(client) -> Client:
    return staff(client, "view_book", "add_book", "change_book")


def test_staff_without_add_and_change_permission_are_refused(client):
    staff(client, "view_book", "change_book")  # no add_book

    assert client.get(IMPORT_PAGE).status_code == 403
    assert client.post(IMPORT_PAGE, upload("two_authors.xml")).status_code == 403
    assert Book.objects.count() == 0


def test_visitors_are_sent_to_the_admin_login(client):
    response = client.get(IMPORT_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_page_offers_an_upload_form_with_its_size_limit(importer):
    response = importer.get(IMPORT_PAGE)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "50 MB" in content


def test_uploading_a_feed_queues_it_and_its_page_shows_the_report(
    importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(IMPORT_PAGE, upload("bad_record_in_middle.xml"))

    record = OnixImport.objects.get()
    progress_page = reverse("admin:catalogue_book_import_onix_progress", args=[record.pk])
    assert response.status_code == 302
    assert response["Location"] == progress_page
    response = importer.get(progress_page)
    assert response.status_code == 200
    content = response.content.decode()
    assert "6 products: 3 created, 0 updated, 0 unchanged, 0 hidden, 3 skipped" in content
    assert "fixture.bad-date" in content
    assert "&#x27;20201345&#x27; is not a real date" in content
    assert 'http-equiv="refresh"' not in content  # finished: no more reloading
    assert Book.objects.count() == 3


def test_uploading_an_onix_21_file_shows_the_refusal_on_the_form(importer):
    response = importer.post(IMPORT_PAGE, upload("onix21.xml"))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This is an ONIX 2.1 file; the shop reads ONIX 3.0."
    ]
    assert "This is an ONIX 2.1 file; the shop reads ONIX 3.0." in response.content.decode()
    assert Book.objects.count() == 0
    assert not OnixImport.objects.exists()


def test_uploading_an_entity_bomb_is_refused(importer):
    response = importer.post(IMPORT_PAGE, upload("entity_bomb.xml"))

    assert "declares an XML entity" in response.context["form"].errors["file"][0]
    assert Book.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(importer, monkeypatch):
    monkeypatch.setattr("catalogue.admin_onix.OnixUploadForm.MAX_BYTES", 100)

    response = importer.post(IMPORT_PAGE, upload("two_authors.xml"))

    assert "larger than 50 MB" in response.context["form"].errors["file"][0]
    assert Book.objects.count() == 0


def test_an_upload_needs_the_csrf_token(importer):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = importer.cookies

    assert strict.post(IMPORT_PAGE, upload("two_authors.xml")).status_code == 403
    assert Book.objects.count() == 0


def test_the_book_list_links_to_the_import_page_for_staff_who_may_use_it(importer):
    assert IMPORT_PAGE in importer.get(CHANGELIST).content.decode()


def test_the_book_list_hides_the_link_from_staff_who_may_not(client):
    staff(client, "view_book")

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert IMPORT_PAGE not in response.content.decode()
