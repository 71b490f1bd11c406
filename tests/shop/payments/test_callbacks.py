"""django-payments' callback view, replayed or forged: a repeated confirmation changes
nothing, a status in the query string or body confirms nothing, and an unknown payment
token is not found."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from shop.models import Order, OrderStatus
from shop.payments.models import Payment
from shop.payments.services import payment_settle
from tests.shop.payments.conftest import basket_of, form_url, pay_by_card, place, start_card_payment

pytestmark = pytest.mark.django_db


def process_url(token: str) -> str:
    return reverse("process_payment", kwargs={"token": token})


def test_a_forged_status_confirms_nothing(client: Client, order: Order) -> None:
    payment = start_card_payment(client, order)
    client.get(form_url(payment))

    forged = {"verification_result": "confirmed", "status": "confirmed", "outcome": "confirmed"}
    get = client.get(process_url(payment.token), forged)
    post = client.post(process_url(payment.token), forged)

    assert get.status_code == post.status_code == 302
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.INPUT
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_callback_for_an_unknown_payment_is_not_found(client: Client, order: Order) -> None:
    start_card_payment(client, order)
    wrong = str(uuid.uuid4())

    assert client.get(process_url(wrong), {"verification_result": "confirmed"}).status_code == 404
    assert client.post(process_url(wrong), {"status": "confirmed"}).status_code == 404
    assert client.post("/payments/process/dummy/", {"status": "confirmed"}).status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_replayed_callback_changes_nothing(client: Client, order: Order) -> None:
    pay_by_card(client, order, PaymentStatus.CONFIRMED)
    payment = Payment.objects.get(order=order)
    before = (payment.status, payment.captured_amount, payment.settled_at, payment.outcome)

    for _ in range(2):
        response = client.get(process_url(payment.token))
        assert response.status_code == 302

    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount, payment.settled_at, payment.outcome) == before
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_repeated_confirmation_settles_once(
    client: Client, order: Order, django_capture_on_commit_callbacks
) -> None:
    """A provider that confirms the same payment again (Stripe's webhook sent twice)."""
    pay_by_card(client, order, PaymentStatus.CONFIRMED)
    payment = Payment.objects.get(order=order)
    settled_at = payment.settled_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment.change_status(PaymentStatus.CONFIRMED)
        payment_settle(payment=payment)

    assert callbacks == []  # no refund queued
    payment.refresh_from_db()
    assert payment.settled_at == settled_at
    assert not payment.refunds.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_payment_confirmed_after_the_order_was_cancelled_is_refunded(
    client: Client, order: Order, django_capture_on_commit_callbacks
) -> None:
    payment = start_card_payment(client, order)
    client.get(form_url(payment))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(payment), {"outcome": PaymentStatus.CONFIRMED})

    # The form refuses an attempt for a cancelled order; the provider's own confirmation
    # (a webhook) still reaches the payment, and is refunded.
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INPUT
    with django_capture_on_commit_callbacks(execute=True):
        payment.captured_amount = payment.total
        payment.change_status(PaymentStatus.CONFIRMED)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.captured_amount == 0
    assert [(str(r.amount.amount), r.reason) for r in payment.refunds.all()] == [
        ("88.93", "The order was cancelled when it came.")
    ]
    assert payment.outcome == "Refunded in full: The order was cancelled when it came."


def test_a_second_payment_for_a_paid_order_is_refunded(
    client: Client, order: Order, django_capture_on_commit_callbacks
) -> None:
    """Two attempts both confirmed (a customer paying in two tabs): the order is paid once
    and the second payment given back."""
    first = start_card_payment(client, order)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.REJECTED)
    second = start_card_payment(client, order)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.INPUT)
    first.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(first), {"outcome": PaymentStatus.CONFIRMED})
        second.refresh_from_db()
        second.captured_amount = second.total
        second.change_status(PaymentStatus.CONFIRMED)

    first.refresh_from_db()
    second.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert first.status == PaymentStatus.CONFIRMED
    assert not first.refunds.exists()
    assert second.status == PaymentStatus.REFUNDED
    assert second.refunds.get().amount.amount == second.total


def test_settling_one_order_leaves_another_alone(
    client: Client, order: Order, book, methods
) -> None:
    other = place(basket_of((book, 1)), methods["Express"])

    pay_by_card(client, order, PaymentStatus.CONFIRMED)

    other.refresh_from_db()
    assert other.status == OrderStatus.AWAITING_PAYMENT


def test_back_from_the_providers_page_the_provider_is_asked(
    client: Client, order: Order, settings
) -> None:
    """A customer back from a provider's page before its webhook: the pay page asks the
    provider (as Stripe's session is asked), and the confirmed order leads to its page."""
    settings.PAYMENT_VARIANTS = {
        **settings.PAYMENT_VARIANTS,
        "asked": ("tests.shop.payments.providers.ConfirmsWhenAsked", {}),
    }
    payment = start_card_payment(client, order)
    Payment.objects.filter(pk=payment.pk).update(variant="asked", transaction_id="cs_test_1")

    without_attempt = client.get(reverse("shop:order-pay", args=[order.token]))
    assert without_attempt.status_code == 200
    response = client.get(payment.get_success_url())

    assert response.status_code == 302
    assert response.url == f"/orders/{order.token}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_refund_the_provider_refuses_is_tried_again_and_stays_due(
    client: Client, order: Order, settings, django_capture_on_commit_callbacks, caplog
) -> None:
    settings.PAYMENT_VARIANTS = {
        **settings.PAYMENT_VARIANTS,
        "refusing": ("tests.shop.payments.providers.RefusingRefunds", {}),
    }
    payment = start_card_payment(client, order)
    Payment.objects.filter(pk=payment.pk).update(variant="refusing")
    payment.refresh_from_db()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        payment.captured_amount = payment.total
        payment.change_status(PaymentStatus.CONFIRMED)

    assert "failed on attempt 3 of 3; giving up" in caplog.text  # tried three times
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.outcome == "Refund in full due: The order was cancelled when it came."
    assert not payment.refunds.exists()
