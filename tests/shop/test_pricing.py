"""Money as customers read it: Australian dollars formatted en-AU ("$1,234.50"), rounded
half-up to the cent, and the |aud template filter that shows it."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from djmoney.money import Money

from shop import pricing
from tests.factories import BookFactory
from tests.html import facts, parse


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1234.5", "$1,234.50"),
        ("39.99", "$39.99"),
        ("0", "$0.00"),
        ("7", "$7.00"),
        ("999.999", "$1,000.00"),
        ("1234567.891", "$1,234,567.89"),
        ("-12.5", "-$12.50"),
    ],
)
def test_format_aud_writes_dollars_the_australian_way(amount, expected):
    assert pricing.format_aud(Decimal(amount)) == expected


def test_format_aud_accepts_money_in_aud():
    assert pricing.format_aud(Money(Decimal("1234.5"), "AUD")) == "$1,234.50"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "$0.01"),
        ("0.004", "$0.00"),
        ("2.675", "$2.68"),
        ("1.115", "$1.12"),
        ("1234.565", "$1,234.57"),
        ("-0.005", "-$0.01"),
    ],
)
def test_format_aud_rounds_half_up_to_the_cent(amount, expected):
    assert pricing.format_aud(Decimal(amount)) == expected


def test_format_aud_of_no_price_is_empty():
    assert pricing.format_aud(None) == ""


def test_format_aud_refuses_another_currency():
    with pytest.raises(ValueError, match="AUD"):
        pricing.format_aud(Money(Decimal("10"), "USD"))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0.005", Decimal("0.01")), ("2.675", Decimal("2.68")), (3, Decimal("3.00"))],
)
def test_aud_rounds_half_up_to_the_cent(amount, expected):
    money = pricing.aud(amount)

    assert money == Money(expected, "AUD")
    assert money.amount.as_tuple().exponent == -2


def render(template: str, **context) -> str:
    return Template("{% load shop %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Money(Decimal("1234.5"), "AUD"), "$1,234.50"),
        (Decimal("0.005"), "$0.01"),
        (None, ""),
    ],
)
def test_aud_filter_renders_the_formatted_price(value, expected):
    assert render("{{ price|aud }}", price=value) == expected


@pytest.mark.django_db
def test_pages_write_prices_the_australian_way(client):
    book = BookFactory(title="Big Atlas", rrp=Money(Decimal("1234.5"), "AUD"))

    book_page = parse(client.get(book.get_absolute_url()))
    listing = parse(client.get("/books/"))

    assert book_page.find(css_class="buy__price").text() == "$1,234.50"
    assert dict(facts(book_page))["RRP"] == "$1,234.50"
    card = listing.find("article", css_class="book-card")
    assert card.find(css_class="price").text() == "$1,234.50"
