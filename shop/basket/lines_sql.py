"""A basket's lines with their books and the books' contributors, read in one SQL
statement: the only raw SQL of the basket, kept here with its tests
(tests/shop/basket/test_lines_sql.py).

Every page drawn for one customer (the basket, each checkout step) starts with this read.
Through the ORM it took two queries (lines with books, then the contributors), and
building them cost about four times the Python time of the statement itself, a share of
each page's CPU that kept the basket and checkout under their speed target (bench/
results/). Here one statement joins the lines to their books and, when asked, to their
contributors (a row per contributor), and builds the same model instances the ORM would:
lines with `line.book` set, and each book's `contributions` filled as
`prefetch_related` fills them, so `book.authors` runs no query.

The SQL is plain SQL-92 that SQLite and PostgreSQL both run. Amounts are read as text and
turned into Decimal here (SQLite hands back its NUMERIC columns as floats); dates and
booleans arrive converted by the database driver on both."""

from decimal import Decimal

from django.db import connection

from catalogue.models import Author, Book, Contribution
from shop.basket.selectors import BasketKey
from shop.models import Basket, BasketLine


def _in_model_order(model, names: set[str]) -> tuple[str, ...]:
    # Model.from_db takes the values in the order of the model's fields.
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# The columns read of each table (what a basket line shows of its book: cover, title,
# format, price, availability, purchase limit), in the order of the SELECT list.
LINE_FIELDS = _in_model_order(
    BasketLine, {"id", "basket_id", "book_id", "quantity", "unit_price", "unit_price_currency"}
)
BOOK_FIELDS = _in_model_order(
    Book,
    {"id", "title", "subtitle", "slug", "isbn", "format", "cover", "rrp", "rrp_currency",
     "published", "stock", "is_visible"},
)  # fmt: skip
CONTRIBUTION_FIELDS = _in_model_order(
    Contribution, {"id", "book_id", "author_id", "role", "position"}
)
AUTHOR_FIELDS = _in_model_order(Author, {"id", "name", "slug"})
# Money amounts: read as text, so that no database rounds them through a float.
_AMOUNTS = {"unit_price", "rrp"}


def _columns(alias: str, table_fields: tuple[str, ...], model) -> list[str]:
    columns = []
    for name in table_fields:
        column = f"{alias}.{model._meta.get_field(name).column}"
        columns.append(f"CAST({column} AS TEXT)" if name in _AMOUNTS else column)
    return columns


def _sql(authors: bool) -> str:
    select = _columns("l", LINE_FIELDS, BasketLine) + _columns("b", BOOK_FIELDS, Book)
    joins = (
        f"FROM {BasketLine._meta.db_table} l"
        f" JOIN {Basket._meta.db_table} k ON k.id = l.basket_id"
        f" JOIN {Book._meta.db_table} b ON b.id = l.book_id"
    )
    order = "l.created_at, l.id"
    if authors:
        select += _columns("c", CONTRIBUTION_FIELDS, Contribution)
        select += _columns("a", AUTHOR_FIELDS, Author)
        joins += (
            f" LEFT JOIN {Contribution._meta.db_table} c ON c.book_id = b.id"
            f" LEFT JOIN {Author._meta.db_table} a ON a.id = c.author_id"
        )
        order += ", c.position, c.id"
    return f"SELECT {', '.join(select)} {joins} WHERE {{where}} ORDER BY {order}"


_SQL = {authors: _sql(authors) for authors in (True, False)}


def _values(row: tuple, start: int, fields: tuple[str, ...]) -> list:
    values = list(row[start : start + len(fields)])
    for i, name in enumerate(fields):
        if name in _AMOUNTS and values[i] is not None:
            values[i] = Decimal(values[i])
    return values


def read_lines(key: BasketKey, *, authors: bool = True) -> list[BasketLine]:
    """The basket's lines in the order they were added, each with its book and (unless
    authors=False) the book's contributions with their authors, in one statement."""
    where, params = key.where()
    with connection.cursor() as cursor:
        cursor.execute(_SQL[authors].format(where=where), params)
        rows = cursor.fetchall()
    db = connection.alias
    book_at, credit_at = len(LINE_FIELDS), len(LINE_FIELDS) + len(BOOK_FIELDS)
    author_at = credit_at + len(CONTRIBUTION_FIELDS)
    lines: list[BasketLine] = []
    credits: dict[int, list[Contribution]] = {}
    for row in rows:
        if not lines or lines[-1].pk != row[0]:
            line = BasketLine.from_db(db, LINE_FIELDS, _values(row, 0, LINE_FIELDS))
            line.book = Book.from_db(db, BOOK_FIELDS, _values(row, book_at, BOOK_FIELDS))
            lines.append(line)
            credits[line.pk] = []
        if authors and row[credit_at] is not None:
            credit = Contribution.from_db(db, CONTRIBUTION_FIELDS, row[credit_at:author_at])
            credit.author = Author.from_db(db, AUTHOR_FIELDS, row[author_at:])
            credits[line.pk].append(credit)
    if authors:
        for line in lines:
            _fill_contributions(line.book, credits[line.pk])
    return lines


def _fill_contributions(book: Book, contributions: list[Contribution]) -> None:
    """Give the book its contributions as prefetch_related("contributions") does: a
    queryset whose results are already there, in the cache `book.contributions.all()`
    reads (tests/shop/basket/test_lines_sql.py fails if Django changes that cache)."""
    for credit in contributions:
        credit.book = book
    queryset = book.contributions.all()
    queryset._result_cache = contributions
    queryset._prefetch_done = True
    book._prefetched_objects_cache = {"contributions": queryset}
