"""Orders under simultaneous checkouts, on real connections (one per thread; tests/settings.py
gives SQLite a database file so its locking is exercised, not bypassed): twenty customers
racing for the last copy end with exactly one order and nineteen clear refusals, and one
checkout sent ten times at once places one order."""

import secrets
import threading

from catalogue.models import Book
from shop.demo import load_delivery_methods
from shop.models import BasketLine, DeliveryMethod, Order, OrderLine
from shop.orders.services import OrderRefused, order_place
from tests.factories import BookFactory
from tests.shop.basket.test_concurrency import THREADS, run_together
from tests.shop.helpers import aud
from tests.shop.orders.conftest import DETAILS, basket_of, shown_total


def test_twenty_customers_racing_for_the_last_copy_make_exactly_one_order(
    transactional_db: None,
) -> None:
    load_delivery_methods()
    standard = DeliveryMethod.objects.get(name="Standard")
    last = BookFactory(title="The Last Copy", rrp=aud("39.99"), stock=1)
    baskets = [basket_of((last, 1)) for _ in range(THREADS)]
    shown = shown_total(baskets[0], standard)

    def check_out(index: int, barrier: threading.Barrier):
        barrier.wait()
        return order_place(
            basket=baskets[index],
            checkout_token=secrets.token_urlsafe(16),
            details=DETAILS,
            delivery_method_id=standard.pk,
            expected_total=shown,
        )

    results = run_together(THREADS, check_out)

    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OrderRefused)]
    assert [r for r in results if r not in placed and r not in refused] == []
    assert len(placed) == 1
    assert len(refused) == THREADS - 1
    assert {str(error) for error in refused} == {"Sorry, The Last Copy is out of stock."}
    assert Order.objects.count() == 1
    assert list(OrderLine.objects.values_list("book_id", "quantity")) == [(last.pk, 1)]
    assert Book.objects.get(pk=last.pk).stock == 0
    # Only the winner's basket was emptied; the others still hold the book to change.
    assert BasketLine.objects.count() == THREADS - 1


def test_one_checkout_sent_ten_times_at_once_places_one_order(transactional_db: None) -> None:
    load_delivery_methods()
    standard = DeliveryMethod.objects.get(name="Standard")
    book = BookFactory(rrp=aud("39.99"), stock=5)
    basket = basket_of((book, 2))
    shown = shown_total(basket, standard)

    def submit(index: int, barrier: threading.Barrier):
        barrier.wait()
        return order_place(
            basket=basket,
            checkout_token="one-checkout",
            details=DETAILS,
            delivery_method_id=standard.pk,
            expected_total=shown,
        )

    results = run_together(10, submit)

    assert all(isinstance(r, Order) for r in results), results
    assert {r.pk for r in results} == {Order.objects.get().pk}
    assert Book.objects.get(pk=book.pk).stock == 3
