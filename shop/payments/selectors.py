"""Reads for payments: the bank transfer details on offer, and an order's attempts."""

from shop.models import Order
from shop.payments.models import BankTransferDetails, Payment


def bank_transfer_details() -> BankTransferDetails | None:
    """The active bank transfer details, or None when staff have not enabled it."""
    return BankTransferDetails.objects.filter(active=True).first()


def payment_attempt(*, order: Order, token: str) -> Payment | None:
    """The order's payment attempt with this token, or None (any other order's or an
    unknown token alike)."""
    if not token:
        return None
    return Payment.objects.filter(order=order, token=token).first()
