"""Postage and order totals in shop.pricing: a delivery method's price unless the books
come to more than its free-above threshold, and GST on the whole sale including postage
(the ATO rule: total / 11, half-up to the cent). Expected values are worked out by hand."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from shop import pricing


def money(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


# (method price, free above, books subtotal) -> postage
POSTAGE_TABLE = [
    ("8.95", "80.00", "39.99", "8.95"),  # Conquered City alone pays Standard postage
    ("8.95", "80.00", "79.99", "8.95"),  # a cent short of the threshold
    ("8.95", "80.00", "80.00", "8.95"),  # exactly the threshold is not above it
    ("8.95", "80.00", "80.01", "0.00"),  # a cent above it is free
    ("8.95", "80.00", "119.97", "0.00"),  # three copies of Conquered City
    ("14.95", None, "500.00", "14.95"),  # Express is never free
    ("0.00", None, "39.99", "0.00"),  # Click & Collect
    ("8.95", "0.00", "0.00", "8.95"),  # a free-above of nothing still needs more than nothing
]


@pytest.mark.parametrize(("price", "free_above", "subtotal", "expected"), POSTAGE_TABLE)
def test_postage_is_free_only_above_the_threshold(price, free_above, subtotal, expected) -> None:
    result = pricing.postage(
        price=money(price),
        free_above=None if free_above is None else money(free_above),
        subtotal=money(subtotal),
    )
    assert result == money(expected)
    assert result.amount.as_tuple().exponent == -2


# (books subtotal, postage) -> (total, GST in the total), GST worked out by hand on the
# whole sale, postage included, never line by line:
ORDER_TABLE = [
    ("39.99", "8.95", "48.94", "4.45"),  # 4.449090... down
    ("39.99", "14.95", "54.94", "4.99"),  # 4.994545... down: .4545 of a cent
    ("39.99", "0.00", "39.99", "3.64"),  # 3.635454... up: .5454 of a cent
    ("0.06", "0.00", "0.06", "0.01"),  # 0.005454... up, the smallest that rounds up
    ("0.05", "0.00", "0.05", "0.00"),  # 0.004545... down, the largest that rounds down
    ("71.05", "8.95", "80.00", "7.27"),  # 7.272727...
    ("80.01", "0.00", "80.01", "7.27"),  # 7.273636... free postage over $80
    ("2.00", "8.95", "10.95", "1.00"),  # 0.995454... up to a whole dollar
    ("10.00", "1.00", "11.00", "1.00"),  # exactly a dollar
    ("990.00", "10.00", "1000.00", "90.91"),  # 90.909090...
    ("0.00", "0.00", "0.00", "0.00"),
]


@pytest.mark.parametrize(("subtotal", "postage", "total", "gst"), ORDER_TABLE)
def test_order_total_and_its_gst_include_postage(subtotal, postage, total, gst) -> None:
    order_total = pricing.order_total(subtotal=money(subtotal), postage=money(postage))
    assert order_total == money(total)
    assert pricing.gst_included(order_total) == money(gst)


def test_gst_on_the_whole_sale_differs_from_gst_added_up_per_item() -> None:
    # Two books at $0.06 and postage of $0.06: each alone includes 0.01 of GST (0.0054...
    # rounds up), but the sale of $0.18 includes 0.016363... = $0.02, not $0.03.
    parts = [money("0.06"), money("0.06"), money("0.06")]
    whole = pricing.gst_included(pricing.total(parts))
    assert whole == money("0.02")
    assert sum(pricing.gst_included(part).amount for part in parts) == Decimal("0.03")
