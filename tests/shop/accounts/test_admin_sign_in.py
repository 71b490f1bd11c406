"""Staff sign in to admin through the shop's sign-in page, with its rate limit; a customer
who is not staff never reaches admin."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.shop.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


def test_admin_sends_visitors_to_the_shop_s_sign_in_and_back(client: Client, staff) -> None:
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post(
        "/accounts/login/?next=%2Fadmin%2F",
        {"login": "staff@example.com", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_s_own_login_form_cannot_be_used_to_guess_passwords(client: Client, staff) -> None:
    response = client.post(
        reverse("admin:login"), {"username": "staff", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_the_eleventh_failed_staff_sign_in_is_refused(client: Client, staff) -> None:
    for _ in range(10):
        assert TOO_MANY not in sign_in(client, "staff@example.com", "wrong").content.decode()

    response = sign_in(client, "staff@example.com", next="/admin/")

    assert TOO_MANY in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_customer_never_reaches_admin(client: Client, customer) -> None:
    sign_in(client)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:shop_order_changelist"), follow=True).status_code == 403
