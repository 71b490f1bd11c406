"""A signed-in customer changes their password, and their email address, which is
confirmed by email before it counts (for guest orders too)."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import Order
from tests.shop.accounts.conftest import EMAIL, PASSWORD, sign_in
from tests.shop.accounts.test_sign_in import NEW_PASSWORD, link_in
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db

NEW_EMAIL = "vera.new@example.com"


@pytest.fixture
def signed_in(client: Client, customer) -> Client:
    client.force_login(customer)
    return client


def test_changing_the_password_lets_the_customer_in_with_the_new_one(signed_in, customer):
    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client = Client()
    sign_in(client, EMAIL, PASSWORD)  # the old password no longer works
    assert SESSION_KEY not in client.session
    sign_in(client, EMAIL, NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(customer.pk)


def test_a_wrong_current_password_changes_nothing(signed_in, customer) -> None:
    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_a_new_email_counts_only_once_confirmed(
    signed_in, customer, book, methods, django_capture_on_commit_callbacks
) -> None:
    guest = place(basket_of((book, 1)), methods["Standard"], details=DETAILS)
    Order.objects.filter(pk=guest.pk).update(email=NEW_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("account_email"), {"action_add": "", "email": NEW_EMAIL})

    added = EmailAddress.objects.get(email=NEW_EMAIL)
    assert added.user == customer and not added.verified
    (message,) = [m for m in mail.outbox if m.to == [NEW_EMAIL]]
    assert guest.number not in signed_in.get(reverse("account-overview")).content.decode()

    signed_in.post(link_in(message))
    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    assert guest.number in signed_in.get(reverse("account-overview")).content.decode()
