"""Staff admin for payments: bank transfer details are edited and enabled there; card
payments and their refunds are shown read-only, on the order's page and on their own."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from shop.models import Order
from shop.payments.models import BankTransferDetails, Payment
from shop.payments.services import payment_refund
from tests.html import parse
from tests.shop.helpers import aud
from tests.shop.payments.conftest import pay_by_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    staff = Client()
    staff.force_login(User.objects.create_superuser("staff", "staff@example.com", "pw"))
    return staff


@pytest.fixture
def paid(client: Client, order: Order) -> Payment:
    pay_by_card(client, order, PaymentStatus.CONFIRMED)
    payment_refund(order=order, amount=aud("5.00"))
    return Payment.objects.get(order=order)


def test_the_orders_page_shows_its_payments(staff: Client, order: Order, paid: Payment) -> None:
    response = staff.get(reverse("admin:shop_order_change", args=[order.pk]))

    assert response.status_code == 200
    text = parse(response).text()
    assert "Paid the order." in text
    assert "88.93" in text


def test_payments_are_read_only(staff: Client, order: Order, paid: Payment) -> None:
    url = reverse("admin:shop_payment_change", args=[paid.pk])
    page = parse(staff.get(url))
    assert "Refund on order" in page.text()
    assert not page.find_all("input", name="total")

    staff.post(url, {"total": "0.01", "status": "waiting"})
    paid.refresh_from_db()
    assert (str(paid.total), paid.status) == ("88.93", PaymentStatus.CONFIRMED)
    assert staff.get(reverse("admin:shop_payment_add")).status_code == 403
    assert staff.get(reverse("admin:shop_payment_delete", args=[paid.pk])).status_code == 403
    listed = staff.get(reverse("admin:shop_payment_changelist"), {"q": order.number})
    assert list(listed.context["cl"].result_list) == [paid]


def test_staff_enable_bank_transfer_in_admin(staff: Client) -> None:
    response = staff.post(
        reverse("admin:shop_banktransferdetails_add"),
        {
            "account_name": "Bookshop Pty Ltd",
            "bsb": "062-000",
            "account_number": "12345678",
            "reference_instructions": "",
            "active": "on",
        },
    )

    assert response.status_code == 302
    assert BankTransferDetails.objects.get().active is True


def test_a_bad_bsb_is_refused_on_the_form(staff: Client) -> None:
    response = staff.post(
        reverse("admin:shop_banktransferdetails_add"),
        {"account_name": "Bookshop", "bsb": "62", "account_number": "12345678", "active": "on"},
    )

    assert response.status_code == 200
    assert "A BSB is six digits" in parse(response).text()
    assert not BankTransferDetails.objects.exists()


def test_a_second_active_set_of_details_is_refused_on_the_form(
    staff: Client, bank_details: BankTransferDetails
) -> None:
    response = staff.post(
        reverse("admin:shop_banktransferdetails_add"),
        {"account_name": "Other", "bsb": "062001", "account_number": "87654321", "active": "on"},
    )

    assert response.status_code == 200
    assert "Only one set of bank transfer details can be active" in parse(response).text()
    assert BankTransferDetails.objects.count() == 1
