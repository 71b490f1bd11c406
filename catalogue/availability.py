"""Whether a book is out, for sale and available: each rule in its Python form (for one
book's values) and its SQL form (a Q for a Book query) side by side, so the two cannot
drift apart. The SQL forms take a `prefix` to be used across a relation ("book__").

"Out now" counts an undated book as out: it can be bought from stock like any other.
`BookQuerySet.published()` (the home page's new releases) is narrower on purpose: it
wants books with a publication date on or before today, so an undated book is out now
but never a new release (see `dated_out_now_q`).

What the shop promises about dispatch follows from availability too (`dispatch_promise`):
a book in stock leaves within `DISPATCH_BUSINESS_DAYS`, a pre-order when it is published,
and a book that cannot be bought is promised nothing.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.dateformat import format as format_date

# Business days from an order to its dispatch for a book in stock: the one place it is set.
DISPATCH_BUSINESS_DAYS = 2


def is_out_now(published: datetime.date | None, today: datetime.date) -> bool:
    """Published on or before today, or with no publication date."""
    return published is None or published <= today


def out_now_q(today: datetime.date, prefix: str = "") -> Q:
    """SQL form of `is_out_now`."""
    return Q(**{f"{prefix}published__isnull": True}) | Q(**{f"{prefix}published__lte": today})


def is_forthcoming(published: datetime.date | None, today: datetime.date) -> bool:
    """Dated after today: the opposite of `is_out_now`."""
    return not is_out_now(published, today)


def forthcoming_q(today: datetime.date, prefix: str = "") -> Q:
    """SQL form of `is_forthcoming`."""
    return Q(**{f"{prefix}published__gt": today})


def dated_out_now_q(today: datetime.date, prefix: str = "") -> Q:
    """Out now with a publication date: what a new-releases shelf shows."""
    return Q(**{f"{prefix}published__lte": today})


def is_for_sale(rrp: object) -> bool:
    """A book with a price (even 0.00) is for sale; one without is not."""
    return rrp is not None


def for_sale_q(prefix: str = "") -> Q:
    """SQL form of `is_for_sale`."""
    return Q(**{f"{prefix}rrp__isnull": False})


class Availability(models.TextChoices):
    """Whether a customer can buy a book now, order it ahead, or not at all."""

    IN_STOCK = "in-stock", "In stock"
    PRE_ORDER = "pre-order", "Pre-order"
    OUT_OF_STOCK = "out-of-stock", "Out of stock"
    NOT_FOR_SALE = "not-for-sale", "Not for sale"

    @classmethod
    def of(
        cls, *, rrp: object, published: datetime.date | None, stock: int, today: datetime.date
    ) -> "Availability":
        """A book's availability from its price, publication date and stock (see
        Book.availability); for code that reads those columns without building a Book."""
        if not is_for_sale(rrp):
            return cls.NOT_FOR_SALE
        if is_forthcoming(published, today):
            return cls.PRE_ORDER
        if stock > 0:
            return cls.IN_STOCK
        return cls.OUT_OF_STOCK


def availability_q(availability: Availability, today: datetime.date, prefix: str = "") -> Q:
    """SQL form of `Availability.of`: books whose availability is the one given."""
    for_sale = for_sale_q(prefix)
    out_now = out_now_q(today, prefix)
    return {
        Availability.IN_STOCK: for_sale & out_now & Q(**{f"{prefix}stock__gt": 0}),
        Availability.PRE_ORDER: for_sale & forthcoming_q(today, prefix),
        Availability.OUT_OF_STOCK: for_sale & out_now & Q(**{f"{prefix}stock": 0}),
        Availability.NOT_FOR_SALE: ~for_sale,
    }[Availability(availability)]


def dispatch_promise(availability: Availability, published: datetime.date | None) -> str:
    """When a book bought now leaves the shop, as the book page says it ("Usually
    dispatched within 2 business days", "Dispatched when published on 12 March 2027");
    empty for a book that cannot be bought."""
    if availability == Availability.IN_STOCK:
        days = "business day" if DISPATCH_BUSINESS_DAYS == 1 else "business days"
        return f"Usually dispatched within {DISPATCH_BUSINESS_DAYS} {days}"
    if availability == Availability.PRE_ORDER and published is not None:
        return f"Dispatched when published on {format_date(published, 'j F Y')}"
    return ""
