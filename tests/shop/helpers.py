"""Data for storefront tests: the demo's Conquered City, dates relative to the shop's
today, AUD amounts, and books made in bulk. Pages are read with tests.html."""

import datetime
from decimal import Decimal

from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Author, Book, Contribution
from tests.factories import BookFactory, ContributionFactory, make_isbn

CONQUERED_CITY_ISBN = "9781590173664"
CONQUERED_CITY_DESCRIPTION = (
    "1919–1920: St. Petersburg, city of the czars, has fallen to the Revolution.\n\n"
    "Conquered City is about terror: the Red Terror and the White Terror."
)


def days_from_today(days: int) -> datetime.date:
    """A date relative to the shop's today (Australia/Sydney), as the views compute it."""
    return timezone.localdate() + datetime.timedelta(days=days)


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def bulk_books(
    count: int, *, first: int = 0, author: Author | None = None, subjects=(), **fields
) -> list[Book]:
    """`count` books in a few inserts, for pagination tests: titled "Bulk Book <first>" on,
    each by `author` and on `subjects` if given, and found by keyword search as any other."""
    books = Book.objects.bulk_create(
        Book(
            title=f"Bulk Book {n:03d}",
            slug=f"bulk-book-{n:03d}",
            isbn=make_isbn(900_000 + n),
            **fields,
        )
        for n in range(first, first + count)
    )
    if author is not None:
        Contribution.objects.bulk_create(Contribution(book=book, author=author) for book in books)
    Book.subjects.through.objects.bulk_create(
        Book.subjects.through(book_id=book.pk, subject_id=subject.pk)
        for book in books
        for subject in subjects
    )
    Book.objects.filter(pk__in=[book.pk for book in books]).refresh_search_text()
    return books


def book_by(author: Author, role: str = Contribution.Role.AUTHOR, **fields) -> Book:
    """A book with one contributor."""
    book = BookFactory(**fields)
    ContributionFactory(book=book, author=author, role=role)
    return book
