"""The shop's URLs: which address shows what, canonical book addresses, the ISBN look-up,
the shop-styled 404 page, and which HTTP methods each page accepts."""

import pytest
from django.urls import reverse

from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import CONQUERED_CITY_ISBN

pytestmark = pytest.mark.django_db


def assert_shop_404(response) -> None:
    """A 404 in the shop's own style: templates/404.html inside the site's header, with a
    search box."""
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    page = parse(response)
    assert page.find("header", css_class="site-header").find("input", type="search", name="q")
    error = page.find("main").find("form", action=reverse("shop:book-list"))
    assert error.find("input", type="search", name="q")


# --- Addresses ------------------------------------------------------------------------


def test_shop_pages_live_at_their_agreed_urls(conquered_city, victor_serge):
    assert reverse("shop:home") == "/"
    assert reverse("shop:book-list") == "/books/"
    assert conquered_city.get_absolute_url() == f"/books/conquered-city-{CONQUERED_CITY_ISBN}/"
    assert victor_serge.get_absolute_url() == "/authors/victor-serge/"
    assert reverse("shop:isbn-lookup", kwargs={"isbn": "1-59017-366-X"}) == "/isbn/1-59017-366-X/"
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("robots-txt") == "/robots.txt"


def test_book_page_is_served_at_its_canonical_url(client, conquered_city):
    response = client.get(f"/books/conquered-city-{CONQUERED_CITY_ISBN}/")

    assert response.status_code == 200
    assert parse(response).find("h1").text() == "Conquered City"


def test_book_whose_slug_has_hyphens_and_digits_is_found(client):
    book = BookFactory(title="1984 - 2024", slug="1984-2024")

    response = client.get(f"/books/1984-2024-{book.isbn}/")

    assert response.status_code == 200
    assert parse(response).find("h1").text() == "1984 - 2024"


@pytest.mark.parametrize("stale_slug", ["conquered", "the-conquered-city", "x"])
def test_book_url_with_a_stale_slug_moves_permanently_to_the_canonical_one(
    client, conquered_city, stale_slug
):
    response = client.get(f"/books/{stale_slug}-{CONQUERED_CITY_ISBN}/")

    assert response.status_code == 301
    assert response.url == conquered_city.get_absolute_url()


def test_book_url_of_an_unknown_isbn_is_a_shop_404(client, conquered_city):
    response = client.get("/books/war-and-peace-9780140447934/")

    assert_shop_404(response)


def test_book_url_of_a_hidden_book_is_a_shop_404(client, conquered_city):
    conquered_city.is_visible = False
    conquered_city.save()

    assert_shop_404(client.get(conquered_city.get_absolute_url()))
    # Not even a redirect from an old slug gives the hidden book away.
    assert_shop_404(client.get(f"/books/old-slug-{CONQUERED_CITY_ISBN}/"))


def test_unknown_author_is_a_shop_404(client):
    assert_shop_404(client.get("/authors/nobody-at-all/"))


def test_unknown_address_is_a_shop_404(client):
    assert_shop_404(client.get("/no-such-page/"))


def test_404_page_has_a_title_and_no_book_data(client):
    response = client.get("/no-such-page/")

    page = parse(response)
    assert page.find("head").find("title").text()
    assert page.find_all("script", type="application/ld+json") == []


# --- ISBN look-up ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [CONQUERED_CITY_ISBN, "978-1-59017-366-4", "159017366X", "1-59017-366-X", "1-59017-366-x"],
)
def test_isbn_lookup_redirects_to_the_book(client, conquered_city, typed):
    response = client.get(f"/isbn/{typed}/")

    assert response.status_code == 302
    assert response.url == conquered_city.get_absolute_url()
    assert client.get(response.url).status_code == 200


def test_isbn_lookup_of_a_hidden_book_is_a_shop_404(client, conquered_city):
    conquered_city.is_visible = False
    conquered_city.save()

    assert_shop_404(client.get(f"/isbn/{CONQUERED_CITY_ISBN}/"))


@pytest.mark.parametrize(
    "typed",
    ["9780140447934", "9781590173665", "12345", "not-an-isbn", "159017366Y", "9791590173664"],
    ids=["unknown", "bad-check-digit", "too-short", "words", "bad-isbn10", "wrong-979"],
)
def test_isbn_lookup_of_an_unknown_or_invalid_isbn_is_a_shop_404(client, conquered_city, typed):
    assert_shop_404(client.get(f"/isbn/{typed}/"))


# --- Methods --------------------------------------------------------------------------


@pytest.fixture
def page_urls(conquered_city, victor_serge):
    return {
        "home": "/",
        "listing": "/books/",
        "book": conquered_city.get_absolute_url(),
        "author": victor_serge.get_absolute_url(),
        "isbn-lookup": f"/isbn/{CONQUERED_CITY_ISBN}/",
        "robots": "/robots.txt",
    }


@pytest.mark.parametrize(
    "page_name", ["home", "listing", "book", "author", "isbn-lookup", "robots"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_pages_refuse_methods_other_than_get_and_head(client, page_urls, page_name, method):
    response = getattr(client, method)(page_urls[page_name])

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) <= {"GET", "HEAD"}


@pytest.mark.parametrize(
    "page_name", ["home", "listing", "book", "author", "isbn-lookup", "robots"]
)
def test_pages_answer_head_like_get_without_a_body(client, page_urls, page_name):
    get = client.get(page_urls[page_name])
    head = client.head(page_urls[page_name])

    assert head.status_code == get.status_code
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""
