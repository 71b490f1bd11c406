"""Adding to the basket through the web: a visitor's basket without an account, adding
from the listing and the book page, where a change returns to, and what a bad addition
gets (a message, never a changed basket)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from catalogue.models import Book
from tests.factories import BookFactory
from tests.html import form_data, parse
from tests.shop.basket.helpers import (
    ADD_URL,
    BAD_QUANTITIES,
    BASKET_URL,
    NOT_IN_CATALOGUE,
    add,
    basket_of,
    everything_in_baskets,
    header_count,
    lines_of,
    messages_in,
)

pytestmark = pytest.mark.django_db


# --- A basket without an account -------------------------------------------------------


def test_a_visitor_fills_a_basket_without_an_account(client: Client, book: Book) -> None:
    response = add(client, book, 2)

    assert response.status_code == 302
    basket = basket_of(client)
    assert basket is not None
    assert basket.user is None
    assert client.session["basket_id"] == basket.pk
    assert lines_of(client) == [("Conquered City", 2)]


def test_the_session_cookie_lasts_thirty_days(client: Client, book: Book) -> None:
    response = add(client, book)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_AGE == 30 * 24 * 60 * 60
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    # Not a browser-session cookie: it carries its own lifetime.
    assert int(cookie["max-age"]) == 30 * 24 * 60 * 60
    expires = datetime.datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT")
    expires = expires.replace(tzinfo=datetime.UTC)
    assert expires - timezone.now() > datetime.timedelta(days=29, hours=23)


def test_the_basket_is_there_after_the_browser_restarts(client: Client, book: Book) -> None:
    add(client, book, 2)
    restarted = Client()
    restarted.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value

    response = restarted.get(BASKET_URL)

    assert header_count(response) == 2
    assert "Conquered City" in parse(response).find("ul", css_class="basket__lines").text()


# --- Adding ----------------------------------------------------------------------------


def test_add_from_the_listing_adds_one_copy_and_returns_to_the_listing(
    client: Client, book: Book
) -> None:
    listing = client.get("/books/?sort=title")
    form = next(
        form
        for form in parse(listing).find_all("form", css_class="add-to-basket")
        if form_data(form).get("book") == str(book.pk)
    )
    assert "add-to-basket--compact" in form.get("class")
    assert form.get("method") == "post"
    assert form_data(form)["quantity"] == "1"

    response = client.post(form.get("action"), form_data(form))

    assert response.status_code == 302
    assert response["Location"] == "/books/?sort=title"
    assert lines_of(client) == [("Conquered City", 1)]
    assert messages_in(client.get(response["Location"])) == [
        "Added a copy of Conquered City to your basket."
    ]


def test_add_from_the_book_page_adds_the_chosen_quantity_and_returns_to_the_book(
    client: Client, book: Book
) -> None:
    page = client.get(book.get_absolute_url())
    form = parse(page).find("form", css_class="add-to-basket")
    quantity = next(f for f in form.find_all("input") if f.get("name") == "quantity")
    assert quantity.get("type") == "number"
    assert quantity.get("min") == "1"
    assert quantity.get("max") == "12"
    data = {**form_data(form), "quantity": "2"}

    response = client.post(form.get("action"), data, follow=True)

    assert response.redirect_chain == [(book.get_absolute_url(), 302)]
    assert messages_in(response) == ["Added 2 copies of Conquered City to your basket."]
    assert lines_of(client) == [("Conquered City", 2)]
    assert header_count(response) == 2


@pytest.mark.parametrize(
    "fields",
    [{"stock": 0}, {"rrp": None}],
    ids=["out-of-stock", "not-for-sale"],
)
def test_the_book_page_offers_no_add_form_for_a_book_that_cannot_be_bought(
    client: Client, fields: dict
) -> None:
    book = BookFactory(**fields)

    page = client.get(book.get_absolute_url())

    assert page.status_code == 200
    assert parse(page).find_all("form", css_class="add-to-basket") == []


def test_the_book_page_offers_a_pre_order_form_limited_to_ten(client: Client) -> None:
    book = BookFactory(published=timezone.localdate() + datetime.timedelta(days=30), stock=0)

    form = parse(client.get(book.get_absolute_url())).find("form", css_class="add-to-basket")

    quantity = next(f for f in form.find_all("input") if f.get("name") == "quantity")
    assert quantity.get("max") == "10"
    assert form.find("button").text() == "Pre-order"


@pytest.mark.parametrize("next_url", ["/books/", "/books/?q=serge&page=2", "/"])
def test_a_basket_change_returns_to_a_local_next_page(
    client: Client, book: Book, next_url: str
) -> None:
    response = add(client, book, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "https:/evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_a_basket_change_ignores_an_external_next_and_goes_to_the_basket(
    client: Client, book: Book, next_url: str
) -> None:
    response = add(client, book, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == BASKET_URL
    assert lines_of(client) == [("Conquered City", 1)]


def test_add_rejects_quantity_above_stock(client: Client, book: Book) -> None:
    add(client, book, 10)

    response = client.post(ADD_URL, {"book": book.pk, "quantity": "3"}, follow=True)

    assert messages_in(response) == [
        "We have 12 copies of Conquered City in stock, and your basket already has 10."
    ]
    assert lines_of(client) == [("Conquered City", 10)]


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(("quantity", "message"), BAD_QUANTITIES)
def test_add_with_a_bad_quantity_says_why_and_changes_nothing(
    client: Client, book: Book, quantity: str | None, message: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    data = {"book": book.pk, "next": "/books/"}
    if quantity is not None:
        data["quantity"] = quantity

    response = client.post(ADD_URL, data)

    assert response.status_code == 302
    assert response["Location"] == "/books/"
    assert messages_in(client.get("/books/")) == [message]
    assert everything_in_baskets() == before


@pytest.mark.parametrize(
    ("book_id", "message"),
    [
        ("999999", NOT_IN_CATALOGUE),
        ("abc", NOT_IN_CATALOGUE),
        ("-1", NOT_IN_CATALOGUE),
        ("0", NOT_IN_CATALOGUE),
        ("1.5", NOT_IN_CATALOGUE),
        ("1 OR 1=1", NOT_IN_CATALOGUE),
        ("99999999999999999999999", NOT_IN_CATALOGUE),
        ("9223372036854775807", NOT_IN_CATALOGUE),
        ("", "Choose a book to add."),
        (None, "Choose a book to add."),
    ],
)
def test_add_with_a_bad_book_id_says_why_and_changes_nothing(
    client: Client, book: Book, book_id: str | None, message: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    data = {"quantity": "1"}
    if book_id is not None:
        data["book"] = book_id

    response = client.post(ADD_URL, data, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [message]
    assert everything_in_baskets() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"is_visible": False}, NOT_IN_CATALOGUE),
        ({"stock": 0}, "Sorry, Tampered is out of stock."),
        ({"rrp": None}, "Sorry, Tampered is not for sale."),
    ],
    ids=["hidden", "out-of-stock", "not-for-sale"],
)
def test_add_of_a_book_that_cannot_be_bought_says_why_and_changes_nothing(
    client: Client, book: Book, fields: dict, message: str
) -> None:
    add(client, book, 2)
    tampered = BookFactory(title="Tampered", **fields)
    before = everything_in_baskets()

    response = client.post(ADD_URL, {"book": tampered.pk, "quantity": "1"}, follow=True)

    assert messages_in(response) == [message]
    assert everything_in_baskets() == before
