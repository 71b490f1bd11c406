"""Payments under simultaneous requests, on real connections (one per thread): the pay
button pressed ten times at once makes one attempt, and the same confirmation arriving
ten times at once marks the order paid once and refunds nothing."""

import threading

from payments import PaymentStatus

from shop.models import DeliveryMethod, Order, OrderStatus
from shop.payments.models import Payment, PaymentRefund
from shop.payments.services import payment_settle, payment_start
from tests.factories import BookFactory
from tests.shop.basket.test_concurrency import run_together
from tests.shop.helpers import aud
from tests.shop.orders.conftest import basket_of, place


def an_order() -> Order:
    from shop.demo import load_delivery_methods

    load_delivery_methods()
    book = BookFactory(rrp=aud("39.99"), stock=5)
    return place(basket_of((book, 2)), DeliveryMethod.objects.get(name="Standard"))


def test_pay_pressed_ten_times_at_once_makes_one_attempt(transactional_db: None) -> None:
    order = an_order()

    def press(index: int, barrier: threading.Barrier):
        barrier.wait()
        return payment_start(order=Order.objects.get(pk=order.pk))

    results = run_together(10, press)

    assert all(isinstance(r, Payment) for r in results), results
    assert {r.pk for r in results} == {Payment.objects.get(order=order).pk}


def test_one_confirmation_arriving_ten_times_at_once_settles_once(
    transactional_db: None,
) -> None:
    order = an_order()
    payment = payment_start(order=order)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.CONFIRMED, captured_amount=payment.total
    )

    def confirm(index: int, barrier: threading.Barrier):
        copy = Payment.objects.get(pk=payment.pk)  # each request loads its own
        barrier.wait()
        payment_settle(payment=copy)
        return copy.outcome

    results = run_together(10, confirm)

    assert results == ["Paid the order."] * 10
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert not PaymentRefund.objects.exists()
    assert Payment.objects.get(pk=payment.pk).settled_at is not None
