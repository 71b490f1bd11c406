"""Stripe's webhooks, signed as Stripe signs them (no network: the signature is checked
locally): a paid session marks the order paid once however often it is sent, and an event
without Stripe's signature is refused with a 400 and changes nothing."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.test import Client
from payments import PaymentStatus

from shop.models import Order, OrderStatus
from shop.payments.models import Payment

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_secret"
WEBHOOK = "/payments/process/stripe/"


@pytest.fixture
def stripe_payment(order: Order, settings) -> Payment:
    settings.PAYMENT_VARIANTS = {
        "stripe": (
            "shop.payments.stripe_provider.StripeProvider",
            {"api_key": "sk_test_key", "endpoint_secret": SECRET},
        )
    }
    return Payment.objects.create(
        order=order,
        variant="stripe",
        currency="AUD",
        total=order.total.amount,
        transaction_id="cs_test_1",
    )


def event(payment: Payment, *, payment_status: str = "paid") -> bytes:
    session = {
        "id": payment.transaction_id,
        "object": "checkout.session",
        "client_reference_id": payment.token,
        "status": "complete",
        "payment_status": payment_status,
        "payment_intent": "pi_test_1",
    }
    return json.dumps(
        {
            "id": "evt_test_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": session},
        }
    ).encode()


def signature(body: bytes, secret: str = SECRET) -> str:
    timestamp = int(time.time())
    signed = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={signed.hexdigest()}"


def send(client: Client, body: bytes, sig: str | None):
    headers = {"Stripe-Signature": sig} if sig else {}
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


def test_a_signed_paid_session_marks_the_order_paid_once(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    body = event(stripe_payment)

    first = send(client, body, signature(body))
    stripe_payment.refresh_from_db()
    settled_at = stripe_payment.settled_at
    replay = send(client, body, signature(body))

    assert first.status_code == replay.status_code == 200
    stripe_payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert stripe_payment.status == PaymentStatus.CONFIRMED
    assert stripe_payment.captured_amount == Decimal("88.93")
    assert stripe_payment.settled_at == settled_at is not None
    assert stripe_payment.attrs.session["payment_intent"] == "pi_test_1"


@pytest.mark.parametrize(
    "sig", [None, "t=1,v1=0000", "forged"], ids=["unsigned", "bad-signature", "garbage"]
)
def test_an_event_stripe_did_not_sign_changes_nothing(
    client: Client, order: Order, stripe_payment: Payment, sig
) -> None:
    body = event(stripe_payment)

    response = send(client, body, sig)

    assert response.status_code == 400
    stripe_payment.refresh_from_db()
    order.refresh_from_db()
    assert stripe_payment.status == PaymentStatus.WAITING
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_an_event_signed_with_another_secret_changes_nothing(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    body = event(stripe_payment)

    response = send(client, body, signature(body, "whsec_someone_else"))

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_forged_post_to_the_payments_own_address_changes_nothing(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    body = event(stripe_payment)

    response = client.post(
        f"/payments/process/{stripe_payment.token}/", body, content_type="application/json"
    )

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_an_unpaid_session_does_not_pay_the_order(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    body = event(stripe_payment, payment_status="unpaid")

    assert send(client, body, signature(body)).status_code == 200

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
