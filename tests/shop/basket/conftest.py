"""Basket fixtures: Conquered City and another book, a customer, a client that checks CSRF."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from catalogue.models import Author, Book
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.shop.basket.helpers import CUSTOMER_EMAIL, PASSWORD
from tests.shop.helpers import aud


@pytest.fixture
def victor_serge() -> Author:
    return AuthorFactory(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")


@pytest.fixture
def book(victor_serge: Author) -> Book:
    """Conquered City: $39.99, twelve in stock, as in the demo catalogue."""
    book = BookFactory(
        title="Conquered City",
        slug="conquered-city",
        isbn="9781590173664",
        rrp=aud("39.99"),
        stock=12,
    )
    ContributionFactory(book=book, author=victor_serge)
    return book


@pytest.fixture
def other_book() -> Book:
    return BookFactory(title="Midnight in the Century", rrp=aud("24.99"), stock=4)


@pytest.fixture
def customer():
    user = get_user_model().objects.create_user("reader", email=CUSTOMER_EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=CUSTOMER_EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)
