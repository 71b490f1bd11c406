"""The Jinja2 environment of the per-customer pages (shop.jinja2): its `url()` gives what
Django's reverse() gives, under whatever script prefix the shop is served, and what it
draws is escaped."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from shop.jinja2 import url


@pytest.fixture
def prefix():
    """set_script_prefix, and the prefix put back afterwards."""
    yield set_script_prefix
    clear_script_prefix()


def test_url_reverses_with_and_without_arguments() -> None:
    assert url("shop:basket") == reverse("shop:basket") == "/basket/"
    assert url("shop:basket-update", 7) == reverse("shop:basket-update", args=[7])
    assert url("shop:order-pay", token="abc") == reverse("shop:order-pay", kwargs={"token": "abc"})


def test_a_fixed_address_follows_the_script_prefix(prefix) -> None:
    assert url("shop:basket") == "/basket/"
    prefix("/shop/")
    assert url("shop:basket") == "/shop/basket/"
    assert url("shop:basket-update", 7) == "/shop/basket/lines/7/"
    prefix("/")
    assert url("shop:basket") == "/basket/"


def test_an_unknown_name_is_refused_as_by_reverse() -> None:
    with pytest.raises(NoReverseMatch):
        url("shop:no-such-page")


def test_what_the_templates_draw_is_escaped() -> None:
    template = engines["jinja2"].from_string("<p>{{ title }}</p>")

    assert template.render({"title": "<script>alert(1)</script>"}) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
