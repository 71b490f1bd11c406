"""The basket page: what each visitor sees is their own."""

import pytest
from django.test import Client

from tests.html import parse

pytestmark = pytest.mark.django_db


def sign_in_href(response) -> str:
    return next(
        a.attrs["href"] for a in parse(response).find_all("a") if a.text().strip() == "Sign in"
    )


def test_basket_page_sign_in_link_returns_each_visitor_to_their_own_url():
    first = Client().get("/basket/?ref=newsletter")
    assert sign_in_href(first) == "/accounts/login/?next=/basket/%3Fref%3Dnewsletter"
    second = Client().get("/basket/")
    assert sign_in_href(second) == "/accounts/login/?next=/basket/"
