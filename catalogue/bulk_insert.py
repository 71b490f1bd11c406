"""Raw INSERT SQL, in this one module: new books and the rows that belong to them, many
to a statement. `bulk_create` cannot keep an import at 1,000 products a second or more:
it prepares each object through the ORM, one VALUES list at a time; these INSERTs take
plain rows and, on PostgreSQL, one array per column."""

from __future__ import annotations

import functools
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from catalogue.models import Book

ROWS_PER_INSERT = 100  # most rows to one INSERT on SQLite (which also takes 999 values at most)


class InsertRows(Protocol):
    """What `insert_rows` is: what `create_books` and catalogue.sync call to insert."""

    def __call__(
        self,
        model: type[models.Model],
        fields: tuple[str, ...],
        rows: list[tuple[Any, ...]],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]: ...


def insert_rows(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    returning: tuple[str, ...] = (),
    *,
    rows_per_statement: int = ROWS_PER_INSERT,
) -> list[tuple[Any, ...]]:
    """INSERT plain rows in as few statements as the database takes; the `returning`
    columns of each row written, in no promised order.

    On SQLite, one multi-row VALUES list per statement (at most 999 values, and
    `rows_per_statement` rows). On PostgreSQL, one statement whatever the number of rows: each
    column goes as one array, which the statement unnests into rows, so the SQL stays
    short and the driver parses it once per run (a VALUES list of 2,000 placeholders costs
    it a few milliseconds every time). Like bulk_create this sends no signals;
    `import_onix` bumps the catalogue version once at the end. Values must already be
    what the columns store (`get_db_prep_save`)."""
    if not rows:
        return []
    db = transaction.get_connection()
    if db.vendor == "postgresql":
        sql = _unnest_sql(model, fields, returning)
        return _execute(db, sql, [list(column) for column in zip(*rows, strict=True)])
    written: list[tuple[Any, ...]] = []
    size = _rows_per_statement(db, len(fields), rows_per_statement)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = _values_sql(model, fields, len(chunk), returning)
        written += _execute(db, sql, [value for row in chunk for value in row])
    return written


def _rows_per_statement(db: BaseDatabaseWrapper, columns: int, most: int) -> int:
    """How many rows of `columns` values one INSERT may carry (SQLite takes 999 values)."""
    limit = db.features.max_query_params
    return max(1, min(most, limit // columns)) if limit else most


def _columns(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(model._meta.get_field(name).column) for name in names)


def _returning(model: type[models.Model], names: tuple[str, ...]) -> str:
    return f" RETURNING {_columns(model, names)}" if names else ""


@functools.lru_cache(maxsize=256)
def _values_sql(
    model: type[models.Model], fields: tuple[str, ...], rows: int, returning: tuple[str, ...]
) -> str:
    values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({_columns(model, fields)}) VALUES {values}"  # noqa: S608 - names from the model
        + _returning(model, returning)
    )


@functools.lru_cache(maxsize=64)
def _unnest_sql(
    model: type[models.Model], fields: tuple[str, ...], returning: tuple[str, ...]
) -> str:
    """PostgreSQL: INSERT ... SELECT FROM unnest(column arrays), each cast to the
    column's own type."""
    arrays = ", ".join(
        f"%s::{model._meta.get_field(name).db_type(connection)}[]" for name in fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({_columns(model, fields)}) "  # noqa: S608 - names from the model
        f"SELECT * FROM unnest({arrays})" + _returning(model, returning)
    )


@functools.cache
def _book_fields() -> tuple[models.Field, ...]:
    """The fields `create_books` writes: all but the primary key."""
    return tuple(f for f in Book._meta.local_concrete_fields if not f.primary_key)


def create_books(books: list[Book], *, insert: InsertRows = insert_rows) -> None:
    """INSERT new books and set their primary keys: what `save()` does for a new object,
    field by field (`pre_save`, `get_db_prep_save`), but many books to a statement, and
    no post_save signal (the import bumps the catalogue version once, at the end). The
    rows come back with their ISBNs, which say which key is whose."""
    db = transaction.get_connection()
    if not db.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        Book.objects.bulk_create(books)
        return
    fields = _book_fields()
    rows = [tuple(f.get_db_prep_save(f.pre_save(b, add=True), db) for f in fields) for b in books]
    names = tuple(f.name for f in fields)
    keys = dict(insert(Book, names, rows, returning=("isbn", "id")))
    for book in books:
        book.pk = keys[book.isbn]
        book._state.adding = False
        book._state.db = db.alias


def _execute(db: BaseDatabaseWrapper, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one of the import's own INSERTs; the rows it returns, if any."""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []
