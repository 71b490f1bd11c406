"""The dispatch promise (catalogue.availability.dispatch_promise): a book in stock is
"Usually dispatched within 2 business days", a pre-order "Dispatched when published on
12 March 2027", and a book that cannot be bought promises nothing; on the book page and on
each line of the basket page."""

import datetime

import pytest
from django.test import Client

from catalogue import availability
from catalogue.availability import Availability, dispatch_promise
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket
from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import days_from_today

pytestmark = pytest.mark.django_db

IN_STOCK = "Usually dispatched within 2 business days"


def test_the_promise_follows_from_availability():
    published = datetime.date(2027, 3, 12)
    assert dispatch_promise(Availability.IN_STOCK, datetime.date(2020, 1, 1)) == IN_STOCK
    assert dispatch_promise(Availability.IN_STOCK, None) == IN_STOCK
    assert dispatch_promise(Availability.PRE_ORDER, published) == (
        "Dispatched when published on 12 March 2027"
    )
    assert dispatch_promise(Availability.OUT_OF_STOCK, None) == ""
    assert dispatch_promise(Availability.NOT_FOR_SALE, published) == ""


def test_the_number_of_business_days_is_set_in_one_place(monkeypatch):
    monkeypatch.setattr(availability, "DISPATCH_BUSINESS_DAYS", 1)
    assert dispatch_promise(Availability.IN_STOCK, None) == (
        "Usually dispatched within 1 business day"
    )
    monkeypatch.setattr(availability, "DISPATCH_BUSINESS_DAYS", 3)
    assert dispatch_promise(Availability.IN_STOCK, None) == (
        "Usually dispatched within 3 business days"
    )


def book_of_kind(kind: str):
    published = days_from_today(-30)
    return {
        "in-stock": lambda: BookFactory(stock=4, published=published),
        "pre-order": lambda: BookFactory(stock=0, published=days_from_today(100)),
        "out-of-stock": lambda: BookFactory(stock=0, published=published),
        "not-for-sale": lambda: BookFactory(stock=4, published=published, rrp=None),
    }[kind]()


def promise_on(page) -> list[str]:
    return [p.text() for p in page.find_all("p", css_class="dispatch-promise")]


def expected(kind: str, book) -> list[str]:
    if kind == "in-stock":
        return [IN_STOCK]
    if kind == "pre-order":
        date = book.published
        return [f"Dispatched when published on {date.day} {date:%B} {date.year}"]
    return []


KINDS = ["in-stock", "pre-order", "out-of-stock", "not-for-sale"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_book_page_says_when_a_copy_is_dispatched(client, kind):
    book = book_of_kind(kind)

    response = client.get(book.get_absolute_url())

    assert response.status_code == 200
    buy = parse(response).find("section", css_class="buy")
    assert promise_on(buy) == expected(kind, book)
    if kind not in ("in-stock", "pre-order"):
        assert "dispatched" not in buy.text().lower()


# A book that can no longer be bought leaves the basket (with a notice), so a basket only
# ever holds books in stock and pre-orders.
@pytest.mark.parametrize("kind", ["in-stock", "pre-order"])
def test_each_basket_line_says_when_it_is_dispatched(kind):
    book = book_of_kind(kind)
    other = BookFactory(stock=2)
    basket = Basket.objects.create()
    for each in (other, book):
        basket_services.basket_add(basket=basket, book_id=each.pk, quantity=1)
    client = Client()
    session = client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()

    page = parse(client.get("/basket/"))

    lines = {
        line.find("h2").text(): promise_on(line)
        for line in page.find_all("li", css_class="basket-line")
    }
    assert lines == {other.title: [IN_STOCK], book.title: expected(kind, book)}


def test_a_hidden_book_promises_nothing():
    assert BookFactory.build(stock=3, is_visible=False).dispatch_promise == ""
    assert BookFactory.build(stock=3, is_visible=True).dispatch_promise == IN_STOCK
