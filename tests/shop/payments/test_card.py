"""Paying by card through the dummy provider: confirmed marks the order paid, declined and
error come back to the pay page with a message and a new attempt, one live attempt at a
time, and the amount is always the order's."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from shop.models import Order, OrderStatus
from shop.payments.models import Payment
from shop.payments.views import DECLINED, FAILED
from tests.html import parse
from tests.shop.payments.conftest import form_url, pay_by_card, pay_url, start_card_payment

pytestmark = pytest.mark.django_db


def test_confirmed_card_payment_marks_the_order_paid(client: Client, order: Order) -> None:
    response = pay_by_card(client, order, PaymentStatus.CONFIRMED)

    payment = Payment.objects.get(order=order)
    assert response.status_code == 302
    back = urlsplit(response.url)
    assert back.path == pay_url(order)
    assert parse_qs(back.query) == {"attempt": [payment.token]}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.total == payment.captured_amount == Decimal("88.93")
    assert payment.currency == "AUD"
    assert payment.settled_at is not None
    assert payment.outcome == "Paid the order."
    # Back on the pay page, the paid order leads to its own page.
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302
    assert urlsplit(response.url).path == f"/orders/{order.token}/"


def test_the_dummy_form_offers_three_plainly_labelled_outcomes(
    client: Client, order: Order
) -> None:
    payment = start_card_payment(client, order)

    page = parse(client.get(form_url(payment)))

    labels = [label.text() for label in page.find_all("label", css_class="check")]
    assert labels == [
        "Paid: the card is charged and the payment is confirmed",
        "Declined: the bank refuses the card",
        "Error: the payment provider fails",
    ]
    assert "no card is charged" in page.text()
    assert not page.find_all("input", type="text")  # nothing asks for card details
    form = page.find("form", method="post")
    assert form.find_all("input", name="csrfmiddlewaretoken")


@pytest.mark.parametrize(
    ("outcome", "message"),
    [(PaymentStatus.REJECTED, DECLINED), (PaymentStatus.ERROR, FAILED)],
)
def test_a_declined_or_failed_payment_can_be_tried_again(
    client: Client, order: Order, outcome: str, message: str
) -> None:
    response = pay_by_card(client, order, outcome)

    page = parse(client.get(response.url))
    assert page.find(role="alert").text() == message
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    first = Payment.objects.get(order=order)
    assert first.status == outcome
    assert first.settled_at is None

    again = start_card_payment(client, order)  # a new attempt
    assert again.pk != first.pk
    assert again.status == PaymentStatus.WAITING
    client.post(form_url(again), {"outcome": PaymentStatus.CONFIRMED})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_finished_attempts_form_goes_back_to_the_pay_page(client: Client, order: Order) -> None:
    pay_by_card(client, order, PaymentStatus.REJECTED)
    payment = Payment.objects.get(order=order)

    response = client.post(form_url(payment), {"outcome": PaymentStatus.CONFIRMED})

    assert urlsplit(response.url).path == pay_url(order)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.REJECTED
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_pressing_pay_twice_makes_one_live_attempt(client: Client, order: Order) -> None:
    first = start_card_payment(client, order)
    client.get(form_url(first))  # the form is shown: the attempt waits for input
    second = start_card_payment(client, order)

    assert second.pk == first.pk
    assert Payment.objects.filter(order=order).count() == 1


def test_sending_the_outcome_twice_marks_the_order_paid_once(client: Client, order: Order) -> None:
    payment = start_card_payment(client, order)
    client.post(form_url(payment), {"outcome": PaymentStatus.CONFIRMED})
    payment.refresh_from_db()
    settled_at = payment.settled_at

    response = client.post(form_url(payment), {"outcome": PaymentStatus.REJECTED})

    assert urlsplit(response.url).path == pay_url(order)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.settled_at == settled_at
    assert not payment.refunds.exists()


def test_no_post_changes_the_amount(client: Client, order: Order) -> None:
    tampered = {"total": "0.01", "amount": "0.01", "captured_amount": "0.01", "currency": "USD"}
    client.post(reverse("shop:order-pay-card", args=[order.token]), tampered)
    payment = Payment.objects.get(order=order)
    client.post(form_url(payment), {"outcome": PaymentStatus.CONFIRMED, **tampered})

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.total, payment.captured_amount, payment.currency) == (
        Decimal("88.93"),
        Decimal("88.93"),
        "AUD",
    )
    assert str(order.total.amount) == "88.93"
    assert order.status == OrderStatus.PAID


def test_an_outcome_the_form_does_not_offer_changes_nothing(client: Client, order: Order) -> None:
    payment = start_card_payment(client, order)

    for forged in (PaymentStatus.PREAUTH, PaymentStatus.REFUNDED, "paid", ""):
        response = client.post(form_url(payment), {"outcome": forged, "status": "confirmed"})
        assert response.status_code == 200
        assert parse(response).find_all(css_class="form-errors")

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.INPUT
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_one_orders_attempt_is_not_found_under_another_order(
    client: Client, order: Order, book, methods
) -> None:
    from tests.shop.payments.conftest import basket_of, place

    other = place(basket_of((book, 1)), methods["Express"])
    payment = start_card_payment(client, order)

    url = reverse("shop:order-pay-card-form", args=[other.token, payment.token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": PaymentStatus.CONFIRMED}).status_code == 404
    bad = reverse(
        "shop:order-pay-card-form", args=[order.token, "00000000-0000-4000-8000-000000000000"]
    )
    assert client.post(bad, {"outcome": PaymentStatus.CONFIRMED}).status_code == 404
    assert client.get(f"/orders/{order.token}/pay/card/not-a-uuid/").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_every_post_needs_its_csrf_token(order: Order, bank_details) -> None:
    client = Client(enforce_csrf_checks=True)

    assert client.post(reverse("shop:order-pay-card", args=[order.token])).status_code == 403
    assert (
        client.post(reverse("shop:order-pay-bank-transfer", args=[order.token])).status_code == 403
    )
    assert Payment.objects.count() == 0
    order.refresh_from_db()
    assert order.bank_transfer is False

    # With the page's token, the same posts go through.
    page = parse(client.get(pay_url(order)))
    token = page.find("input", name="csrfmiddlewaretoken").get("value")
    response = client.post(
        reverse("shop:order-pay-card", args=[order.token]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert client.post(form_url(payment), {"outcome": "confirmed"}).status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING


def test_without_a_card_provider_the_pay_page_offers_no_card(
    client: Client, order: Order, settings
) -> None:
    settings.SHOP_CARD_PAYMENT_VARIANT = ""

    page = parse(client.get(pay_url(order)))

    assert not page.find_all("form", action=reverse("shop:order-pay-card", args=[order.token]))
    assert "We cannot take payments online at the moment" in page.text()
    response = client.post(reverse("shop:order-pay-card", args=[order.token]), follow=True)
    assert "Card payments are not available at the moment." in parse(response).text()
    assert Payment.objects.count() == 0


def test_the_purchased_items_are_the_orders_lines_and_postage(client: Client, order: Order) -> None:
    payment = start_card_payment(client, order)

    items = list(payment.get_purchased_items())

    assert [(i.name, i.quantity, i.price, i.currency, i.sku) for i in items] == [
        ("Conquered City", 2, Decimal("39.99"), "AUD", "9781590173664"),
        ("Postage: Standard", 1, Decimal("8.95"), "AUD", "postage"),
    ]
    assert sum(i.price * i.quantity for i in items) == payment.total
    assert (payment.tax, payment.delivery) == (Decimal("8.08"), Decimal("8.95"))
