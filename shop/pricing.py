"""Money for the shop: Australian dollars, prices including GST.

This is the only module that does arithmetic on money or formats it. Everything is Decimal
or djmoney's Money, never float.
"""

from decimal import ROUND_HALF_UP, Decimal

from djmoney.money import Money

CURRENCY = "AUD"
CENT = Decimal("0.01")


def _no_float(value) -> None:
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or a string")
    amount = value.amount if isinstance(value, Money) else value
    if isinstance(amount, Decimal | str) and not Decimal(amount).is_finite():
        raise ValueError(f"Not an amount of money: {value}")


def aud(amount: Decimal | int | str) -> Money:
    """An amount of Australian dollars, rounded half-up to the cent."""
    _no_float(amount)
    return Money(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP), CURRENCY)


def format_aud(value: Money | Decimal | None) -> str:
    """Format an amount the en-AU way: $1,234.50. An empty price formats as ""."""
    if value is None:
        return ""
    _no_float(value)
    if isinstance(value, Money):
        if str(value.currency) != CURRENCY:
            raise ValueError(f"The shop prices in {CURRENCY}, not {value.currency}")
        value = value.amount
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def zero() -> Money:
    return Money(Decimal("0.00"), CURRENCY)


def line_total(unit_price: Money, quantity: int) -> Money:
    """The price of `quantity` copies at `unit_price` (GST included)."""
    return aud(unit_price.amount * quantity)


def total(amounts) -> Money:
    """The sum of GST-inclusive amounts."""
    return aud(sum((amount.amount for amount in amounts), Decimal("0")))


def gst_included(amount: Money) -> Money:
    """The GST inside a GST-inclusive amount: one eleventh, rounded half-up to the cent
    ($39.99 includes $3.64)."""
    return aud(amount.amount / Decimal(11))


def postage(*, price: Money, free_above: Money | None, subtotal: Money) -> Money:
    """A delivery method's postage on an order whose books come to `subtotal`: free when
    the subtotal is more than `free_above` (none: never free), else `price`."""
    _no_float(price)
    _no_float(subtotal)
    if free_above is not None and subtotal.amount > free_above.amount:
        return zero()
    return aud(price.amount)


def order_total(*, subtotal: Money, postage: Money) -> Money:
    """What the customer pays: the books and the postage, GST included."""
    return total([subtotal, postage])


def refundable(*, total: Money, refunded: Money) -> Money:
    """What is left to refund on an order that charged `total` and has refunded
    `refunded` so far."""
    _no_float(total)
    _no_float(refunded)
    return aud(total.amount - refunded.amount)
