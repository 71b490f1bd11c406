"""A basket line's purchase limit, in its Python form (for one book) and its SQL form (for
lines in a query) side by side, and the messages that name the limit."""

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from catalogue.models import Availability, Book

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


def _unavailable_message(book: Book) -> str:
    availability = book.availability
    if not book.is_visible or availability == Availability.NOT_FOR_SALE:
        return f"Sorry, {book.title} is not for sale."
    return f"Sorry, {book.title} is out of stock."


def _limit_message(book: Book, limit: int, already: int = 0) -> str:
    if book.availability == Availability.PRE_ORDER:
        text = f"You can pre-order up to {limit} copies of {book.title}"
    else:
        copies = "copy" if limit == 1 else "copies"
        text = f"We have {limit} {copies} of {book.title} in stock"
    if already:
        text += f", and your basket already has {already}"
    return text + "."


def line_copies_kept_sql() -> Case:
    """SQL form of `min(quantity, purchase_limit(book))` for a basket line: what the
    basket page would keep of it (the same rules as `purchase_limit`)."""
    buyable = Q(book__is_visible=True, book__rrp__isnull=False)
    today = timezone.localdate()
    return Case(
        When(
            buyable & Q(book__published__gt=today),
            then=Least(F("quantity"), Value(PRE_ORDER_LINE_LIMIT)),
        ),
        When(buyable, then=Least(F("quantity"), F("book__stock"))),
        default=Value(0),
    )
