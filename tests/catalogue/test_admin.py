"""Staff admin for the catalogue: list, search, filters, the book form, and who may use it."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalogue import covers
from catalogue.models import Author, Book, BookFormat, Contribution
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ContributionFactory,
    ImprintFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalogue_book_changelist")
ADD = reverse("admin:catalogue_book_add")


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("staff", "staff@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def serge_book():
    book = BookFactory(
        title="Conquered City",
        slug="conquered-city",
        isbn="9781590173664",
        format=BookFormat.PAPERBACK,
    )
    ContributionFactory(book=book, author=AuthorFactory(name="Victor Serge", slug="victor-serge"))
    return book


def jpeg_upload(name="cover.jpg", size=(400, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 30, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def book_form_data(**overrides) -> dict:
    """A complete add-book form: one author credited, no praise."""
    imprint = ImprintFactory(name="NY Review Books", slug="ny-review-books")
    author = Author.objects.filter(slug="victor-serge").first() or AuthorFactory(
        name="Victor Serge", slug="victor-serge"
    )
    data = {
        "title": "Conquered City",
        "subtitle": "",
        "slug": "conquered-city",
        "isbn": "978-1-59017-366-4",
        "imprint": imprint.pk,
        "published": "2011-02-15",
        "format": "paperback",
        "product_form": "",
        "pages": "224",
        "rrp_0": "39.99",
        "rrp_1": "AUD",
        "stock": "7",
        "is_visible": "on",
        "description": "1919–1920: St. Petersburg has fallen to the Revolution.",
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "0",
        "contributions-0-position": "0",
        "contributions-0-author": author.pk,
        "contributions-0-role": "author",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def listed_titles(response) -> set[str]:
    return {book.title for book in response.context["cl"].result_list}


def test_book_list_shows_the_columns_staff_need(staff_client, serge_book):
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Conquered City", "Victor Serge", "9781590173664", "Paperback", "$29.99"]:
        assert text in html
    assert "<svg" in html  # a book without a cover shows its generated cover


def test_book_list_query_count_does_not_grow_with_books(
    staff_client, django_assert_max_num_queries
):
    for _ in range(3):
        ContributionFactory()
    with django_assert_max_num_queries(100) as few:
        staff_client.get(CHANGELIST)
    for _ in range(20):
        ContributionFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(CHANGELIST)


@pytest.mark.parametrize(
    "term",
    [
        "Conquered",
        "victor serge",
        "9781590173664",
        "978-1-59017-366-4",
        "1-59017-366-X",
        "59017-366",
    ],
)
def test_book_search_finds_by_title_author_and_isbn(staff_client, serge_book, term):
    BookFactory(title="Something Else")
    response = staff_client.get(CHANGELIST, {"q": term})
    assert listed_titles(response) == {"Conquered City"}


def test_book_search_with_wrong_isbn_finds_nothing(staff_client, serge_book):
    response = staff_client.get(CHANGELIST, {"q": "978-1-59017-366-5"})
    assert response.status_code == 200
    assert listed_titles(response) == set()


def test_book_filters_narrow_the_list(staff_client):
    fiction = SubjectFactory(name="Fiction")
    imprint = ImprintFactory(name="Text Classics")
    hardback = BookFactory(title="Hardback One", format=BookFormat.HARDBACK, imprint=imprint)
    hardback.subjects.add(fiction)
    BookFactory(title="Hidden One", is_visible=False, published="2019-05-01")
    BookFactory(title="Paperback One")

    def titles(params):
        return listed_titles(staff_client.get(CHANGELIST, params))

    assert titles({"format__exact": "hardback"}) == {"Hardback One"}
    assert titles({"imprint__id__exact": imprint.pk}) == {"Hardback One"}
    assert titles({"subjects__id__exact": fiction.pk}) == {"Hardback One"}
    assert titles({"is_visible__exact": "0"}) == {"Hidden One"}
    assert titles({"year": "2019"}) == {"Hidden One"}


def test_publication_year_filter_ignores_nonsense(staff_client):
    BookFactory()
    response = staff_client.get(CHANGELIST, {"year": "nonsense"})
    assert response.status_code == 200
    assert listed_titles(response) == set()


def test_add_page_has_inlines_and_prefilled_slug(staff_client):
    response = staff_client.get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="contributions-group"' in html
    assert 'id="reviews-group"' in html
    assert "prepopulated_fields" in html or "data-prepopulated-fields" in html
    assert response.context["inline_admin_formsets"][0].formset.extra == 0


def test_adding_a_book_normalises_its_isbn_and_saves_contributors(staff_client):
    author = AuthorFactory(name="Victor Serge", slug="victor-serge")
    translator = AuthorFactory(name="Richard Greeman", slug="richard-greeman")
    data = book_form_data(
        **{
            "contributions-TOTAL_FORMS": "2",
            "contributions-0-position": "0",
            "contributions-0-author": author.pk,
            "contributions-0-role": "author",
            "contributions-1-position": "1",
            "contributions-1-author": translator.pk,
            "contributions-1-role": "translator",
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-position": "0",
            "reviews-0-quote": "Searingly evoked.",
            "reviews-0-source": "Bookforum",
            "reviews-0-url": "",
        }
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    book = Book.objects.get()
    assert book.isbn == "9781590173664"
    assert [(c.author.name, c.role) for c in book.contributions.all()] == [
        ("Victor Serge", Contribution.Role.AUTHOR),
        ("Richard Greeman", Contribution.Role.TRANSLATOR),
    ]
    assert book.reviews.get().source == "Bookforum"


def test_a_visible_book_whose_author_row_was_left_empty_is_not_saved(staff_client):
    """The author pop-up failed, so the row has its defaults and no author: the admin
    used to drop the row and save a visible book with no author, saying it succeeded."""
    data = book_form_data(**{"contributions-0-author": ""})
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "A book shown in the shop needs at least one author." in response.content.decode()
    assert not Book.objects.exists()


def test_a_visible_book_with_only_a_translator_is_not_saved(staff_client):
    data = book_form_data(**{"contributions-0-role": "translator"})
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "A book shown in the shop needs at least one author." in response.content.decode()
    assert not Book.objects.exists()


def test_removing_the_last_author_of_a_visible_book_is_refused(staff_client, serge_book):
    contribution = serge_book.contributions.get()
    data = book_form_data(
        isbn=serge_book.isbn,
        **{
            "contributions-INITIAL_FORMS": "1",
            "contributions-0-id": contribution.pk,
            "contributions-0-book": serge_book.pk,
            "contributions-0-author": contribution.author_id,
            "contributions-0-DELETE": "on",
        },
    )
    response = staff_client.post(reverse("admin:catalogue_book_change", args=[serge_book.pk]), data)
    assert response.status_code == 200
    assert "A book shown in the shop needs at least one author." in response.content.decode()
    assert serge_book.contributions.exists()


def test_a_hidden_book_may_be_saved_without_an_author(staff_client):
    data = book_form_data(**{"contributions-0-author": ""})
    del data["is_visible"]
    response = staff_client.post(ADD, data)
    assert response.status_code == 302
    assert not Book.objects.get().contributions.exists()


def test_an_author_added_without_a_sort_name_gets_one_from_the_name(staff_client):
    """The add-author pop-up beside a book's author row works on the first try."""
    response = staff_client.post(
        reverse("admin:catalogue_author_add") + "?_to_field=id&_popup=1",
        {
            "name": "Victor Serge",
            "sort_name": "",
            "slug": "victor-serge",
            "biography": "",
            "_popup": "1",
            "_to_field": "id",
        },
    )
    assert response.status_code == 200  # the pop-up's "close and select" page
    assert "popup_response" in response.content.decode()
    assert Author.objects.get(slug="victor-serge").sort_name == "Serge, Victor"


@pytest.mark.parametrize(
    ("name", "sort_name"),
    [
        ("Victor Serge", "Serge, Victor"),
        ("Ursula K. Le Guin", "Le Guin, Ursula K."),
        ("Miles Franklin", "Franklin, Miles"),
        ("Homer", "Homer"),
        ("  Helen   Garner ", "Garner, Helen"),
    ],
)
def test_the_sort_name_filled_in_puts_the_family_name_first(name, sort_name):
    assert Author.sort_name_for(name) == sort_name


def test_a_sort_name_staff_type_is_kept(staff_client):
    response = staff_client.post(
        reverse("admin:catalogue_author_add"),
        {
            "name": "Ursula K. Le Guin",
            "sort_name": "Le Guin, Ursula",
            "slug": "ursula-le-guin",
            "biography": "",
        },
    )
    assert response.status_code == 302
    assert Author.objects.get().sort_name == "Le Guin, Ursula"


def test_adding_a_book_with_a_wrong_check_digit_says_so(staff_client):
    response = staff_client.post(ADD, book_form_data(isbn="978-1-59017-366-5"))
    assert response.status_code == 200
    assert "ISBN check digit is wrong." in response.content.decode()
    assert not Book.objects.exists()


def test_adding_a_duplicate_isbn_is_refused_with_a_message(staff_client, serge_book):
    response = staff_client.post(ADD, book_form_data(isbn="159017366X"))
    assert response.status_code == 200
    assert "Book with this ISBN already exists." in response.content.decode()
    assert Book.objects.count() == 1


def test_uploading_a_cover_makes_renditions(staff_client):
    response = staff_client.post(ADD, book_form_data(cover=jpeg_upload()))
    assert response.status_code == 302
    book = Book.objects.get()
    for width in covers.RENDITION_WIDTHS:
        assert default_storage.exists(covers.rendition_name(book.cover.name, width))
    listing = staff_client.get(CHANGELIST).content.decode()
    assert covers.rendition_name(book.cover.name, covers.RENDITION_WIDTHS[0]) in listing


def test_replacing_a_cover_removes_the_old_original_and_renditions(
    staff_client, django_capture_on_commit_callbacks
):
    staff_client.post(ADD, book_form_data(cover=jpeg_upload("first.jpg")))
    book = Book.objects.get()
    old_name = book.cover.name
    change_url = reverse("admin:catalogue_book_change", args=[book.pk])
    with django_capture_on_commit_callbacks(execute=True):
        credit = book.contributions.get()
        data = book_form_data(
            cover=jpeg_upload("second.jpg"),
            **{
                "contributions-INITIAL_FORMS": "1",
                "contributions-0-id": credit.pk,
                "contributions-0-book": book.pk,
            },
        )
        response = staff_client.post(change_url, data)
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.cover.name != old_name
    assert not default_storage.exists(old_name)
    assert not default_storage.exists(covers.rendition_name(old_name, 320))
    assert default_storage.exists(covers.rendition_name(book.cover.name, 320))


def test_a_non_image_cover_is_refused_with_the_shops_message(staff_client):
    fake = SimpleUploadedFile("cover.jpg", b"this is not a picture", content_type="image/jpeg")
    response = staff_client.post(ADD, book_form_data(cover=fake))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["cover"] == ["Upload a JPEG, PNG or WebP image; this file is not one."]
    assert not Book.objects.exists()


def test_an_author_photo_gets_renditions(staff_client):
    response = staff_client.post(
        reverse("admin:catalogue_author_add"),
        {
            "name": "Victor Serge",
            "sort_name": "Serge, Victor",
            "slug": "victor-serge",
            "biography": "",
            "photo": jpeg_upload("serge.jpg"),
        },
    )
    assert response.status_code == 302
    author = Author.objects.get()
    assert default_storage.exists(covers.rendition_name(author.photo.name, 160))


def test_author_search_and_autocomplete_find_authors(staff_client):
    AuthorFactory(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    AuthorFactory(name="Natalia Ginzburg", sort_name="Ginzburg, Natalia", slug="natalia-ginzburg")
    response = staff_client.get(reverse("admin:catalogue_author_changelist"), {"q": "serge"})
    assert [a.name for a in response.context["cl"].result_list] == ["Victor Serge"]
    autocomplete = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalogue",
            "model_name": "contribution",
            "field_name": "author",
            "term": "ginz",
        },
    )
    assert autocomplete.status_code == 200
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Natalia Ginzburg"]


def test_imprint_search_finds_by_name_and_publisher(staff_client):
    ImprintFactory(name="NY Review Books", slug="nyrb", publisher="New York Review of Books")
    ImprintFactory(name="Text Classics", slug="text-classics", publisher="Text Publishing")
    response = staff_client.get(reverse("admin:catalogue_imprint_changelist"), {"q": "text pub"})
    assert [i.name for i in response.context["cl"].result_list] == ["Text Classics"]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_customers_without_staff_status_cannot_enter_admin(client):
    client.force_login(User.objects.create_user("reader", password="pw-for-tests"))
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permission_are_refused(client):
    client.force_login(User.objects.create_user("temp", password="pw-for-tests", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403


def test_staff_with_view_permission_can_look_but_not_add(client):
    user = User.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_book"))
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, book_form_data()).status_code == 403
    assert not Book.objects.exists()
