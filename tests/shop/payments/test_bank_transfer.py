"""Bank transfer: offered only while staff have active details in admin; choosing it
keeps the order awaiting payment and shows the account with the order number as the
reference."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from shop.models import Order, OrderStatus
from shop.payments.models import BankTransferDetails
from tests.html import parse
from tests.shop.payments.conftest import pay_url

pytestmark = pytest.mark.django_db


def choose(client: Client, order: Order):
    return client.post(reverse("shop:order-pay-bank-transfer", args=[order.token]), follow=True)


def test_bank_transfer_is_not_offered_until_staff_enable_it(client: Client, order: Order) -> None:
    BankTransferDetails.objects.create(
        account_name="Bookshop Pty Ltd", bsb="062-000", account_number="12345678", active=False
    )

    page = parse(client.get(pay_url(order)))
    assert "Bank transfer" not in page.text()
    assert not page.find_all(id="bank-transfer")

    response = choose(client, order)
    assert "Bank transfer is not available at the moment." in parse(response).text()
    order.refresh_from_db()
    assert order.bank_transfer is False


def test_choosing_bank_transfer_shows_the_details_with_the_order_number(
    client: Client, order: Order, bank_details: BankTransferDetails
) -> None:
    page = parse(client.get(pay_url(order)))
    section = page.find(id="bank-transfer")
    assert section.find("button").text() == "Pay by bank transfer"
    assert "12345678" not in section.text()  # the details come once it is chosen

    response = choose(client, order)

    order.refresh_from_db()
    assert order.bank_transfer is True
    assert order.status == OrderStatus.AWAITING_PAYMENT
    page = parse(response)
    details = dict(
        zip(
            [dt.text() for dt in page.find(css_class="bank-details").find_all("dt")],
            [dd.text() for dd in page.find(css_class="bank-details").find_all("dd")],
            strict=True,
        )
    )
    assert details == {
        "Account name": "Bookshop Pty Ltd",
        "BSB": "062-000",
        "Account number": "12345678",
        "Reference": order.number,
        "Amount": "$88.93",
    }
    assert "Transfers take up to two business days" in page.text()
    assert f"with {order.number} as the reference" in page.text()
    # Card stays on offer, and choosing bank transfer again changes nothing.
    assert page.find_all("form", action=reverse("shop:order-pay-card", args=[order.token]))
    choose(client, order)
    order.refresh_from_db()
    assert order.bank_transfer is True


def test_staff_details_are_escaped(client: Client, order: Order, bank_details) -> None:
    bank_details.account_name = "<script>alert(1)</script>"
    bank_details.save()
    choose(client, order)

    response = client.get(pay_url(order))

    assert b"<script>alert(1)</script>" not in response.content
    assert "<script>alert(1)</script>" in parse(response).find(css_class="bank-details").text()


def test_a_cancelled_order_cannot_switch_to_bank_transfer(
    client: Client, order: Order, bank_details
) -> None:
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)

    response = choose(client, order)

    assert "was cancelled and cannot be paid" in parse(response).text()
    order.refresh_from_db()
    assert order.bank_transfer is False


def test_only_one_set_of_details_is_active(bank_details) -> None:
    with pytest.raises(IntegrityError):
        BankTransferDetails.objects.create(
            account_name="Other", bsb="062001", account_number="87654321", active=True
        )


def test_bsb_and_account_number_are_checked(db) -> None:
    from django.core.exceptions import ValidationError

    details = BankTransferDetails(account_name="Bookshop", bsb="06200", account_number="12 34")
    with pytest.raises(ValidationError) as error:
        details.full_clean()
    assert set(error.value.message_dict) == {"bsb", "account_number"}


def test_choosing_bank_transfer_emails_where_to_pay_once(
    client: Client,
    order: Order,
    bank_details: BankTransferDetails,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        choose(client, order)
        choose(client, order)  # again: nothing more is sent

    [message] = mailoutbox
    assert message.to == [order.email]
    assert message.subject == f"Order {order.number}: how to pay by bank transfer"
    for text in ("Bookshop Pty Ltd", "BSB: 062-000", "12345678", f"Reference: {order.number}"):
        assert text in message.body
    assert "Please transfer $88.93" in message.body
    html = message.alternatives[0].content
    assert "062-000" in html and "&lt;" not in message.body
