"""The basket's one-statement read (shop.basket.lines_sql) gives what the ORM gives: the
same lines in the same order, the same values of the same types, each book's contributors
in order without a further query, and the same lines for each kind of BasketKey as its
QuerySet form. Runs on SQLite and on PostgreSQL with the rest of the suite."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from catalogue.models import Book, Contribution
from shop.basket.lines_sql import BOOK_FIELDS, LINE_FIELDS, read_lines
from shop.basket.selectors import BasketKey
from shop.models import Basket, BasketLine
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.shop.helpers import aud

pytestmark = pytest.mark.django_db


def orm_lines(basket: Basket) -> list[BasketLine]:
    """The same read through the ORM: lines with books, and contributors prefetched."""
    credits = Contribution.objects.select_related("author")
    return list(
        BasketLine.objects.filter(basket=basket)
        .select_related("book")
        .prefetch_related(Prefetch("book__contributions", queryset=credits))
    )


def add_line(basket: Basket, book: Book, quantity: int = 1, unit_price=None) -> BasketLine:
    return BasketLine.objects.create(
        basket=basket, book=book, quantity=quantity, unit_price=unit_price or book.rrp
    )


@pytest.fixture
def basket() -> Basket:
    """Three books: one by two authors and a translator (credited out of order), one with
    no contributor, one without a price, not yet published and hidden; odd cents."""
    basket = Basket.objects.create()
    first, second = AuthorFactory(name="Victor Serge"), AuthorFactory(name="Vlady Kibalchich")
    translator = AuthorFactory(name="Richard Greeman")
    credited = BookFactory(title="Conquered City", rrp=aud("39.99"), stock=12)
    ContributionFactory(book=credited, author=translator, role="translator", position=3)
    ContributionFactory(book=credited, author=second, position=2)
    ContributionFactory(book=credited, author=first, position=1)
    uncredited = BookFactory(title="Anonymous Verses", rrp=aud("1234.05"), stock=1)
    unpriced = BookFactory(
        title="Notebooks",
        rrp=None,
        stock=0,
        published=timezone.localdate() + datetime.timedelta(days=40),
        is_visible=False,
    )
    add_line(basket, credited, 2)
    add_line(basket, uncredited)
    add_line(basket, unpriced, unit_price=aud("0.10"))
    return basket


def test_lines_values_and_types_are_the_orms(basket: Basket) -> None:
    expected = orm_lines(basket)
    read = read_lines(BasketKey(basket_id=basket.pk))

    assert [line.pk for line in read] == [line.pk for line in expected]
    for mine, theirs in zip(read, expected, strict=True):
        for name in LINE_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), name
            assert type(getattr(mine, name)) is type(getattr(theirs, name)), name
        assert mine.unit_price == theirs.unit_price  # Money, from amount and currency
        assert mine.line_total == theirs.line_total
        for name in BOOK_FIELDS:
            assert getattr(mine.book, name) == getattr(theirs.book, name), name
            assert type(getattr(mine.book, name)) is type(getattr(theirs.book, name)), name
        assert mine.book.rrp == theirs.book.rrp
        assert mine.book.availability == theirs.book.availability
        assert mine.book.get_absolute_url() == theirs.book.get_absolute_url()


def test_amounts_are_exact_decimals(basket: Basket) -> None:
    amounts = {
        line.book.title: line.unit_price.amount
        for line in read_lines(BasketKey(basket_id=basket.pk))
    }

    assert amounts == {
        "Conquered City": Decimal("39.99"),
        "Anonymous Verses": Decimal("1234.05"),
        "Notebooks": Decimal("0.10"),
    }
    assert all(isinstance(amount, Decimal) for amount in amounts.values())


def test_contributors_come_in_order_without_another_query(
    basket: Basket, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        read = read_lines(BasketKey(basket_id=basket.pk))
    expected = orm_lines(basket)

    with django_assert_num_queries(0):
        names = [[c.author.name for c in line.book.contributors()] for line in read]
        authors = [line.book.author_names for line in read]
        credited = [list(line.book.contributions.all()) for line in read]
    assert names == [
        ["Victor Serge", "Vlady Kibalchich", "Richard Greeman"],
        [],
        [],
    ]
    assert authors == ["Victor Serge, Vlady Kibalchich", "", ""]
    assert [[c.pk for c in books] for books in credited] == [
        [c.pk for c in line.book.contributions.all()] for line in expected
    ]
    assert all(c.book is read[0].book for c in credited[0])


def test_without_authors_the_contributors_are_left_unread(basket: Basket) -> None:
    read = read_lines(BasketKey(basket_id=basket.pk), authors=False)

    assert [line.book.title for line in read] == [
        "Conquered City",
        "Anonymous Verses",
        "Notebooks",
    ]
    assert all(not hasattr(line.book, "_prefetched_objects_cache") for line in read)


def test_lines_come_in_the_order_they_were_added(basket: Basket) -> None:
    first = BasketLine.objects.filter(basket=basket).order_by("id").first()
    BasketLine.objects.filter(pk=first.pk).update(
        created_at=timezone.now() + datetime.timedelta(minutes=5)
    )

    read = [line.pk for line in read_lines(BasketKey(basket_id=basket.pk))]

    assert read == [line.pk for line in orm_lines(basket)]
    assert read[-1] == first.pk


def test_an_empty_basket_has_no_lines() -> None:
    assert read_lines(BasketKey(basket_id=Basket.objects.create().pk)) == []
    assert read_lines(BasketKey(basket_id=0)) == []


@pytest.mark.parametrize("authors", [True, False])
def test_each_key_reads_the_lines_its_queryset_holds(authors: bool) -> None:
    reader = get_user_model().objects.create_user("reader", email="reader@example.com")
    visitor, own = Basket.objects.create(), Basket.objects.create(user=reader)
    adopted = Basket.objects.create(user=get_user_model().objects.create_user("other"))
    for basket in (visitor, own, adopted):
        for _ in range(2):
            add_line(basket, BookFactory(rrp=aud("10.00"), stock=3))
    keys = [
        BasketKey(basket_id=visitor.pk, visitor=True),
        BasketKey(basket_id=adopted.pk, visitor=True),  # gone to an account: not a visitor's
        BasketKey(basket_id=adopted.pk),
        BasketKey(user_id=reader.pk),
        BasketKey(user_id=0),
    ]

    read = [[line.pk for line in read_lines(key, authors=authors)] for key in keys]

    assert read == [
        list(key.lines().order_by("created_at", "id").values_list("pk", flat=True)) for key in keys
    ]
    assert [len(lines) for lines in read] == [2, 0, 2, 2, 0]
