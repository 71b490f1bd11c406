"""A basket line's purchase limit, in its Python form (for one book) and its SQL form (for
books or basket lines in a query) side by side, built on catalogue.availability, and the
messages that name the limit."""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from catalogue.availability import Availability, availability_q
from catalogue.models import Book
from shop import pricing

PRE_ORDER_LINE_LIMIT = 10


class BasketError(Exception):
    """A change the basket refused; str(error) is the message for the customer."""


def purchase_limit(book: Book) -> int:
    """The most copies of `book` one basket may hold: the stock on hand for a book in
    stock, PRE_ORDER_LINE_LIMIT for a pre-order, none otherwise."""
    return _limit(is_visible=book.is_visible, availability=book.availability, stock=book.stock)


def _limit(*, is_visible: bool, availability: Availability, stock: int) -> int:
    if not is_visible:
        return 0
    if availability == Availability.IN_STOCK:
        return stock
    if availability == Availability.PRE_ORDER:
        return PRE_ORDER_LINE_LIMIT
    return 0


def unavailable_message(book: Book) -> str:
    availability = book.availability
    if not book.is_visible or availability == Availability.NOT_FOR_SALE:
        return f"Sorry, {book.title} is not for sale."
    return f"Sorry, {book.title} is out of stock."


def limit_message(book: Book, limit: int, already: int = 0) -> str:
    if book.availability == Availability.PRE_ORDER:
        text = f"You can pre-order up to {limit} copies of {book.title}"
    else:
        copies = "copy" if limit == 1 else "copies"
        text = f"We have {limit} {copies} of {book.title} in stock"
    if already:
        text += f", and your basket already has {already}"
    return text + "."


def price_change_message(book: Book, was: object) -> str:
    """A line priced at `was` when the book now costs its RRP."""
    return (
        f"The price of {book.title} has changed from "
        f"{pricing.format_aud(was)} to {pricing.format_aud(book.rrp)}."
    )


def purchase_limit_sql(prefix: str = "") -> Case:
    """SQL form of `purchase_limit`, for a Book query (or across a relation with
    `prefix`, "book__" for basket lines): the same rules, from the catalogue's Q forms."""
    today = timezone.localdate()
    visible = Q(**{f"{prefix}is_visible": True})
    return Case(
        When(
            visible & availability_q(Availability.PRE_ORDER, today, prefix),
            then=Value(PRE_ORDER_LINE_LIMIT),
        ),
        When(
            visible & availability_q(Availability.IN_STOCK, today, prefix),
            then=F(f"{prefix}stock"),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def line_copies_kept_sql() -> Least:
    """SQL form of `min(quantity, purchase_limit(book))` for a basket line: what the
    basket page would keep of it (the same rules as `purchase_limit`)."""
    return Least(F("quantity"), purchase_limit_sql("book__"))
