"""Changing and removing basket lines through the web, and what a bad change gets: a
message, never a changed basket, and never another customer's line."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from catalogue.models import Book
from shop.basket import services as basket_services
from shop.models import Basket, BasketLine
from tests.html import parse
from tests.shop.basket.helpers import (
    BAD_QUANTITIES,
    BASKET_URL,
    NOT_IN_BASKET,
    PASSWORD,
    add,
    basket_of,
    everything_in_baskets,
    header_count,
    lines_of,
    messages_in,
    only_line,
    remove_url,
    update_url,
)

pytestmark = pytest.mark.django_db


# --- Changing and removing -------------------------------------------------------------


def test_update_changes_the_lines_quantity_and_says_so(client: Client, book: Book) -> None:
    add(client, book)
    line = only_line(client)

    response = client.post(update_url(line.pk), {"quantity": "3"}, follow=True)

    assert response.redirect_chain == [(BASKET_URL, 302)]
    assert messages_in(response) == ["Your basket now has 3 of Conquered City."]
    assert lines_of(client) == [("Conquered City", 3)]


def test_update_rejects_quantity_above_stock(client: Client, book: Book) -> None:
    add(client, book, 2)
    line = only_line(client)

    response = client.post(update_url(line.pk), {"quantity": "13"}, follow=True)

    assert messages_in(response) == ["We have 12 copies of Conquered City in stock."]
    assert lines_of(client) == [("Conquered City", 2)]


def test_remove_takes_the_line_out_and_says_so(
    client: Client, book: Book, other_book: Book
) -> None:
    add(client, book)
    add(client, other_book)
    line = basket_of(client).lines.get(book=book)

    response = client.post(remove_url(line.pk), follow=True)

    assert response.redirect_chain == [(BASKET_URL, 302)]
    assert messages_in(response) == ["Removed Conquered City from your basket."]
    assert lines_of(client) == [("Midnight in the Century", 1)]


def test_removing_the_last_line_leaves_an_empty_basket(client: Client, book: Book) -> None:
    add(client, book)

    response = client.post(remove_url(only_line(client).pk), follow=True)

    assert "Your basket is empty." in parse(response).find("main").text()
    assert header_count(response) == 0


@pytest.mark.parametrize("action", ["update", "remove"])
def test_update_and_remove_ignore_an_external_next(client: Client, book: Book, action: str) -> None:
    add(client, book)
    url = (update_url if action == "update" else remove_url)(only_line(client).pk)

    response = client.post(url, {"quantity": "2", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == BASKET_URL


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(("quantity", "message"), BAD_QUANTITIES)
def test_update_with_a_bad_quantity_says_why_and_changes_nothing(
    client: Client, book: Book, quantity: str | None, message: str
) -> None:
    add(client, book, 2)
    line = only_line(client)
    before = everything_in_baskets()
    data = {} if quantity is None else {"quantity": quantity}

    response = client.post(update_url(line.pk), data, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [message]
    assert everything_in_baskets() == before


@pytest.fixture
def someone_elses_line(other_book: Book) -> BasketLine:
    theirs = Basket.objects.create(
        user=get_user_model().objects.create_user("someone-else", password=PASSWORD)
    )
    return basket_services.basket_add(basket=theirs, book_id=other_book.pk, quantity=1)


@pytest.mark.parametrize("action", ["update", "remove"])
def test_a_line_of_another_customers_basket_cannot_be_changed_or_seen(
    client: Client, book: Book, someone_elses_line: BasketLine, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(someone_elses_line.pk)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert everything_in_baskets() == before
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert "Midnight in the Century" not in response.content.decode()


@pytest.mark.parametrize("line_id", ["999999", "0", "99999999999999999999999"])
@pytest.mark.parametrize("action", ["update", "remove"])
def test_an_unknown_line_id_says_so_and_changes_nothing(
    client: Client, book: Book, line_id: str, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(line_id)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert everything_in_baskets() == before


@pytest.mark.parametrize("line_id", ["abc", "-1", "1.5", "%20"])
@pytest.mark.parametrize("action", ["update", "remove"])
def test_a_malformed_line_id_is_not_found(
    client: Client, book: Book, line_id: str, action: str
) -> None:
    add(client, book, 2)
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(line_id)

    response = client.post(url, {"quantity": "3"})

    assert response.status_code == 404
    assert everything_in_baskets() == before


@pytest.mark.parametrize("action", ["update", "remove"])
def test_changing_a_line_without_a_basket_says_so(
    client: Client, someone_elses_line: BasketLine, action: str
) -> None:
    before = everything_in_baskets()
    url = (update_url if action == "update" else remove_url)(someone_elses_line.pk)

    response = client.post(url, {"quantity": "3"}, follow=True)

    assert response.status_code == 200
    assert messages_in(response) == [NOT_IN_BASKET[action]]
    assert everything_in_baskets() == before
    assert "Midnight in the Century" not in response.content.decode()
