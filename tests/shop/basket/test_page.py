"""The basket page: each line with its book, prices and forms, the totals with GST inside,
notices when a book changed since it was added, a constant number of queries, and what
each visitor sees is their own."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as format_date
from djmoney.money import Money

from catalogue.models import Author, Book, Contribution
from shop.basket import services as basket_services
from shop.models import Basket, BasketLine
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.html import form_data, parse
from tests.shop.basket.helpers import (
    ADD_URL,
    BASKET_URL,
    add,
    fill_basket,
    header_count,
    lines_of,
    only_line,
    only_line_of,
    remove_url,
    update_url,
    visible_text,
)
from tests.shop.helpers import aud

pytestmark = pytest.mark.django_db


def sign_in_href(response) -> str:
    return next(
        a.attrs["href"] for a in parse(response).find_all("a") if a.text().strip() == "Sign in"
    )


def test_basket_page_sign_in_link_returns_each_visitor_to_their_own_url():
    first = Client().get("/basket/?ref=newsletter")
    assert sign_in_href(first) == "/accounts/login/?next=/basket/%3Fref%3Dnewsletter"
    second = Client().get("/basket/")
    assert sign_in_href(second) == "/accounts/login/?next=/basket/"


# --- The basket page -------------------------------------------------------------------


def test_basket_line_links_each_author_in_order_and_not_the_translator(
    client: Client, book: Book, victor_serge: Author
) -> None:
    second = AuthorFactory(name="Vlady <Kibalchich>", slug="vlady")
    translator = AuthorFactory(name="Richard Greeman", slug="richard-greeman")
    ContributionFactory(book=book, author=second, position=1)
    ContributionFactory(book=book, author=translator, role=Contribution.Role.TRANSLATOR, position=2)
    add(client, book, 1)

    response = client.get(BASKET_URL)

    authors = parse(response).find(css_class="basket-line__authors")
    links = [(a.text(), a.get("href")) for a in authors.find_all("a")]
    assert links == [
        ("Victor Serge", victor_serge.get_absolute_url()),
        ("Vlady <Kibalchich>", second.get_absolute_url()),
    ]
    assert authors.text() == "Victor Serge, Vlady <Kibalchich>"
    assert b"Vlady &lt;Kibalchich&gt;" in response.content


def test_basket_line_of_a_book_without_an_author_has_no_author_line(
    client: Client, other_book: Book
) -> None:
    add(client, other_book, 1)

    [item] = parse(client.get(BASKET_URL)).find_all("li", css_class="basket-line")

    assert item.find_all(css_class="basket-line__authors") == []


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


def test_basket_line_says_whether_its_book_is_in_stock_or_a_pre_order(
    client: Client, book: Book, other_book: Book
) -> None:
    release = timezone.localdate() + datetime.timedelta(days=30)
    Book.objects.filter(pk=other_book.pk).update(published=release)
    add(client, book, 1)
    add(client, other_book, 1)

    page = parse(client.get(BASKET_URL))

    shown = [
        (p.get("class"), p.text())
        for item in page.find_all("li", css_class="basket-line")
        for p in item.find_all("p", css_class="availability")
    ]
    out = format_date(release, "j F Y")
    assert shown == [
        ("availability availability--in-stock", "In stock"),
        ("availability availability--pre-order", f"Pre-order · out {out}"),
    ]


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


# --- Query counts of the basket page ---------------------------------------------------

# The session, and the basket's lines with their books and the books' authors in one
# statement (found by the visitor's basket or the customer, without reading the basket
# first); the header shows the page's own count rather than counting again. A basket that
# needs no correction is read without a lock or a transaction.
BASKET_PAGE_QUERIES = 2


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
    # The session, the customer, their basket's lines with books, and the authors.
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
