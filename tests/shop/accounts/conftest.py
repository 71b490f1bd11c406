"""Accounts fixtures: a customer with a confirmed address, staff, and signing in through
the shop's sign-in page."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.shop.orders.conftest import book, methods  # noqa: F401 - fixtures

PASSWORD = "a-long-passphrase-for-tests"
EMAIL = "vera@example.com"


def make_user(email: str, *, verified: bool = True, **fields):
    user = get_user_model().objects.create_user(
        email.split("@")[0], email=email, password=PASSWORD, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def customer(db):
    return make_user(EMAIL)


@pytest.fixture
def staff(db):
    return make_user("staff@example.com", is_staff=True, is_superuser=True)


def sign_in(client: Client, email: str = EMAIL, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})
