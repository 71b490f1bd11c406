"""catalogue.bulk_insert: the raw INSERTs the catalogue's write path uses for new books and
their rows, many to a statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.bulk_insert import create_books, insert_rows
from catalogue.models import Book, Subject
from tests.factories import BookFactory, make_isbn

pytestmark = pytest.mark.django_db


def inserts(queries: CaptureQueriesContext) -> int:
    return sum(
        1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")
    )


def test_insert_rows_writes_the_rows_and_returns_the_columns_asked_for():
    rows = [("Fiction", "fiction"), ("Poetry", "poetry")]

    returned = insert_rows(Subject, ("name", "slug"), rows, returning=("slug", "id"))

    assert sorted(Subject.objects.values_list("name", "slug")) == rows
    keys = dict(returned)
    assert keys == dict(Subject.objects.values_list("slug", "pk"))


def test_insert_rows_with_no_rows_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(Subject, ("name", "slug"), []) == []

    assert inserts(queries) == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's VALUES lists")
def test_on_sqlite_rows_go_in_chunks_of_rows_per_statement():
    rows = [(f"Subject {n}", f"subject-{n}") for n in range(5)]

    with CaptureQueriesContext(connection) as queries:
        insert_rows(Subject, ("name", "slug"), rows, rows_per_statement=2)

    assert inserts(queries) == 3  # 2 + 2 + 1
    assert Subject.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's 999-value limit")
def test_on_sqlite_a_statement_never_carries_more_than_999_values():
    rows = [(f"Subject {n}", f"subject-{n}") for n in range(600)]  # 1,200 values

    with CaptureQueriesContext(connection) as queries:
        insert_rows(Subject, ("name", "slug"), rows, rows_per_statement=1000)

    assert inserts(queries) == 2  # at most 499 rows of two values each
    assert Subject.objects.count() == 600


def test_create_books_sets_each_book_s_key_by_its_isbn():
    BookFactory(isbn=make_isbn(1))  # keys already taken, so a new key is not its position
    books = [Book(isbn=make_isbn(n), title=f"Book {n}", slug=f"book-{n}") for n in (3, 2)]

    create_books(books)

    for book in books:
        assert book.pk is not None and not book._state.adding
        assert Book.objects.get(pk=book.pk).isbn == book.isbn
        assert Book.objects.get(pk=book.pk).title == book.title
