"""The availability rules' Python and SQL forms agree on every kind of book: a grid of
price (none, free, priced) x publication date x stock x visibility, each book made and
asked both ways."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from djmoney.money import Money

from catalogue.availability import (
    Availability,
    availability_q,
    for_sale_q,
    is_for_sale,
    is_out_now,
    out_now_q,
)
from catalogue.models import Book
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db

RRPS = {"no-rrp": None, "free": Decimal("0.00"), "priced": Decimal("29.99")}
# Days from the shop's today; None is an undated book.
PUBLISHED = {"undated": None, "past": -400, "today": 0, "tomorrow": 1, "far-future": 3650}
STOCKS = [0, 1, 7]
VISIBLE = [True, False]


def published_on(days: int | None) -> datetime.date | None:
    return None if days is None else timezone.localdate() + datetime.timedelta(days=days)


def make_book(*, rrp: Decimal | None, published: int | None, stock: int, is_visible: bool) -> Book:
    return BookFactory(
        rrp=None if rrp is None else Money(rrp, "AUD"),
        published=published_on(published),
        stock=stock,
        is_visible=is_visible,
    )


def as_sql(q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


grid = pytest.mark.parametrize(
    "rrp, published, stock, is_visible",
    [
        pytest.param(rrp, published, stock, visible, id=f"{r}-{p}-stock{stock}-{v}")
        for r, rrp in RRPS.items()
        for p, published in PUBLISHED.items()
        for stock in STOCKS
        for visible, v in ((True, "visible"), (False, "hidden"))
    ],
)


@grid
def test_python_and_sql_forms_agree(rrp, published, stock, is_visible):
    book = make_book(rrp=rrp, published=published, stock=stock, is_visible=is_visible)
    today = timezone.localdate()
    row = Book.objects.filter(pk=book.pk).values(
        out_now=as_sql(out_now_q(today)),
        for_sale=as_sql(for_sale_q()),
        **{f"is_{a.name}": as_sql(availability_q(a, today)) for a in Availability},
    )[0]

    availability = Availability.of(rrp=book.rrp, published=book.published, stock=stock, today=today)
    assert book.availability == availability
    assert row["out_now"] == is_out_now(book.published, today)
    assert row["for_sale"] == is_for_sale(book.rrp)
    assert book.is_forthcoming == (not is_out_now(book.published, today))
    assert {a for a in Availability if row[f"is_{a.name}"]} == {availability}
