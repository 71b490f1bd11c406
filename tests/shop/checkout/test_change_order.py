"""Going back to change an unpaid order: from the pay page, the order is cancelled (its
stock goes back) and its books return to the customer's basket, to change and check out
again. A paid order, or one already cancelled, is never changed this way."""

import pytest

from catalogue.models import Book
from shop.models import BasketLine, Order, OrderStatus
from tests.html import parse
from tests.shop.basket.helpers import messages_in
from tests.shop.checkout.conftest import REVIEW_URL, add, to_review
from tests.shop.checkout.test_review import review_form


@pytest.fixture
def placed(shopper, book) -> Order:
    add(shopper, book, 1)  # two copies in all
    to_review(shopper)
    shopper.post(REVIEW_URL, review_form(shopper))
    return Order.objects.get()


def change_url(order: Order) -> str:
    return f"/orders/{order.token}/change/"


def test_the_pay_page_offers_to_change_the_order(shopper, placed) -> None:
    page = parse(shopper.get(f"/orders/{placed.token}/pay/"))
    form = page.find("form", action=change_url(placed))
    assert form.find("button").text() == "Change your order"


def test_changing_puts_the_books_back_and_cancels_the_order(shopper, placed, book) -> None:
    book.refresh_from_db()
    assert book.stock == 10
    response = shopper.post(change_url(placed), follow=True)

    assert response.redirect_chain == [("/basket/", 302)]
    assert messages_in(response) == [
        f"Order {placed.number} is cancelled and its books are back in your basket: change "
        "it as you like and check out again."
    ]
    assert list(BasketLine.objects.values_list("book_id", "quantity")) == [(book.pk, 2)]
    placed.refresh_from_db()
    assert placed.status == OrderStatus.CANCELLED
    book.refresh_from_db()
    assert book.stock == 12
    # And the customer can check out again: a new order.
    to_review(shopper)
    shopper.post(REVIEW_URL, review_form(shopper))
    assert Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT).count() == 1


def test_a_paid_order_is_not_changed(shopper, placed, book) -> None:
    Order.objects.filter(pk=placed.pk).update(status=OrderStatus.PAID)
    response = shopper.post(change_url(placed), follow=True)
    assert response.redirect_chain == [(f"/orders/{placed.token}/", 302)]
    assert messages_in(response) == [f"Order {placed.number} is paid: it can no longer be changed."]
    assert not BasketLine.objects.exists()
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.PAID


def test_changing_twice_puts_the_books_back_once(shopper, placed) -> None:
    shopper.post(change_url(placed))
    shopper.post(change_url(placed))
    assert list(BasketLine.objects.values_list("quantity", flat=True)) == [2]


def test_a_book_withdrawn_meanwhile_is_told(shopper, placed, book) -> None:
    Book.objects.filter(pk=book.pk).update(rrp=None)  # staff took it off sale
    response = shopper.post(change_url(placed), follow=True)
    assert messages_in(response)[1:] == ["Sorry, Conquered City is not for sale."]
    assert not BasketLine.objects.exists()
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.CANCELLED


def test_an_unknown_order_is_a_404_and_get_is_refused(client, placed) -> None:
    assert client.post("/orders/no-such-order/change/").status_code == 404
    assert client.get(change_url(placed)).status_code == 405
