"""Forged basket requests: a change without its CSRF token is refused, a GET on a change URL
or a POST to the basket page is not allowed, and the basket stays as it was."""

import pytest
from django.test import Client

from catalogue.models import Book
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket, BasketLine
from tests.html import form_data, parse
from tests.shop.basket.helpers import (
    ADD_URL,
    BASKET_URL,
    add,
    everything_in_baskets,
    only_line,
    remove_url,
    update_url,
)

pytestmark = pytest.mark.django_db


# --- CSRF and methods ------------------------------------------------------------------


def post_targets(book: Book, line: BasketLine) -> list[tuple[str, dict]]:
    return [
        (ADD_URL, {"book": book.pk, "quantity": "1"}),
        (update_url(line.pk), {"quantity": "5"}),
        (remove_url(line.pk), {}),
    ]


@pytest.mark.parametrize("target", [0, 1, 2], ids=["add", "update", "remove"])
def test_a_basket_change_without_its_csrf_token_is_refused_and_changes_nothing(
    csrf_client: Client, book: Book, target: int
) -> None:
    basket = Basket.objects.create()
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = csrf_client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()
    csrf_client.get(BASKET_URL)  # the browser has the CSRF cookie, the form lost its token
    url, data = post_targets(book, line)[target]
    before = everything_in_baskets()

    response = csrf_client.post(url, data)

    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()
    assert everything_in_baskets() == before


@pytest.mark.parametrize("target", [0, 1, 2], ids=["add", "update", "remove"])
def test_a_basket_change_with_the_pages_csrf_token_goes_through(
    csrf_client: Client, book: Book, target: int
) -> None:
    basket = Basket.objects.create()
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = csrf_client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()
    page = parse(csrf_client.get(BASKET_URL))
    form = form_data(page.find("form", css_class="basket-line__quantity"))
    token = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"]}
    url, data = post_targets(book, line)[target]
    before = everything_in_baskets()

    response = csrf_client.post(url, {**data, **token})

    assert response.status_code == 302
    assert everything_in_baskets() != before


@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_get_on_a_basket_change_url_is_not_allowed(client: Client, book: Book, action) -> None:
    add(client, book, 2)
    url = {
        "add": f"{ADD_URL}?book={book.pk}&quantity=1",
        "update": update_url(only_line(client).pk) + "?quantity=5",
        "remove": remove_url(only_line(client).pk),
    }[action]
    before = everything_in_baskets()

    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert everything_in_baskets() == before


def test_post_to_the_basket_page_is_not_allowed(client: Client, book: Book) -> None:
    add(client, book)
    before = everything_in_baskets()

    response = client.post(BASKET_URL, {"book": book.pk, "quantity": "1"})

    assert response.status_code == 405
    assert everything_in_baskets() == before
