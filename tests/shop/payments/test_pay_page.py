"""The pay page: what it shows for an order awaiting payment, and where a paid or a
cancelled order's page leads."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from shop.models import Order, OrderStatus
from shop.payments.models import Payment
from tests.html import parse
from tests.shop.payments.conftest import pay_url

pytestmark = pytest.mark.django_db


def test_pay_page_shows_the_order_number_total_and_gst(client: Client, order: Order) -> None:
    response = client.get(pay_url(order))

    assert response.status_code == 200
    page = parse(response)
    assert page.find("h1").text() == f"Pay for order {order.number}"
    assert page.find(css_class="order-pay__total").text() == "$88.93"
    assert "Includes GST of $8.08" in page.text()
    card_form = page.find("form", action=reverse("shop:order-pay-card", args=[order.token]))
    assert card_form.get("method") == "post"
    assert card_form.find("button").text() == "Pay $88.93 by card"


def test_pay_page_of_an_unknown_order_is_not_found(client: Client, order: Order) -> None:
    assert client.get("/orders/no-such-order/pay/").status_code == 404
    assert client.post("/orders/no-such-order/pay/card/").status_code == 404
    assert client.post("/orders/no-such-order/pay/bank-transfer/").status_code == 404
    assert Payment.objects.count() == 0


def test_pay_page_refuses_a_post(client: Client, order: Order) -> None:
    assert client.post(pay_url(order)).status_code == 405


def test_a_paid_orders_pay_page_leads_to_the_order(client: Client, order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)

    response = client.get(pay_url(order))

    assert response.status_code == 302
    assert urlsplit(response.url).path == f"/orders/{order.token}/"


def test_a_cancelled_order_cannot_be_paid(client: Client, order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)

    response = client.get(pay_url(order))

    assert response.status_code == 200
    page = parse(response)
    assert f"Order {order.number} was cancelled and cannot be paid." in page.text()
    assert not page.find_all("form", method="post")
    response = client.post(reverse("shop:order-pay-card", args=[order.token]), follow=True)
    assert "was cancelled and cannot be paid" in parse(response).text()
    assert Payment.objects.count() == 0


def test_pay_page_html_is_well_formed(client: Client, order: Order, bank_details) -> None:
    """Unique ids, a label for every control, a CSRF token in every form that posts."""
    page = parse(client.get(pay_url(order)))
    ids = [element.get("id") for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert len(page.find_all("h1")) == 1
    for form in page.find_all("form", method="post"):
        assert form.find_all("input", name="csrfmiddlewaretoken", type="hidden")
        assert not form.find_all("form")
    for section in page.find_all("section"):
        assert section.get("aria-labelledby") in ids
