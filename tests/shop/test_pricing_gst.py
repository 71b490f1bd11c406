"""Money arithmetic in shop.pricing: AUD amounts, GST = amount / 11 rounded half-up to the
cent, en-AU formatting, and no float anywhere.

The expected values here are worked out by hand or with integer arithmetic, never by calling
the code under test a second way."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from shop import pricing


def money(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def gst_cents_by_integer_arithmetic(cents: int) -> int:
    """round_half_up(cents / 11) without Decimal: floor(cents / 11 + 1/2)."""
    return (2 * cents + 11) // 22


# amount including GST -> GST inside it, each worked out by hand:
GST_TABLE = [
    ("0.00", "0.00"),  # nothing
    ("0.05", "0.00"),  # 0.004545... rounds down
    ("0.06", "0.01"),  # 0.005454... is past the half cent: up
    ("0.11", "0.01"),  # exactly one cent
    ("0.16", "0.01"),  # 0.014545...
    ("0.17", "0.02"),  # 0.015454...
    ("11.00", "1.00"),  # exactly a dollar
    ("29.99", "2.73"),  # 2.726363...
    ("39.99", "3.64"),  # 3.635454... (Conquered City)
    ("100.00", "9.09"),  # 9.090909...
    ("119.97", "10.91"),  # 3 x 39.99 = 119.97 -> 10.906363...
    ("1234.50", "112.23"),  # 112.227272...
]


@pytest.mark.parametrize(("amount", "expected"), GST_TABLE)
def test_gst_is_one_eleventh_rounded_half_up_to_the_cent(amount: str, expected: str) -> None:
    gst = pricing.gst_included(money(amount))

    assert gst == money(expected)
    assert isinstance(gst, Money)
    assert isinstance(gst.amount, Decimal)
    assert str(gst.currency) == "AUD"
    # Rounded to the cent: exactly two decimal places.
    assert gst.amount.as_tuple().exponent == -2


def test_gst_table_agrees_with_integer_arithmetic() -> None:
    for amount, expected in GST_TABLE:
        cents = int(Decimal(amount) * 100)
        assert gst_cents_by_integer_arithmetic(cents) == int(Decimal(expected) * 100)


def test_gst_of_every_amount_up_to_200_dollars_matches_integer_rounding() -> None:
    for cents in range(0, 20_001):
        amount = Money(Decimal(cents) / 100, "AUD")
        expected = Decimal(gst_cents_by_integer_arithmetic(cents)) / 100
        assert pricing.gst_included(amount).amount == expected, f"GST of {amount}"


def test_gst_rounds_an_exact_half_cent_up_not_to_even() -> None:
    # A whole-cent price divided by 11 never lands exactly on half a cent (11 is odd), so
    # show the rule on an amount whose eleventh is exactly 4.5 cents: half-up gives 5 cents
    # where banker's rounding (half-even) would give 4.
    assert pricing.gst_included(money("0.495")) == money("0.05")
    # And the same rule in aud() itself, on both sides of an even digit.
    assert pricing.aud("0.125") == money("0.13")  # half-even would give 0.12
    assert pricing.aud("0.135") == money("0.14")
    assert pricing.aud("2.5") == money("2.50")


def test_three_copies_of_a_39_99_book_cost_119_97_including_10_91_gst() -> None:
    line = pricing.line_total(money("39.99"), 3)

    assert line == money("119.97")
    assert pricing.gst_included(line) == money("10.91")
    assert isinstance(line.amount, Decimal)


def test_total_adds_amounts_exactly() -> None:
    # 0.1 + 0.2 is the classic float error; in Decimal it is exactly 0.30.
    total = pricing.total([money("0.10"), money("0.20"), money("39.99")])

    assert total == money("40.29")
    assert isinstance(total.amount, Decimal)


def test_total_of_nothing_is_zero_dollars() -> None:
    assert pricing.total([]) == money("0.00")
    assert pricing.zero() == money("0.00")
    assert isinstance(pricing.zero().amount, Decimal)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "$0.00"),
        ("0.5", "$0.50"),
        ("39.99", "$39.99"),
        ("999.99", "$999.99"),
        ("1234.5", "$1,234.50"),
        ("1000000", "$1,000,000.00"),
        ("-3.5", "-$3.50"),
    ],
)
def test_format_aud_writes_dollars_with_thousands_separators(amount: str, expected: str) -> None:
    assert pricing.format_aud(money(amount)) == expected
    assert pricing.format_aud(Decimal(amount)) == expected


def test_format_aud_of_no_price_is_empty() -> None:
    assert pricing.format_aud(None) == ""


def test_format_aud_refuses_another_currency() -> None:
    with pytest.raises(ValueError, match="AUD"):
        pricing.format_aud(Money(Decimal("10.00"), "USD"))


def test_pricing_functions_return_money_holding_decimals() -> None:
    results = [
        pricing.aud("39.99"),
        pricing.aud(Decimal("39.99")),
        pricing.aud(40),
        pricing.line_total(money("39.99"), 7),
        pricing.total([money("1.00"), money("2.00")]),
        pricing.gst_included(money("39.99")),
        pricing.zero(),
    ]
    for result in results:
        assert isinstance(result, Money)
        assert type(result.amount) is Decimal


def test_line_total_refuses_a_fractional_float_quantity() -> None:
    with pytest.raises(TypeError):
        pricing.line_total(money("39.99"), 1.5)


@pytest.mark.parametrize("function", [pricing.aud, pricing.format_aud])
def test_pricing_refuses_float_amounts(function) -> None:
    # 0.285 as a float is 0.28499999999999998...: Decimal(0.285) would round half-up to
    # 0.28, a cent short. Money must come in as Decimal, int or str, never float.
    with pytest.raises(TypeError):
        function(0.285)
