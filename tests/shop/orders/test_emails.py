"""The order's emails (shop.orders.emails): sent to the customer once the transaction
commits, in plain text and HTML, each with the absolute link to the order's page."""

import dataclasses

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from shop.models import Order, OrderLine, OrderStatus
from shop.orders import emails
from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import aud
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db


def with_status(order: Order, status: str, **fields) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status, **fields)
    order.refresh_from_db()
    return order


@pytest.fixture
def paid_order(methods, book) -> Order:
    """Two copies of Conquered City, by Standard post: $79.98 + $8.95 = $88.93."""
    return with_status(place(basket_of((book, 2)), methods["Standard"]), OrderStatus.PAID)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """sent(send, **kwargs) -> the one message `send` queued, once its transaction commits."""

    def send_and_read(send, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            send(**kwargs)
            assert mail.outbox == []  # nothing before the commit
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        (html, mimetype) = message.alternatives[0]
        assert mimetype == "text/html"
        return message, message.body, html

    return send_and_read


def order_link(order: Order) -> str:
    return "http://testserver" + reverse("shop:order-detail", args=[order.token])


def test_the_confirmation_of_a_paid_order_is_its_tax_invoice(sent, paid_order, client):
    message, text, html = sent(emails.order_confirmation_send, order=paid_order)
    assert message.to == ["reader@example.com"]
    assert message.subject == f"Order {paid_order.number}: tax invoice"
    for body in (text, parse(html).find("body").text()):
        assert "Bookshop Demo Pty Ltd" in body
        assert "ABN 53 004 085 616" in body
        assert "1 Demo Lane" in body
        assert paid_order.number in body
        assert "Conquered City (Paperback)" in body
        assert "9781590173664" in body
        assert "Postage (Standard)" in body
        assert "$88.93" in body
        assert "Total includes GST of $8.08" in body
        assert "Vera Reader" in body
        assert "12 Collins Street" in body
        assert order_link(paid_order) in body
    assert text.startswith("TAX INVOICE")
    assert "ISBN 9781590173664: 2 × $39.99 = $79.98" in text
    assert parse(html).find("h1").text() == "Tax invoice"
    # The link is absolute and opens this order's page.
    link = parse(html).find("a", href=order_link(paid_order))
    assert link.text() == "See your order online"
    assert paid_order.number in client.get(link.get("href")).content.decode()


def test_the_link_is_built_on_shop_url(sent, paid_order, settings):
    settings.SHOP_URL = "https://shop.example.com"
    _, text, html = sent(emails.order_confirmation_send, order=paid_order)
    expected = f"https://shop.example.com/orders/{paid_order.token}/"
    assert expected in text
    assert parse(html).find_all("a", href=expected)


def test_the_confirmation_of_an_unpaid_order_says_payment_is_awaited(sent, methods, book):
    order = with_status(
        place(basket_of((book, 1)), methods["Standard"]),
        OrderStatus.AWAITING_PAYMENT,
        bank_transfer=True,
    )
    message, text, html = sent(emails.order_confirmation_send, order=order)
    assert message.subject == f"Order {order.number}: order received"
    for body in (text, parse(html).find("body").text()):
        assert "Tax invoice" not in body and "TAX INVOICE" not in body
        assert "Awaiting payment." in body
        assert "payment by bank transfer" in body
        assert order_link(order) in body


def test_a_large_order_names_the_buyer_and_their_abn(sent, methods):
    book = BookFactory(title="Collected Works", rrp=aud("120.00"), stock=20)
    details = dataclasses.replace(DETAILS, buyer_abn="51824753556")
    order = with_status(
        place(basket_of((book, 10)), methods["Standard"], details=details), OrderStatus.PAID
    )
    _, text, html = sent(emails.order_confirmation_send, order=order)
    assert "Buyer: Vera Reader, ABN 51 824 753 556" in text
    assert "Vera Reader, ABN 51 824 753 556" in parse(html).find("body").text()


def test_a_small_order_names_no_buyer(sent, paid_order):
    _, text, _ = sent(emails.order_confirmation_send, order=paid_order)
    assert "Buyer:" not in text


def test_click_and_collect_gives_the_shops_address(sent, methods, book):
    order = with_status(place(basket_of((book, 1)), methods["Click & Collect"]), OrderStatus.PAID)
    _, text, _ = sent(emails.order_confirmation_send, order=order)
    collect = "Click & Collect from the shop:\n1 Demo Lane\nMelbourne VIC 3000\nFor Vera Reader"
    assert collect in text
    assert "Collins Street" not in text


def test_markup_in_a_title_is_escaped_in_html_and_plain_in_text(sent, paid_order):
    OrderLine.objects.filter(order=paid_order).update(title="<script>x()</script> & Co")
    _, text, html = sent(emails.order_confirmation_send, order=paid_order)
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt; &amp; Co" in html
    assert "<script>x()</script> & Co (Paperback)" in text
    assert "&lt;" not in text and "&amp;" not in text


def test_the_dispatch_email_gives_the_carrier_and_tracking_number(sent, paid_order):
    order = with_status(paid_order, OrderStatus.DISPATCHED)
    order.carrier = "Australia Post"
    order.tracking_number = "33AB<01>"
    message, text, html = sent(emails.order_dispatched_send, order=order)
    assert message.subject == f"Order {order.number} is on its way"
    assert f"We have sent order {order.number} with Australia Post." in text
    assert "Tracking number: 33AB<01>" in text
    assert "33AB&lt;01&gt;" in html
    assert "Tracking number: 33AB<01>" in parse(html).find("body").text()
    assert order_link(order) in text


def test_a_click_and_collect_order_is_ready_to_collect(sent, methods, book):
    order = with_status(
        place(basket_of((book, 1)), methods["Click & Collect"]), OrderStatus.DISPATCHED
    )
    message, text, _ = sent(emails.order_dispatched_send, order=order)
    assert message.subject == f"Order {order.number} is ready to collect"
    assert "waiting for you at the shop" in text


def test_the_cancellation_email(sent, paid_order):
    order = with_status(paid_order, OrderStatus.CANCELLED)
    message, text, html = sent(emails.order_cancelled_send, order=order)
    assert message.subject == f"Order {order.number} cancelled"
    assert text.startswith("Your order was cancelled")
    assert parse(html).find("h1").text() == "Your order was cancelled"
    assert "TAX INVOICE" not in text
    assert order_link(order) in text


def test_the_refund_email_gives_the_amount(sent, paid_order):
    order = with_status(paid_order, OrderStatus.REFUNDED)
    message, text, html = sent(emails.order_refunded_send, order=order, amount=aud("39.99"))
    assert message.subject == f"Refund on order {order.number}"
    assert "We have refunded $39.99 of order" in text
    assert "(total $88.93)" in text
    assert parse(html).find("h1").text() == "We have refunded $39.99"
    assert order_link(order) in text


@pytest.mark.parametrize("amount", [aud("0.00"), aud("-1.00")])
def test_a_refund_of_nothing_is_refused(paid_order, amount):
    with pytest.raises(ValueError, match="above zero"):
        emails.order_refunded_send(order=paid_order, amount=amount)


def test_nothing_is_sent_for_a_rolled_back_transaction(
    django_capture_on_commit_callbacks, paid_order
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                emails.order_confirmation_send(order=paid_order)
                raise RuntimeError("the order was not saved after all")
        except RuntimeError:
            pass
    assert mail.outbox == []
