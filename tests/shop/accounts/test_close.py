"""Closing an account: its orders stay, with the customer's details replaced; the account,
its addresses and its session go."""

from dataclasses import replace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse

from shop.accounts.models import SavedAddress
from shop.models import Basket, Order
from tests.shop.accounts.conftest import EMAIL, sign_in
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db


def test_the_confirm_page_says_orders_are_kept_without_personal_details(
    client: Client, customer
) -> None:
    client.force_login(customer)
    html = " ".join(client.get(reverse("account-close")).content.decode().split())
    assert "Your orders are kept for our tax records" in html
    assert "name, email, street address and phone removed" in html


def test_closing_without_ticking_the_box_changes_nothing(client: Client, customer) -> None:
    client.force_login(customer)
    response = client.post(reverse("account-close"), {})
    assert response.status_code == 200
    assert "Tick the box to close your account." in response.content.decode()
    assert get_user_model().objects.filter(pk=customer.pk).exists()


def test_closing_anonymises_the_orders_keeps_their_amounts_and_ends_the_session(
    client: Client, customer, book, methods
) -> None:
    mine = place(basket_of((book, 2)), methods["Standard"], user=customer)
    as_guest = place(
        basket_of((book, 1)), methods["Express"], details=replace(DETAILS, email=EMAIL)
    )
    other = place(basket_of((book, 1)), methods["Standard"])  # reader@example.com: not theirs
    own_basket = Basket.objects.create(user=customer)
    SavedAddress.objects.create(
        user=customer, name="Vera", line1="1 Lane", suburb="Carlton", state="VIC", postcode="3053"
    )
    before = {
        o.pk: (o.total, o.gst, o.subtotal, list(o.lines.values_list("title", "quantity")))
        for o in (mine, as_guest)
    }
    sign_in(client)

    response = client.post(reverse("account-close"), {"confirm": "on"})

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert not get_user_model().objects.filter(pk=customer.pk).exists()
    assert not EmailAddress.objects.filter(email=EMAIL).exists()
    assert not Basket.objects.filter(pk=own_basket.pk).exists()
    assert not SavedAddress.objects.exists()
    for order in Order.objects.filter(pk__in=[mine.pk, as_guest.pk]):
        assert order.email == f"closed-account-{order.number.lower()}@example.invalid"
        assert (order.delivery_name, order.delivery_line1, order.delivery_suburb) == (
            "(removed)",
            "(removed)",
            "(removed)",
        )
        assert (order.phone, order.delivery_line2, order.user) == ("", "", None)
        assert (
            order.total,
            order.gst,
            order.subtotal,
            list(order.lines.values_list("title", "quantity")),
        ) == before[order.pk]
    other.refresh_from_db()
    assert (other.email, other.delivery_name) == (DETAILS.email, DETAILS.name)
    # The address can sign up afresh; the closed account's orders do not come back.
    assert sign_in(Client()).status_code == 200
