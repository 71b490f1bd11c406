"""The basket through the web: adding from the listing and the book page, the basket page,
changing and removing lines, signing in, the header count, and what bad or forged requests
get (a message or a 4xx, never a 500, and never a changed basket)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Author, Book
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket, BasketLine
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.html import form_data, parse

pytestmark = pytest.mark.django_db

BASKET_URL = "/basket/"
ADD_URL = "/basket/add/"
PASSWORD = "correct-horse-battery"


def header_count(response: HttpResponse) -> int:
    return int(parse(response).find("span", css_class="basket-count").text())


def messages_in(response: HttpResponse) -> list[str]:
    """The messages shown on the page, as a customer reads them."""
    page = response.content.decode()
    found = re.findall(r'<li class="message message--[a-z ]+">(.*?)</li>', page)
    return [html.unescape(text) for text in found]


# --- Baskets ---------------------------------------------------------------------------


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def everything_in_baskets() -> list[tuple[int, int | None, int, int]]:
    """Every line of every basket: (basket, owner, book, quantity)."""
    return list(
        BasketLine.objects.order_by("basket_id", "book_id").values_list(
            "basket_id", "basket__user_id", "book_id", "quantity"
        )
    )


def basket_of(client: Client) -> Basket | None:
    basket_id = client.session.get(basket_session.SESSION_KEY)
    return Basket.objects.filter(pk=basket_id).first() if basket_id else None


def lines_of(client: Client) -> list[tuple[str, int]]:
    basket = basket_of(client)
    if basket is None:
        return []
    return [(line.book.title, line.quantity) for line in basket.lines.select_related("book")]


def add(client: Client, book: Book, quantity: int | str = 1, **extra) -> HttpResponse:
    """Add to the basket as a setup step: the "Added ..." message is dropped so that it does
    not show up among the messages a test looks at."""
    response = client.post(ADD_URL, {"book": book.pk, "quantity": quantity, **extra})
    client.cookies.pop("messages", None)
    return response


def only_line(client: Client) -> BasketLine:
    return basket_of(client).lines.get()


def update_url(line_id: int | str) -> str:
    return f"/basket/lines/{line_id}/"


def remove_url(line_id: int | str) -> str:
    return f"/basket/lines/{line_id}/remove/"


@pytest.fixture
def victor_serge() -> Author:
    return AuthorFactory(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")


@pytest.fixture
def book(victor_serge: Author) -> Book:
    """Conquered City: $39.99, twelve in stock, as in the demo catalogue."""
    book = BookFactory(
        title="Conquered City",
        slug="conquered-city",
        isbn="9781590173664",
        rrp=aud("39.99"),
        stock=12,
    )
    ContributionFactory(book=book, author=victor_serge)
    return book


@pytest.fixture
def other_book() -> Book:
    return BookFactory(title="Midnight in the Century", rrp=aud("24.99"), stock=4)


@pytest.fixture
def customer():
    return get_user_model().objects.create_user("reader", password=PASSWORD)


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


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


# --- Signing in ------------------------------------------------------------------------


def sign_in(client: Client, username: str = "reader") -> HttpResponse:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)


def test_signing_in_merges_the_visitors_basket_and_says_what_was_merged(
    client: Client, book: Book, other_book: Book, customer
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=1)
    add(client, book, 1)
    add(client, other_book, 2)
    visitor_basket = basket_of(client)

    response = sign_in(client)

    assert response.wsgi_request.user == customer
    assert "We have added 3 books from before you signed in to your basket." in messages_in(
        response
    )
    assert basket_of(client) == own
    assert sorted(lines_of(client)) == [("Conquered City", 2), ("Midnight in the Century", 2)]
    assert not Basket.objects.filter(pk=visitor_basket.pk).exists()
    assert header_count(client.get(BASKET_URL)) == 4


def test_signing_in_adds_quantities_up_only_to_the_purchase_limit(
    client: Client, other_book: Book, customer
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=other_book.pk, quantity=3)
    add(client, other_book, 3)  # 3 + 3, but only 4 in stock

    response = sign_in(client)

    assert "We have added a book from before you signed in to your basket." in messages_in(response)
    assert lines_of(client) == [("Midnight in the Century", 4)]


def test_signing_in_gives_the_visitors_basket_to_a_customer_who_had_none(
    client: Client, book: Book, customer
) -> None:
    add(client, book, 2)
    visitor_basket = basket_of(client)

    response = sign_in(client)

    assert "We have added 2 books from before you signed in to your basket." in messages_in(
        response
    )
    visitor_basket.refresh_from_db()
    assert visitor_basket.user == customer
    assert Basket.objects.get(user=customer) == visitor_basket
    # Another device, signed in, finds the same basket through the account.
    other_device = Client()
    other_device.force_login(customer)
    assert header_count(other_device.get(BASKET_URL)) == 2


def test_signing_in_without_a_visitor_basket_says_nothing_about_baskets(
    client: Client, customer
) -> None:
    response = sign_in(client)

    assert response.wsgi_request.user == customer
    assert not any("from before you signed in" in m for m in messages_in(response))
    assert not Basket.objects.exists()


def test_signing_out_leaves_the_basket_with_the_account(
    client: Client, book: Book, customer
) -> None:
    sign_in(client)
    add(client, book, 2)

    client.post(reverse("logout"))

    assert header_count(client.get(BASKET_URL)) == 0
    assert "Your basket is empty." in client.get(BASKET_URL).content.decode()
    sign_in(client)
    assert header_count(client.get(BASKET_URL)) == 2
    assert lines_of(client) == [("Conquered City", 2)]


def test_a_signed_in_customers_additions_go_to_their_own_basket(
    client: Client, book: Book, customer
) -> None:
    client.force_login(customer)

    add(client, book, 2)

    assert Basket.objects.get().user == customer
    assert lines_of(client) == [("Conquered City", 2)]


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


# --- Changing and removing -------------------------------------------------------------


def test_update_changes_the_lines_quantity_and_says_so(client: Client, book: Book) -> None:
    add(client, book)
    line = only_line(client)

    response = client.post(update_url(line.pk), {"quantity": "3"}, follow=True)

    assert response.redirect_chain == [(BASKET_URL, 302)]
    assert messages_in(response) == ["Your basket now has 3 of Conquered City."]
    assert lines_of(client) == [("Conquered City", 3)]


def test_update_rejects_quantity_above_stock(client: Client, book: Book) -> None:
    add(client, book, 2)
    line = only_line(client)

    response = client.post(update_url(line.pk), {"quantity": "13"}, follow=True)

    assert messages_in(response) == ["We have 12 copies of Conquered City in stock."]
    assert lines_of(client) == [("Conquered City", 2)]


def test_add_rejects_quantity_above_stock(client: Client, book: Book) -> None:
    add(client, book, 10)

    response = client.post(ADD_URL, {"book": book.pk, "quantity": "3"}, follow=True)

    assert messages_in(response) == [
        "We have 12 copies of Conquered City in stock, and your basket already has 10."
    ]
    assert lines_of(client) == [("Conquered City", 10)]


def test_remove_takes_the_line_out_and_says_so(
    client: Client, book: Book, other_book: Book
) -> None:
    add(client, book)
    add(client, other_book)
    line = basket_of(client).lines.get(book=book)

    response = client.post(remove_url(line.pk), follow=True)

    assert response.redirect_chain == [(BASKET_URL, 302)]
    assert messages_in(response) == ["Removed Conquered City from your basket."]
    assert lines_of(client) == [("Midnight in the Century", 1)]


def test_removing_the_last_line_leaves_an_empty_basket(client: Client, book: Book) -> None:
    add(client, book)

    response = client.post(remove_url(only_line(client).pk), follow=True)

    assert "Your basket is empty." in parse(response).find("main").text()
    assert header_count(response) == 0


@pytest.mark.parametrize("action", ["update", "remove"])
def test_update_and_remove_ignore_an_external_next(client: Client, book: Book, action: str) -> None:
    add(client, book)
    url = (update_url if action == "update" else remove_url)(only_line(client).pk)

    response = client.post(url, {"quantity": "2", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == BASKET_URL


# --- CSRF and methods ------------------------------------------------------------------


def post_targets(book: Book, line: BasketLine) -> list[tuple[str, dict]]:
    return [
        (ADD_URL, {"book": book.pk, "quantity": "1"}),
        (update_url(line.pk), {"quantity": "5"}),
        (remove_url(line.pk), {}),
    ]


@pytest.mark.parametrize("target", [0, 1, 2], ids=["add", "update", "remove"])
def test_a_basket_change_without_its_csrf_token_is_refused_and_changes_nothing(
    csrf_client: Client, book: Book, target: int
) -> None:
    basket = Basket.objects.create()
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = csrf_client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()
    csrf_client.get(BASKET_URL)  # the browser has the CSRF cookie, the form lost its token
    url, data = post_targets(book, line)[target]
    before = everything_in_baskets()

    response = csrf_client.post(url, data)

    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()
    assert everything_in_baskets() == before


@pytest.mark.parametrize("target", [0, 1, 2], ids=["add", "update", "remove"])
def test_a_basket_change_with_the_pages_csrf_token_goes_through(
    csrf_client: Client, book: Book, target: int
) -> None:
    basket = Basket.objects.create()
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = csrf_client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()
    page = parse(csrf_client.get(BASKET_URL))
    form = form_data(page.find("form", css_class="basket-line__quantity"))
    token = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"]}
    url, data = post_targets(book, line)[target]
    before = everything_in_baskets()

    response = csrf_client.post(url, {**data, **token})

    assert response.status_code == 302
    assert everything_in_baskets() != before


@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_get_on_a_basket_change_url_is_not_allowed(client: Client, book: Book, action) -> None:
    add(client, book, 2)
    url = {
        "add": f"{ADD_URL}?book={book.pk}&quantity=1",
        "update": update_url(only_line(client).pk) + "?quantity=5",
        "remove": remove_url(only_line(client).pk),
    }[action]
    before = everything_in_baskets()

    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert everything_in_baskets() == before


def test_post_to_the_basket_page_is_not_allowed(client: Client, book: Book) -> None:
    add(client, book)
    before = everything_in_baskets()

    response = client.post(BASKET_URL, {"book": book.pk, "quantity": "1"})

    assert response.status_code == 405
    assert everything_in_baskets() == before


# --- Bad input -------------------------------------------------------------------------

WHOLE_NUMBER = "Enter a whole number of copies, such as 1 or 2."
NOT_IN_CATALOGUE = "Sorry, that book is not in our catalogue."
NOT_IN_BASKET = {
    "update": "That book is no longer in your basket.",
    "remove": "That book was not in your basket.",
}
BAD_QUANTITIES = [
    ("abc", WHOLE_NUMBER),
    ("-1", "Choose at least one copy."),
    ("0", "Choose at least one copy."),
    ("1.5", WHOLE_NUMBER),
    ("1e3", WHOLE_NUMBER),
    ("99999999999999999999999", "That is more copies than we can sell in one order."),
    ("", "Enter how many copies you want."),
    (None, "Enter how many copies you want."),
]


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


@pytest.mark.parametrize(("quantity", "message"), BAD_QUANTITIES)
def test_update_with_a_bad_quantity_says_why_and_changes_nothing(
    client: Client, book: Book, quantity: str | None, message: str
) -> None:
    add(client, book, 2)
    line = only_line(client)
    before = everything_in_baskets()
    data = {} if quantity is None else {"quantity": quantity}

    response = client.post(update_url(line.pk), data, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [message]
    assert everything_in_baskets() == before


@pytest.fixture
def someone_elses_line(other_book: Book) -> BasketLine:
    theirs = Basket.objects.create(
        user=get_user_model().objects.create_user("someone-else", password=PASSWORD)
    )
    return basket_services.basket_add(basket=theirs, book_id=other_book.pk, quantity=1)


@pytest.mark.parametrize("action", ["update", "remove"])
def test_a_line_of_another_customers_basket_cannot_be_changed_or_seen(
    client: Client, book: Book, someone_elses_line: BasketLine, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(someone_elses_line.pk)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert everything_in_baskets() == before
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert "Midnight in the Century" not in response.content.decode()


@pytest.mark.parametrize("line_id", ["999999", "0", "99999999999999999999999"])
@pytest.mark.parametrize("action", ["update", "remove"])
def test_an_unknown_line_id_says_so_and_changes_nothing(
    client: Client, book: Book, line_id: str, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(line_id)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert everything_in_baskets() == before


@pytest.mark.parametrize("line_id", ["abc", "-1", "1.5", "%20"])
@pytest.mark.parametrize("action", ["update", "remove"])
def test_a_malformed_line_id_is_not_found(
    client: Client, book: Book, line_id: str, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(line_id)

    response = client.post(url, {"quantity": "3"})

    assert response.status_code == 404
    assert everything_in_baskets() == before


@pytest.mark.parametrize("action", ["update", "remove"])
def test_changing_a_line_without_a_basket_says_so(
    client: Client, someone_elses_line: BasketLine, action: str
) -> None:
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(someone_elses_line.pk)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert everything_in_baskets() == before
    assert "Midnight in the Century" not in response.content.decode()


# --- The basket page -------------------------------------------------------------------


def test_basket_page_shows_each_line_with_its_book_prices_and_forms(
    client: Client, book: Book, victor_serge: Author
) -> None:
    add(client, book, 3)
    line = only_line(client)

    page = parse(client.get(BASKET_URL))

    [item] = page.find_all("li", css_class="basket-line")
    cover = item.find("a", css_class="basket-line__cover")
    assert cover.get("href") == book.get_absolute_url()
    assert cover.find_all("img") or cover.find_all("svg")
    title = item.find(css_class="basket-line__title").find("a")
    assert (title.text(), title.get("href")) == ("Conquered City", book.get_absolute_url())
    author = item.find(css_class="basket-line__authors").find("a")
    assert (author.text(), author.get("href")) == ("Victor Serge", victor_serge.get_absolute_url())
    assert item.find(css_class="basket-line__unit").text() == "$39.99"

    update = item.find("form", css_class="basket-line__quantity")
    assert (update.get("method"), update.get("action")) == ("post", update_url(line.pk))
    quantity = next(f for f in update.find_all("input") if f.get("name") == "quantity")
    assert (quantity.get("type"), quantity.get("value")) == ("number", "3")
    assert update.find("button").text().startswith("Update")
    assert "csrfmiddlewaretoken" in form_data(update)

    assert item.find(css_class="basket-line__total").text() == "Line total: $119.97"

    remove = item.find("form", css_class="basket-line__remove")
    assert (remove.get("method"), remove.get("action")) == ("post", remove_url(line.pk))
    assert remove.find("button").text().startswith("Remove")
    assert "csrfmiddlewaretoken" in form_data(remove)


def test_basket_page_shows_the_count_the_total_and_the_gst_inside_it(
    client: Client, book: Book, other_book: Book
) -> None:
    add(client, book, 3)
    add(client, other_book, 1)

    page = parse(client.get(BASKET_URL))

    summary = page.find(css_class="basket__summary")
    assert summary.find(css_class="basket__count").text() == "4"
    assert summary.find(css_class="basket__total").find("dd").text() == "$144.96"
    # 144.96 / 11 = 13.178...
    assert summary.find(css_class="basket__gst").text() == "Includes GST of $13.18"


def test_three_copies_at_39_99_cost_119_97_including_10_91_gst(client: Client, book) -> None:
    add(client, book, 3)

    text = parse(client.get(BASKET_URL)).find("main").text()

    assert "Line total: $119.97" in text
    assert "Includes GST of $10.91" in text


def test_basket_page_writes_amounts_with_thousands_separators(client: Client) -> None:
    book = BookFactory(title="Folio Edition", rrp=aud("1234.50"), stock=2)
    add(client, book, 2)

    page = parse(client.get(BASKET_URL))

    assert page.find(css_class="basket-line__unit").text() == "$1,234.50"
    assert page.find(css_class="basket__total").find("dd").text() == "$2,469.00"
    assert page.find(css_class="basket__gst").text() == "Includes GST of $224.45"


@pytest.mark.parametrize("history", ["new-visitor", "emptied-basket"])
def test_an_empty_basket_says_so_and_links_back_to_the_books(
    client: Client, book: Book, history: str
) -> None:
    if history == "emptied-basket":
        add(client, book)
        client.post(remove_url(only_line(client).pk))

    page = parse(client.get(BASKET_URL))

    empty = page.find(css_class="empty")
    assert "Your basket is empty." in empty.text()
    assert "/books/" in [link.get("href") for link in empty.find_all("a")]
    assert page.find_all("li", css_class="basket-line") == []
    assert page.find_all(css_class="basket__gst") == []


def test_basket_page_charges_a_changed_price_and_says_so_once(client: Client, book: Book) -> None:
    add(client, book, 2)
    Book.objects.filter(pk=book.pk).update(rrp=aud("44.99"))

    first = client.get(BASKET_URL)

    notices = parse(first).find(css_class="notices").text()
    assert notices == "The price of Conquered City has changed from $39.99 to $44.99."
    assert parse(first).find(css_class="basket__total").find("dd").text() == "$89.98"

    second = client.get(BASKET_URL)

    assert parse(second).find_all(css_class="notices") == []
    assert "has changed from" not in second.content.decode()
    assert parse(second).find(css_class="basket__total").find("dd").text() == "$89.98"


@pytest.mark.parametrize(
    "change",
    [{"is_visible": False}, {"stock": 0}, {"rrp": None}],
    ids=["hidden", "out-of-stock", "not-for-sale"],
)
def test_a_book_that_can_no_longer_be_bought_leaves_the_basket_with_a_notice(
    client: Client, book: Book, other_book: Book, change: dict
) -> None:
    add(client, book, 2)
    add(client, other_book, 1)
    Book.objects.filter(pk=book.pk).update(**change)

    response = client.get(BASKET_URL)

    page = parse(response)
    assert page.find(css_class="notices").text() == (
        "Conquered City is no longer available and has left your basket."
    )
    titles = [li.find("h2").text() for li in page.find_all("li", css_class="basket-line")]
    assert titles == ["Midnight in the Century"]
    assert header_count(response) == 1
    assert lines_of(client) == [("Midnight in the Century", 1)]


def test_a_quantity_above_a_lowered_stock_is_reduced_with_a_notice(
    client: Client, book: Book
) -> None:
    add(client, book, 5)
    Book.objects.filter(pk=book.pk).update(stock=2)

    response = client.get(BASKET_URL)

    assert parse(response).find(css_class="notices").text() == (
        "We have 2 copies of Conquered City in stock. We have changed your basket to 2."
    )
    assert header_count(response) == 2
    assert lines_of(client) == [("Conquered City", 2)]


# --- The header count ------------------------------------------------------------------


def page_urls(book: Book) -> dict[str, str]:
    return {
        "home": "/",
        "listing": "/books/",
        "book": book.get_absolute_url(),
        "author": "/authors/victor-serge/",
        "basket": BASKET_URL,
    }


@pytest.mark.parametrize("name", ["home", "listing", "book", "author", "basket"])
def test_header_basket_count_is_right_on_every_page(
    client: Client, book: Book, other_book: Book, name: str
) -> None:
    url = page_urls(book)[name]
    assert header_count(client.get(url)) == 0

    add(client, book, 2)
    add(client, other_book, 3)

    assert header_count(client.get(url)) == 5


@pytest.mark.parametrize("name", ["home", "listing", "book"])
def test_header_count_leaves_out_what_the_basket_page_would_remove(
    client: Client, book: Book, other_book: Book, name: str
) -> None:
    add(client, book, 5)
    add(client, other_book, 1)
    Book.objects.filter(pk=book.pk).update(stock=2)
    Book.objects.filter(pk=other_book.pk).update(is_visible=False)

    # Whichever page comes first, it must agree with the basket page.
    assert header_count(client.get(page_urls(book)[name])) == 2
    assert header_count(client.get(BASKET_URL)) == 2


def basket_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "shop_basket" in q["sql"]]


@pytest.mark.parametrize("name", ["home", "listing", "book", "author"])
def test_header_count_costs_one_query_at_most(
    client: Client, book: Book, other_book: Book, name: str, django_assert_num_queries
) -> None:
    url = page_urls(book)[name]
    # A visitor with no session at all: the header costs nothing.
    with CaptureQueriesContext(connection) as no_session:
        assert header_count(client.get(url)) == 0
    assert basket_queries(no_session) == []

    # A visitor with a session but no basket, as the baseline.
    client.session.save()
    with CaptureQueriesContext(connection) as empty_session:
        assert header_count(client.get(url)) == 0
    baseline = len(empty_session.captured_queries)

    basket = Basket.objects.create()
    for item in (book, other_book):
        basket_services.basket_add(basket=basket, book_id=item.pk, quantity=2)
    session = client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()

    with django_assert_num_queries(baseline + 1) as with_basket:
        assert header_count(client.get(url)) == 4
    assert len(basket_queries(with_basket)) == 1


def test_header_count_of_a_signed_in_customer_is_one_query(
    client: Client, book: Book, customer
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=3)
    client.force_login(customer)  # a new device: the session knows no basket yet

    with CaptureQueriesContext(connection) as queries:
        assert header_count(client.get("/")) == 3
    assert len(basket_queries(queries)) == 1


# --- Query counts of the basket page ---------------------------------------------------


def fill_basket(client: Client, count: int) -> None:
    basket = Basket.objects.create()
    author = AuthorFactory()
    for _ in range(count):
        book = BookFactory(stock=5)
        ContributionFactory(book=book, author=author)
        ContributionFactory(book=book, role="translator")
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()


# The session, the basket, its lines with their books, their books' authors, and the
# header's count (filled in by shop.holes, as on every page). A basket that needs no
# correction is read without a lock or a transaction.
BASKET_PAGE_QUERIES = 5


@pytest.mark.parametrize("lines", [1, 20])
def test_basket_page_queries_do_not_grow_with_its_lines(
    client: Client, lines: int, django_assert_num_queries
) -> None:
    fill_basket(client, lines)

    with django_assert_num_queries(BASKET_PAGE_QUERIES):
        first = client.get(BASKET_URL)
    with django_assert_num_queries(BASKET_PAGE_QUERIES):
        again = client.get(BASKET_URL)

    for response in (first, again):
        assert len(parse(response).find_all("li", css_class="basket-line")) == lines
        assert header_count(response) == 2 * lines
    assert visible_text(again) == visible_text(first)


def visible_text(response: HttpResponse) -> str:
    """The page without its CSRF tokens (new for every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize(
    ("change", "notice"),
    [
        ({"rrp": Money("44.99", "AUD")}, "has changed from $39.99 to $44.99"),
        ({"stock": 1}, "We have changed your basket to 1."),
        ({"stock": 0}, "is no longer available and has left your basket."),
        ({"is_visible": False}, "is no longer available and has left your basket."),
        (
            {"published": timezone.localdate() - datetime.timedelta(days=1)},
            "We have changed your basket to 1.",
        ),
    ],
    ids=["price", "stock-lowered", "out-of-stock", "hidden", "pre-order-out-now"],
)
def test_a_stored_basket_page_is_not_served_after_its_books_change(
    client: Client, book: Book, change: dict, notice: str
) -> None:
    if "published" in change:  # a pre-order of three that comes out with one copy in stock
        Book.objects.filter(pk=book.pk).update(
            published=timezone.localdate() + datetime.timedelta(days=30), stock=1
        )
    add(client, book, 3 if "published" in change else 2)
    client.get(BASKET_URL)  # stored
    # A change that sends no signal (a bulk update), so the catalogue version stays.
    Book.objects.filter(pk=book.pk).update(**change)

    response = client.get(BASKET_URL)

    assert notice in parse(response).find(css_class="notices").text()
    assert "notices" not in client.get(BASKET_URL).content.decode()


def test_a_staff_edit_shows_on_the_next_basket_page(
    client: Client, book: Book, django_capture_on_commit_callbacks
) -> None:
    add(client, book, 1)
    client.get(BASKET_URL)  # stored
    book.title = "Conquered City: A Novel"
    with django_capture_on_commit_callbacks(execute=True):  # as staff's admin save commits
        book.save()

    page = parse(client.get(BASKET_URL))

    assert page.find("h2", css_class="basket-line__title").text() == "Conquered City: A Novel"


def test_a_basket_change_shows_on_the_next_basket_page(
    client: Client, book: Book, other_book: Book
) -> None:
    add(client, book, 1)
    client.get(BASKET_URL)  # stored
    add(client, other_book, 2)
    first = parse(client.get(BASKET_URL))
    client.post(update_url(only_line_of(client, book).pk), {"quantity": 3})

    second = parse(client.get(BASKET_URL))

    assert first.find(css_class="basket__count").text() == "3"
    assert second.find(css_class="basket__count").text() == "5"
    assert header_count(client.get(BASKET_URL)) == 5


def test_a_customers_basket_page_on_a_new_device_shows_their_basket(
    client: Client, book: Book, customer, django_assert_num_queries
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=3)
    client.force_login(customer)  # the session knows no basket yet

    first = client.get(BASKET_URL)
    # The session, the customer, their basket, its lines with books, and the authors.
    with django_assert_num_queries(BASKET_PAGE_QUERIES + 1):  # and the customer
        again = client.get(BASKET_URL)

    for response in (first, again):
        titles = [
            li.find("h2").text() for li in parse(response).find_all("li", css_class="basket-line")
        ]
        assert titles == ["Conquered City"]
        assert header_count(response) == 3


def test_a_visitor_never_sees_a_basket_that_now_belongs_to_an_account(
    client: Client, book: Book, customer
) -> None:
    add(client, book, 2)
    client.get(BASKET_URL)  # stored
    Basket.objects.update(user=customer)  # adopted when they signed in elsewhere

    response = client.get(BASKET_URL)

    assert "Your basket is empty." in response.content.decode()
    assert header_count(response) == 0
    assert header_count(client.get("/books/")) == 0


def only_line_of(client: Client, book: Book) -> BasketLine:
    return basket_of(client).lines.get(book=book)


def test_a_stored_basket_page_is_only_ever_shown_to_its_own_basket(
    book: Book, other_book: Book
) -> None:
    mine, theirs = Client(), Client()
    add(mine, book, 2)
    add(theirs, book, 2)
    add(theirs, other_book, 1)
    mine.get(BASKET_URL)
    theirs.get(BASKET_URL)

    mine_page = mine.get(BASKET_URL)
    theirs_page = theirs.get(BASKET_URL)

    titles = [
        li.find("h2").text() for li in parse(mine_page).find_all("li", css_class="basket-line")
    ]
    assert titles == ["Conquered City"]
    assert header_count(mine_page) == 2
    assert header_count(theirs_page) == 3
    update_actions = [
        form.get("action")
        for form in parse(mine_page).find_all("form", css_class="basket-line__quantity")
    ]
    assert update_actions == [update_url(only_line_of(mine, book).pk)]


def test_a_stored_basket_page_carries_each_visitors_own_csrf_token(
    csrf_client: Client, book: Book
) -> None:
    other = Client(enforce_csrf_checks=True)
    for visitor in (csrf_client, other):
        visitor.get(book.get_absolute_url())
        token = visitor.cookies[settings.CSRF_COOKIE_NAME].value
        visitor.post(ADD_URL, {"book": book.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    # Both baskets hold one line each; their pages are stored separately, and each form
    # posts with its own visitor's token.
    for visitor in (csrf_client, other, csrf_client, other):
        page = parse(visitor.get(BASKET_URL))
        form = page.find("form", css_class="basket-line__quantity")
        token = form.find("input").get("value")
        response = visitor.post(form.get("action"), {"quantity": 2, "csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_basket_page_of_a_visitor_without_a_session_needs_no_query(
    client: Client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = client.get(BASKET_URL)

    assert "Your basket is empty." in response.content.decode()


def test_basket_page_is_not_for_search_engines(client: Client) -> None:
    page = parse(client.get(BASKET_URL))

    robots = [m.get("content") for m in page.find_all("meta") if m.get("name") == "robots"]
    assert robots == ["noindex"]


def test_basket_page_lists_lines_in_the_order_they_were_added(client: Client) -> None:
    titles = ["Zebra", "Apple", "Mango"]
    for title in titles:
        add(client, BookFactory(title=title, stock=3))

    page = parse(client.get(BASKET_URL))

    shown = [li.find("h2").text() for li in page.find_all("li", css_class="basket-line")]
    assert shown == titles


def test_a_line_id_in_the_page_matches_its_book(client: Client, book: Book, other_book) -> None:
    add(client, book)
    add(client, other_book)

    page = parse(client.get(BASKET_URL))

    for item in page.find_all("li", css_class="basket-line"):
        action = item.find("form", css_class="basket-line__remove").get("action")
        line_id = int(re.fullmatch(r"/basket/lines/(\d+)/remove/", action).group(1))
        assert BasketLine.objects.get(pk=line_id).book.title == item.find("h2").text()
