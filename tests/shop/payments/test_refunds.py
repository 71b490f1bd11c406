"""payment_refund: full and partial refunds through the provider up to what was captured,
and a clear RefundFailed for too much, no card payment, bank transfer or the provider's
refusal."""

from decimal import Decimal

import pytest
from django.test import Client
from payments import PaymentStatus

from shop.models import Order
from shop.payments.models import Payment, PaymentRefund
from shop.payments.services import RefundFailed, payment_refund
from tests.shop.helpers import aud
from tests.shop.payments.conftest import pay_by_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(client: Client, order: Order) -> Payment:
    pay_by_card(client, order, PaymentStatus.CONFIRMED)
    return Payment.objects.get(order=order)


def test_a_full_refund(order: Order, paid: Payment) -> None:
    payment_refund(order=order, amount=aud("88.93"))

    paid.refresh_from_db()
    assert paid.status == PaymentStatus.REFUNDED
    assert paid.captured_amount == 0
    assert [r.amount for r in paid.refunds.all()] == [aud("88.93")]
    with pytest.raises(RefundFailed, match="has no card payment to refund"):
        payment_refund(order=order, amount=aud("0.01"))


def test_partial_refunds_up_to_what_was_captured(order: Order, paid: Payment) -> None:
    payment_refund(order=order, amount=aud("10.00"))
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.CONFIRMED
    assert paid.captured_amount == Decimal("78.93")

    with pytest.raises(RefundFailed, match=r"At most \$78.93 of order .* not \$78.94"):
        payment_refund(order=order, amount=aud("78.94"))
    payment_refund(order=order, amount=aud("78.93"))

    paid.refresh_from_db()
    assert paid.status == PaymentStatus.REFUNDED
    assert [r.amount for r in paid.refunds.all()] == [aud("10.00"), aud("78.93")]


def test_refunding_more_than_was_paid_refunds_nothing(order: Order, paid: Payment) -> None:
    with pytest.raises(RefundFailed, match=r"At most \$88.93 .* not \$100.00"):
        payment_refund(order=order, amount=aud("100.00"))

    paid.refresh_from_db()
    assert paid.captured_amount == Decimal("88.93")
    assert not PaymentRefund.objects.exists()


@pytest.mark.parametrize("amount", [aud("0.00"), aud("-5.00")])
def test_a_refund_must_be_positive(order: Order, paid: Payment, amount) -> None:
    with pytest.raises(RefundFailed, match=r"more than \$0.00"):
        payment_refund(order=order, amount=amount)
    assert not PaymentRefund.objects.exists()


def test_a_refund_is_in_australian_dollars(order: Order, paid: Payment) -> None:
    from djmoney.money import Money

    with pytest.raises(RefundFailed, match="Australian dollars"):
        payment_refund(order=order, amount=Money("10.00", "USD"))
    with pytest.raises(RefundFailed, match="Australian dollars"):
        payment_refund(order=order, amount=Decimal("10.00"))


def test_an_unpaid_order_has_nothing_to_refund(client: Client, order: Order) -> None:
    pay_by_card(client, order, PaymentStatus.REJECTED)

    with pytest.raises(RefundFailed, match=f"Order {order.number} has no card payment"):
        payment_refund(order=order, amount=aud("1.00"))


def test_a_bank_transfer_is_refunded_by_staff_not_a_provider(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(bank_transfer=True)
    order.refresh_from_db()

    payment_refund(order=order, amount=aud("88.93"))  # nothing to send through a provider
    assert not PaymentRefund.objects.exists()


def test_the_providers_refusal_is_a_refund_failed(order: Order, paid: Payment, settings) -> None:
    settings.PAYMENT_VARIANTS = {
        **settings.PAYMENT_VARIANTS,
        "refusing": ("tests.shop.payments.providers.RefusingRefunds", {}),
    }
    Payment.objects.filter(pk=paid.pk).update(variant="refusing")

    with pytest.raises(RefundFailed, match="refused the refund: Charge has already been refunded"):
        payment_refund(order=order, amount=aud("10.00"))

    paid.refresh_from_db()
    assert paid.captured_amount == Decimal("88.93")
    assert not PaymentRefund.objects.exists()


def test_a_refund_takes_the_newest_payment_first(
    client: Client, order: Order, paid: Payment
) -> None:
    """An order with two confirmed payments (the second not yet given back)."""
    second = Payment.objects.create(
        order=order,
        variant="dummy",
        currency="AUD",
        total=Decimal("88.93"),
        captured_amount=Decimal("88.93"),
        status=PaymentStatus.CONFIRMED,
    )

    payment_refund(order=order, amount=aud("100.00"))

    paid.refresh_from_db()
    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED
    assert paid.captured_amount == Decimal("77.86")
