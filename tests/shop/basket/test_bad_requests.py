"""Basket forms with a `next` field no page of this shop has: the customer is sent back
to a page of the shop (3xx) or refused (4xx), never shown a server error."""

import pytest
from django.test import Client

from shop.models import BasketLine
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db

NASTY_NEXT = [
    "abc",
    "999999999",
    "' OR 1=1 --",
    "shop:basket",
    "basket",
    "admin:index",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/basket/\r\nSet-Cookie: x=1",
    "\x00",
    " ",
    "..",
    ".",
    "%2F%2Fevil.example",
    "ftp://x",
    "/" + "a" * 5000,
]


@pytest.fixture
def line(client: Client) -> BasketLine:
    book = BookFactory(stock=5)
    client.post("/basket/add/", {"book": book.pk, "quantity": 1})
    return BasketLine.objects.get()


@pytest.mark.parametrize("target", NASTY_NEXT)
@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_basket_post_with_any_next_answers_a_redirect_or_a_refusal(client, line, action, target):
    url, data = {
        "add": ("/basket/add/", {"book": line.book_id, "quantity": 1}),
        "update": (f"/basket/lines/{line.pk}/", {"quantity": 2}),
        "remove": (f"/basket/lines/{line.pk}/remove/", {}),
    }[action]
    response = client.post(url, {**data, "next": target})
    assert 300 <= response.status_code < 500
    if response.status_code < 400:
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))
