"""Signing in and out with a basket: the visitor's basket merges into the customer's, within
the purchase limit, and says what it merged."""

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Book
from shop.basket import services as basket_services
from shop.models import Basket
from tests.shop.basket.helpers import (
    BASKET_URL,
    add,
    basket_of,
    header_count,
    lines_of,
    messages_in,
    sign_in,
)

pytestmark = pytest.mark.django_db


# --- Signing in ------------------------------------------------------------------------


def test_signing_in_merges_the_visitors_basket_and_says_what_was_merged(
    client: Client, book: Book, other_book: Book, customer
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=1)
    add(client, book, 1)
    add(client, other_book, 2)
    visitor_basket = basket_of(client)

    response = sign_in(client)

    assert response.wsgi_request.user == customer
    assert "We have added 3 books from before you signed in to your basket." in messages_in(
        response
    )
    assert basket_of(client) == own
    assert sorted(lines_of(client)) == [("Conquered City", 2), ("Midnight in the Century", 2)]
    assert not Basket.objects.filter(pk=visitor_basket.pk).exists()
    assert header_count(client.get(BASKET_URL)) == 4


def test_signing_in_adds_quantities_up_only_to_the_purchase_limit(
    client: Client, other_book: Book, customer
) -> None:
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=own, book_id=other_book.pk, quantity=3)
    add(client, other_book, 3)  # 3 + 3, but only 4 in stock

    response = sign_in(client)

    assert "We have added a book from before you signed in to your basket." in messages_in(response)
    assert lines_of(client) == [("Midnight in the Century", 4)]


def test_signing_in_gives_the_visitors_basket_to_a_customer_who_had_none(
    client: Client, book: Book, customer
) -> None:
    add(client, book, 2)
    visitor_basket = basket_of(client)

    response = sign_in(client)

    assert "We have added 2 books from before you signed in to your basket." in messages_in(
        response
    )
    visitor_basket.refresh_from_db()
    assert visitor_basket.user == customer
    assert Basket.objects.get(user=customer) == visitor_basket
    # Another device, signed in, finds the same basket through the account.
    other_device = Client()
    other_device.force_login(customer)
    assert header_count(other_device.get(BASKET_URL)) == 2


def test_signing_in_without_a_visitor_basket_says_nothing_about_baskets(
    client: Client, customer
) -> None:
    response = sign_in(client)

    assert response.wsgi_request.user == customer
    assert not any("from before you signed in" in m for m in messages_in(response))
    assert not Basket.objects.exists()


def test_signing_out_leaves_the_basket_with_the_account(
    client: Client, book: Book, customer
) -> None:
    sign_in(client)
    add(client, book, 2)

    client.post(reverse("account_logout"))

    assert header_count(client.get(BASKET_URL)) == 0
    assert "Your basket is empty." in client.get(BASKET_URL).content.decode()
    sign_in(client)
    assert header_count(client.get(BASKET_URL)) == 2
    assert lines_of(client) == [("Conquered City", 2)]


def test_a_signed_in_customers_additions_go_to_their_own_basket(
    client: Client, book: Book, customer
) -> None:
    client.force_login(customer)

    add(client, book, 2)

    assert Basket.objects.get().user == customer
    assert lines_of(client) == [("Conquered City", 2)]
