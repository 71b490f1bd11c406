"""Payment fixtures: an order awaiting payment (two copies of Conquered City, Standard
post: $88.93 including $8.08 GST), the bank transfer details staff enable, and helpers
that walk the card flow through the dummy provider's form as a customer would."""

import pytest
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from shop.models import Order
from shop.payments.models import BankTransferDetails, Payment
from tests.shop.orders.conftest import basket_of, book, methods, place  # noqa: F401


@pytest.fixture
def order(book, methods) -> Order:  # noqa: F811
    return place(basket_of((book, 2)), methods["Standard"])


@pytest.fixture
def bank_details(db) -> BankTransferDetails:
    return BankTransferDetails.objects.create(
        account_name="Bookshop Pty Ltd",
        bsb="062000",
        account_number="12345678",
        reference_instructions="Transfers take up to two business days to reach us.",
        active=True,
    )


def pay_url(order: Order) -> str:
    return reverse("shop:order-pay", kwargs={"token": order.token})


def start_card_payment(client: Client, order: Order) -> Payment:
    """Press "Pay by card": the attempt the provider's form is for."""
    response = client.post(reverse("shop:order-pay-card", kwargs={"token": order.token}))
    assert response.status_code == 302, response
    payment = Payment.objects.filter(order=order).order_by("-pk").first()
    assert response.url == form_url(payment)
    return payment


def form_url(payment: Payment) -> str:
    return reverse(
        "shop:order-pay-card-form",
        kwargs={"token": payment.order.token, "payment": payment.token},
    )


def pay_by_card(client: Client, order: Order, outcome: str = PaymentStatus.CONFIRMED):
    """Start a card payment and choose `outcome` on the dummy provider's form; the
    response to that choice."""
    payment = start_card_payment(client, order)
    assert client.get(form_url(payment)).status_code == 200
    return client.post(form_url(payment), {"outcome": outcome})
