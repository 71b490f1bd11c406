"""Keyword search over the catalogue, fast at a hundred thousand books, and the indexes
the listing sorts by.

Each book keeps `search_text`: its title, subtitle, contributors' names and ISBN in one
column, in lower case without accents. The database indexes it with its own full-text engine:

- PostgreSQL: a GIN index on to_tsvector('simple', search_text), queried with prefix
  terms ("conq:* & city:*");
- SQLite: an FTS5 table kept in step with catalogue_book by triggers, queried the same way
  ('"conq"* "city"*').

Every word must match the start of a word in the book's text, so "serg" finds Serge and
"9781590" finds the ISBN. `search_text(...)` builds a book's text from plain values:
catalogue.sync (the ONIX import, the demo loader) sets it with the book it writes, and the
admin, after titles or contributors change, through
`Book.objects.filter(...).refresh_search_text()`, which uses it too.
"""

import re
import unicodedata

from django.db import connection as default_connection
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

# Letters and digits only: everything else would be query syntax to the search engines.
_WORD = re.compile(r"\w+", re.UNICODE)

POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS catalogue_book_search_gin ON catalogue_book "
    "USING gin (to_tsvector('simple', coalesce(search_text, '')))"
)
POSTGRES_MATCH = (
    "to_tsvector('simple', coalesce(\"catalogue_book\".\"search_text\", '')) "
    "@@ to_tsquery('simple', %s)"
)

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_book_fts USING fts5("
    "search_text, content='catalogue_book', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS catalogue_book_fts_insert AFTER INSERT ON catalogue_book "
    "BEGIN INSERT INTO catalogue_book_fts(rowid, search_text) "
    "VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_book_fts_delete AFTER DELETE ON catalogue_book "
    "BEGIN INSERT INTO catalogue_book_fts(catalogue_book_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_book_fts_update "
    "AFTER UPDATE OF search_text ON catalogue_book "
    "BEGIN INSERT INTO catalogue_book_fts(catalogue_book_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalogue_book_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_MATCH = (
    '"catalogue_book"."id" IN '
    "(SELECT rowid FROM catalogue_book_fts WHERE catalogue_book_fts MATCH %s)"
)


def fold(text: str) -> str:
    """Lower case without accents, so "Zola" matches "Émile Zola" typed as "emile zola"
    on every database (SQLite's FTS5 folds accents itself; PostgreSQL's 'simple' parser
    does not)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def search_text(title: str, subtitle: str, names: list[str], isbn: str) -> str:
    """A book's `search_text`: its title, subtitle, contributors' names (in page order) and
    ISBN, folded. Pure, so a book about to be written can have it before its credits are."""
    return fold(" ".join(filter(None, [title, subtitle, *names, isbn])))


def search_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def ensure_search_index(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Create the full-text index if it is missing (idempotent). Runs after every migrate:
    on SQLite a migration that rebuilds catalogue_book drops the table's triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INDEX)
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'catalogue_book_fts_%'"
            )
            complete = cursor.fetchone()[0] == len(SQLITE_TRIGGERS)
            cursor.execute(SQLITE_TABLE)
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(trigger)
            if not complete:
                cursor.execute(
                    "INSERT INTO catalogue_book_fts(catalogue_book_fts) VALUES ('rebuild')"
                )


# The listing's orders, for visible books only. Written per database because SQLite
# refuses NULLS LAST in an index (its DESC already puts nulls last) and Django cannot
# express that difference.
LISTING_INDEXES = {
    "postgresql": [
        "CREATE INDEX IF NOT EXISTS catalogue_book_newest ON catalogue_book "
        "(published DESC NULLS LAST, title, id) WHERE is_visible",
        "CREATE INDEX IF NOT EXISTS catalogue_book_by_title ON catalogue_book "
        "(title, id) WHERE is_visible",
        "CREATE INDEX IF NOT EXISTS catalogue_book_by_price ON catalogue_book "
        "(rrp NULLS LAST, title, id) WHERE is_visible",
    ],
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS catalogue_book_newest ON catalogue_book "
        "(published DESC, title, id) WHERE is_visible",
        "CREATE INDEX IF NOT EXISTS catalogue_book_by_title ON catalogue_book "
        "(title, id) WHERE is_visible",
        "CREATE INDEX IF NOT EXISTS catalogue_book_by_price ON catalogue_book "
        "(rrp, title, id) WHERE is_visible",
    ],
}


def ensure_listing_indexes(connection: BaseDatabaseWrapper = default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in LISTING_INDEXES.get(connection.vendor, []):
            cursor.execute(statement)


def drop_listing_indexes(connection: BaseDatabaseWrapper = default_connection) -> None:
    with connection.cursor() as cursor:
        for name in ["newest", "by_title", "by_price"]:
            cursor.execute(f"DROP INDEX IF EXISTS catalogue_book_{name}")


def drop_search_index(connection: BaseDatabaseWrapper = default_connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS catalogue_book_search_gin")
        elif connection.vendor == "sqlite":
            for name in ["insert", "delete", "update"]:
                cursor.execute(f"DROP TRIGGER IF EXISTS catalogue_book_fts_{name}")
            cursor.execute("DROP TABLE IF EXISTS catalogue_book_fts")


def repair_search_index(using: str = "default", **kwargs) -> None:
    """post_migrate receiver: put the index back if a migration removed it, as long as
    the catalogue has its search_text column (it has none before migration 0002)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "catalogue_book")
    if any(column.name == "search_text" for column in columns):
        ensure_search_index(connection)
        ensure_listing_indexes(connection)


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Books whose search text has a word starting with each word of `text`."""
    words = search_words(text)
    if not words:  # only punctuation: nothing can match it
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        # The words go in as a parameter, never into the SQL text.
        condition = RawSQL(POSTGRES_MATCH, [query], output_field=BooleanField())  # noqa: S611
    elif vendor == "sqlite":
        query = " ".join(f'"{word}"*' for word in words)
        condition = RawSQL(SQLITE_MATCH, [query], output_field=BooleanField())  # noqa: S611
    else:  # any other database: a plain scan, correct if slower
        for word in words:
            queryset = queryset.filter(search_text__icontains=word)
        return queryset
    return queryset.filter(condition)
