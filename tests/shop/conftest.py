"""Storefront fixtures: the seed book (Conquered City, as its publisher's page shows it) and
dates relative to today in the shop's time zone."""

import datetime

import pytest

from catalogue.models import Book, BookFormat
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ContributionFactory,
    ImprintFactory,
    ReviewFactory,
    SubjectFactory,
)
from tests.shop.helpers import CONQUERED_CITY_DESCRIPTION, CONQUERED_CITY_ISBN, aud


@pytest.fixture
def victor_serge():
    return AuthorFactory(
        name="Victor Serge",
        sort_name="Serge, Victor",
        slug="victor-serge",
        biography="Born in Brussels to Russian exiles.\n\nHe died in Mexico City in 1947.",
    )


@pytest.fixture
def richard_greeman():
    return AuthorFactory(
        name="Richard Greeman",
        sort_name="Greeman, Richard",
        slug="richard-greeman",
        biography="Translator of Victor Serge's novels.",
    )


@pytest.fixture
def conquered_city(victor_serge, richard_greeman) -> Book:
    """The seed page's book, with its translator, subjects and praise (stored out of
    order, so the page has to sort the quotes by position)."""
    book = BookFactory(
        title="Conquered City",
        slug="conquered-city",
        isbn=CONQUERED_CITY_ISBN,
        published=datetime.date(2011, 2, 15),
        imprint=ImprintFactory(name="NY Review Books", slug="nyrb"),
        format=BookFormat.PAPERBACK,
        pages=224,
        rrp=aud("39.99"),
        description=CONQUERED_CITY_DESCRIPTION,
        stock=3,
    )
    ContributionFactory(book=book, author=richard_greeman, role="translator", position=1)
    ContributionFactory(book=book, author=victor_serge, role="author", position=0)
    book.subjects.add(
        SubjectFactory(name="Fiction", slug="fiction"),
        SubjectFactory(name="Russian history", slug="russian-history"),
    )
    ReviewFactory(
        book=book, quote="Faultlessly captures the labyrinth.", source="The Atlantic", position=3
    )
    ReviewFactory(
        book=book, quote="Serge searingly evoked the epochal hopes.", source="Bookforum", position=2
    )
    ReviewFactory(
        book=book, quote="I know of no other writer like him.", source="John Berger", position=1
    )
    return book


@pytest.fixture
def book(db):
    """A book with an author and a praise quote: the pages the production and page-cache
    tests read."""
    book = BookFactory(title="Conquered City", slug="conquered-city", isbn=CONQUERED_CITY_ISBN)
    ContributionFactory(book=book)
    ReviewFactory(book=book, quote="Searing.", source="Bookforum")
    return book
