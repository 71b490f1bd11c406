"""The header's basket count: right on every page, counting what the basket page would
keep, in one query at most."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalogue.models import Book
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket
from tests.shop.basket.helpers import (
    BASKET_URL,
    add,
    header_count,
)

pytestmark = pytest.mark.django_db


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
