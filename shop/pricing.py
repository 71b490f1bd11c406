"""Money for the shop: Australian dollars, prices including GST.

This is the only module that does arithmetic on money or formats it. Everything is Decimal
or djmoney's Money, never float.
"""

from decimal import ROUND_HALF_UP, Decimal

from djmoney.money import Money

CURRENCY = "AUD"
CENT = Decimal("0.01")


def aud(amount: Decimal | int | str) -> Money:
    """An amount of Australian dollars, rounded half-up to the cent."""
    return Money(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP), CURRENCY)


def format_aud(value: Money | Decimal | None) -> str:
    """Format an amount the en-AU way: $1,234.50. An empty price formats as ""."""
    if value is None:
        return ""
    if isinstance(value, Money):
        if str(value.currency) != CURRENCY:
            raise ValueError(f"The shop prices in {CURRENCY}, not {value.currency}")
        value = value.amount
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
