"""The "Your account" page: the customer's orders, including guest orders placed with an
address they have confirmed, newest first, in a fixed number of queries."""

from dataclasses import replace

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.models import Order
from tests.html import parse
from tests.shop.accounts.conftest import EMAIL, make_user
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db


def guest_order(book, method, email: str):
    return place(basket_of((book, 1)), method, details=replace(DETAILS, email=email))


def listed_numbers(client: Client) -> list[str]:
    page = parse(client.get(reverse("account-overview")))
    return [row.find("a").text() for row in page.find("table").find("tbody").find_all("tr")]


def test_visitors_are_asked_to_sign_in(client: Client) -> None:
    response = client.get(reverse("account-overview"))
    assert response["Location"] == "/accounts/login/?next=/account/"


def test_the_customer_s_orders_newest_first_with_status_total_tracking_and_a_link(
    client: Client, customer, book, methods
) -> None:
    first = guest_order(book, methods["Standard"], EMAIL)
    second = place(basket_of((book, 2)), methods["Express"], user=customer)
    Order.objects.filter(pk=second.pk).update(tracking_number="33AB1234", carrier="Australia Post")
    someone_else = guest_order(book, methods["Standard"], "other@example.com")
    client.force_login(customer)

    response = client.get(reverse("account-overview"))

    assert listed_numbers(client) == [second.number, first.number]
    html = response.content.decode()
    assert someone_else.number not in html
    assert f'href="{reverse("shop:order-detail", args=[second.token])}"' in html
    assert "Australia Post 33AB1234" in html
    assert "Awaiting payment" in html
    assert "no-store" in response["Cache-Control"]


def test_guest_orders_appear_only_once_their_address_is_confirmed(
    client: Client, book, methods
) -> None:
    customer = make_user("guest@example.com", verified=False)
    order = guest_order(book, methods["Standard"], "Guest@Example.com")
    client.force_login(customer)
    assert order.number not in client.get(reverse("account-overview")).content.decode()

    EmailAddress.objects.filter(user=customer).update(verified=True)

    assert listed_numbers(client) == [order.number]


def test_the_page_takes_the_same_queries_however_many_orders(
    client: Client, customer, book, methods
) -> None:
    client.force_login(customer)
    guest_order(book, methods["Standard"], EMAIL)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("account-overview"))
    for _ in range(4):
        guest_order(book, methods["Standard"], EMAIL)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("account-overview"))
    assert len(listed_numbers(client)) == 5
    assert response.status_code == 200
    assert len(five) == len(one)
