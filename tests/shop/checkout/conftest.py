"""Checkout fixtures: the demo's delivery methods, Conquered City, and a visitor whose
basket holds it, with helpers that walk the checkout's steps as a browser would."""

import pytest
from django.test import Client

from catalogue.models import Book
from shop.demo import load_delivery_methods
from shop.models import DeliveryMethod
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.shop.helpers import aud

CHECKOUT_URL = "/checkout/"
DELIVERY_URL = "/checkout/delivery/"
REVIEW_URL = "/checkout/review/"

ADDRESS = {
    "email": "reader@example.com",
    "how": "deliver",
    "name": "Anna Reader",
    "line1": "12 Lygon Street",
    "line2": "",
    "suburb": "Carlton",
    "state": "VIC",
    "postcode": "3053",
    "phone": "",
    "buyer_abn": "",
}
COLLECT = {**ADDRESS, "how": "collect", "line1": "", "suburb": "", "state": "", "postcode": ""}


@pytest.fixture
def methods(db) -> dict[str, DeliveryMethod]:
    load_delivery_methods()
    return {method.name: method for method in DeliveryMethod.objects.all()}


@pytest.fixture
def book(db) -> Book:
    book = BookFactory(
        title="Conquered City",
        slug="conquered-city",
        isbn="9781590173664",
        rrp=aud("39.99"),
        stock=12,
    )
    ContributionFactory(book=book, author=AuthorFactory(name="Victor Serge", slug="victor-serge"))
    return book


def add(client: Client, book: Book, quantity: int = 1) -> None:
    response = client.post("/basket/add/", {"book": book.pk, "quantity": quantity})
    assert response.status_code == 302


@pytest.fixture
def shopper(client: Client, book: Book, methods) -> Client:
    """A visitor with one copy of Conquered City in their basket."""
    add(client, book)
    return client


def to_review(client: Client, details: dict = ADDRESS, method: str = "Standard") -> None:
    """Fill in the first two steps."""
    response = client.post(CHECKOUT_URL, details)
    assert response.status_code == 302, response.content.decode()[:2000]
    method_id = DeliveryMethod.objects.get(name=method).pk
    response = client.post(DELIVERY_URL, {"method": method_id})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == REVIEW_URL
