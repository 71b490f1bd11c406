"""Order moves at the same moment, on real connections (one per thread; tests/settings.py
gives SQLite a database file so its locking is exercised): ten cancels of one order put
its stock back once; the release job and a late payment never both win; two refunds
never add up past the total. On PostgreSQL, the same cancels without the order's row lock
put the stock back twice: the lock is what makes it once."""

import threading

import pytest
from django.db import connection

from catalogue.models import Book
from shop.demo import load_delivery_methods
from shop.models import DeliveryMethod, Order, OrderEvent, OrderStatus
from shop.orders import lifecycle
from shop.orders.lifecycle import TransitionRefused
from tests.factories import BookFactory
from tests.shop.basket.test_concurrency import run_together
from tests.shop.helpers import aud
from tests.shop.orders.conftest import FakeRefund, at_status, basket_of, place

S = OrderStatus


def placed_order(stock: int = 12, quantity: int = 2) -> tuple[Order, Book]:
    load_delivery_methods()
    book = BookFactory(title="Conquered City", rrp=aud("39.99"), stock=stock)
    order = place(basket_of((book, quantity)), DeliveryMethod.objects.get(name="Standard"))
    return order, book


def test_ten_cancels_at_once_put_the_stock_back_once(transactional_db: None) -> None:
    order, book = placed_order()

    def cancel(index: int, barrier: threading.Barrier):
        barrier.wait()
        return lifecycle.order_cancel(order=Order.objects.get(pk=order.pk), by=None)

    results = run_together(10, cancel)

    assert len([r for r in results if isinstance(r, Order)]) == 1
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert {str(r) for r in refused} == {f"Order {order.number} is cancelled already."}
    assert len(refused) == 9
    assert Book.objects.get(pk=book.pk).stock == 12
    assert OrderEvent.objects.count() == 1


def test_the_release_and_a_late_payment_never_both_win(transactional_db: None) -> None:
    order, book = placed_order()
    Order.objects.filter(pk=order.pk).update(created_at=order.created_at.replace(year=2020))

    def release_or_pay(index: int, barrier: threading.Barrier):
        barrier.wait()
        if index == 0:
            return lifecycle.orders_release_unpaid()
        return lifecycle.order_mark_paid(order=Order.objects.get(pk=order.pk))

    released, paid = run_together(2, release_or_pay)

    status = Order.objects.get(pk=order.pk).status
    if status == S.CANCELLED:
        assert released == 1 and isinstance(paid, TransitionRefused)
        assert Book.objects.get(pk=book.pk).stock == 12
    else:
        assert status == S.PAID
        assert released == 0 and isinstance(paid, Order)
        assert Book.objects.get(pk=book.pk).stock == 10
    assert OrderEvent.objects.count() == 1


def test_two_refunds_at_once_never_pass_the_total(transactional_db: None) -> None:
    order, _ = placed_order()  # $88.93
    at_status(order, S.DELIVERED)
    refund = FakeRefund()

    def refund_fifty(index: int, barrier: threading.Barrier):
        barrier.wait()
        return lifecycle.order_refund(
            order=Order.objects.get(pk=order.pk), amount=aud("50.00"), by=None, refund=refund
        )

    results = run_together(2, refund_fifty)

    assert len([r for r in results if isinstance(r, Order)]) == 1
    [refused] = [r for r in results if isinstance(r, TransitionRefused)]
    assert "has $38.93 left to refund" in str(refused)
    assert Order.objects.get(pk=order.pk).refunded == aud("50.00")
    assert len(refund.calls) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's IMMEDIATE transactions serialise whole transactions: no race to show",
)
def test_without_the_row_lock_two_cancels_would_restock_twice(
    transactional_db: None, monkeypatch
) -> None:
    order, book = placed_order()
    both_read = threading.Barrier(2, timeout=10)

    def read_without_locking(order: Order) -> Order:
        current = Order.objects.get(pk=order.pk)
        both_read.wait()  # each has seen "awaiting payment" before either writes
        return current

    monkeypatch.setattr(lifecycle, "_lock", read_without_locking)

    def cancel(index: int, barrier: threading.Barrier):
        barrier.wait()
        return lifecycle.order_cancel(order=Order.objects.get(pk=order.pk), by=None)

    results = run_together(2, cancel)

    assert all(isinstance(r, Order) for r in results), results
    assert Book.objects.get(pk=book.pk).stock == 14  # two copies too many
