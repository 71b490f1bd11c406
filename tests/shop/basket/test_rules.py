"""The purchase limit's Python form (one book) and SQL form (books or basket lines in a
query) agree on every kind of book, with a line below, at and above the limit."""

import pytest
from djmoney.money import Money

from catalogue.models import Book
from shop.basket import rules
from shop.models import Basket, BasketLine
from tests.catalogue.test_availability import PUBLISHED, RRPS, STOCKS, make_book

pytestmark = pytest.mark.django_db

# Below, at and above the stock of 7 and the pre-order limit of 10.
QUANTITIES = [1, 7, 11]


@pytest.mark.parametrize("quantity", QUANTITIES)
@pytest.mark.parametrize("is_visible", [True, False], ids=["visible", "hidden"])
@pytest.mark.parametrize("stock", STOCKS, ids=[f"stock{s}" for s in STOCKS])
@pytest.mark.parametrize("published", PUBLISHED.values(), ids=PUBLISHED.keys())
@pytest.mark.parametrize("rrp", RRPS.values(), ids=RRPS.keys())
def test_purchase_limit_python_and_sql_forms_agree(rrp, published, stock, is_visible, quantity):
    book = make_book(rrp=rrp, published=published, stock=stock, is_visible=is_visible)
    line = BasketLine.objects.create(
        basket=Basket.objects.create(),
        book=book,
        quantity=quantity,
        unit_price=book.rrp or Money(0, "AUD"),
    )
    limit = rules.purchase_limit(book)

    sql_limit = (
        Book.objects.filter(pk=book.pk)
        .annotate(limit=rules.purchase_limit_sql())
        .values_list("limit", flat=True)
        .get()
    )
    kept = (
        BasketLine.objects.filter(pk=line.pk)
        .annotate(kept=rules.line_copies_kept_sql())
        .values_list("kept", flat=True)
        .get()
    )
    assert sql_limit == limit
    assert kept == min(quantity, limit)
    assert (limit > 0) == book.can_be_bought
