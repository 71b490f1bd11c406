"""Basket services: the only code that writes baskets.

Every change runs in a transaction that first locks the basket's row (SELECT ... FOR
UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's
write lock), then re-reads the line and the book, checks the limits, and writes with F()
expressions. Twenty "add one" requests at once for the same book therefore end as one
line of twenty; the unique (basket, book) constraint and the quantity check constraint
are the backstop.

A visitor's basket id lives in their session; a signed-in customer's basket is also tied
to their account, so it follows them to other devices and outlives the session.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Least
from django.http import HttpRequest
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Availability, Book, Contribution
from shop import pricing
from shop.models import Basket, BasketLine

SESSION_KEY = "basket_id"
PRE_ORDER_LINE_LIMIT = 10


class BasketError(Exception):
    """A change the basket refused; str(error) is the message for the customer."""


@dataclass
class BasketSummary:
    """What the basket page shows: lines with their books, and the totals."""

    lines: list[BasketLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> Money:
        return pricing.total(line.line_total for line in self.lines)

    @property
    def gst(self) -> Money:
        return pricing.gst_included(self.total)


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


# --- Finding the basket ----------------------------------------------------------------


def basket_get(*, request: HttpRequest) -> Basket | None:
    """The request's basket, or None when it has none yet (no query for a visitor who
    never added anything)."""
    basket_id = request.session.get(SESSION_KEY)
    user = request.user if request.user.is_authenticated else None
    if basket_id is not None:
        basket = Basket.objects.filter(pk=basket_id, user=user).first()
        if basket is not None:
            return basket
    if user is not None:
        basket = Basket.objects.filter(user=user).first()
        if basket is not None:
            request.session[SESSION_KEY] = basket.pk
        return basket
    return None


def basket_get_or_create(*, request: HttpRequest) -> tuple[Basket, bool]:
    """The request's basket, and whether it was created just now."""
    basket = basket_get(request=request)
    if basket is not None:
        return basket, False
    if request.user.is_authenticated:
        basket, created = Basket.objects.get_or_create(user=request.user)
    else:
        basket, created = Basket.objects.create(), True
    request.session[SESSION_KEY] = basket.pk
    return basket, created


def basket_discard(*, request: HttpRequest, basket: Basket) -> None:
    """Drop a basket made for an addition that was then refused, so a refused request
    leaves no empty basket behind."""
    if not basket.lines.exists():
        basket.delete()
        request.session.pop(SESSION_KEY, None)


def _whose_lines(request: HttpRequest) -> tuple[bool, int] | None:
    """Which lines are the request's, for one query: (True, the customer's id) or (False,
    the visitor's basket id); None for a visitor who never added anything. This finds the
    basket `basket_get` does: a customer has one basket at most, and a visitor's is the
    one in their session, unless it has since gone to an account."""
    if request.user.is_authenticated:
        return True, request.user.pk
    basket_id = request.session.get(SESSION_KEY)
    return None if basket_id is None else (False, basket_id)


def _lines_of(by_user: bool, key: int) -> QuerySet[BasketLine]:
    if by_user:
        return BasketLine.objects.filter(basket__user_id=key)
    return BasketLine.objects.filter(basket_id=key, basket__user__isnull=True)


def _request_lines(request: HttpRequest) -> QuerySet[BasketLine] | None:
    """The lines of the request's basket (see `_whose_lines`)."""
    whose = _whose_lines(request)
    return None if whose is None else _lines_of(*whose)


def basket_item_count(*, request: HttpRequest) -> int:
    """Copies in the request's basket, for the header: one query at most."""
    lines = _request_lines(request)
    if lines is None:
        return 0
    # Count what the basket page would keep: nothing for a book that can no longer be
    # bought, at most the purchase limit for the rest (the same rules as purchase_limit).
    buyable = Q(book__is_visible=True, book__rrp__isnull=False)
    today = timezone.localdate()
    copies = Case(
        When(
            buyable & Q(book__published__gt=today),
            then=Least(F("quantity"), Value(PRE_ORDER_LINE_LIMIT)),
        ),
        When(buyable, then=Least(F("quantity"), F("book__stock"))),
        default=Value(0),
    )
    return lines.aggregate(count=Sum(copies))["count"] or 0


# --- Changing it ---------------------------------------------------------------------


def _lock(basket: Basket) -> None:
    Basket.objects.select_for_update().filter(pk=basket.pk).values_list("pk").first()


def basket_add(*, basket: Basket, book_id: int, quantity: int) -> BasketLine:
    """Add `quantity` copies of a book, keeping the line within the purchase limit."""
    if quantity < 1:
        raise BasketError("Choose at least one copy.")
    with transaction.atomic():
        _lock(basket)
        book = Book.objects.filter(pk=book_id).first()
        if book is None or not book.is_visible:
            raise BasketError("Sorry, that book is not in our catalogue.")
        limit = purchase_limit(book)
        if limit == 0:
            raise BasketError(_unavailable_message(book))
        line = BasketLine.objects.filter(basket=basket, book=book).first()
        already = line.quantity if line else 0
        if already + quantity > limit:
            raise BasketError(_limit_message(book, limit, already))
        now = timezone.now()
        if line is None:
            line = BasketLine.objects.create(
                basket=basket, book=book, quantity=quantity, unit_price=book.rrp
            )
        else:
            BasketLine.objects.filter(pk=line.pk).update(
                quantity=F("quantity") + quantity, updated_at=now
            )
            # Under the basket's lock nothing else changed the line since it was read.
            line.quantity, line.updated_at, line.book = already + quantity, now, book
        Basket.objects.filter(pk=basket.pk).update(updated_at=now)
    return line


def basket_set_quantity(*, basket: Basket, line_id: int, quantity: int) -> BasketLine:
    """Set a line's quantity (1 up to the purchase limit)."""
    if quantity < 1:
        raise BasketError("Choose at least one copy, or remove the book.")
    with transaction.atomic():
        _lock(basket)
        line = BasketLine.objects.select_related("book").filter(pk=line_id, basket=basket).first()
        if line is None:
            raise BasketError("That book is no longer in your basket.")
        limit = purchase_limit(line.book)
        if limit == 0:
            raise BasketError(_unavailable_message(line.book))
        if quantity > limit:
            raise BasketError(_limit_message(line.book, limit))
        BasketLine.objects.filter(pk=line.pk).update(quantity=quantity, updated_at=timezone.now())
        line.quantity = quantity
    return line


def basket_remove(*, basket: Basket, line_id: int) -> Book | None:
    """Remove a line; returns its book, or None when it was already gone."""
    with transaction.atomic():
        _lock(basket)
        line = BasketLine.objects.select_related("book").filter(pk=line_id, basket=basket).first()
        if line is None:
            return None
        line.delete()
    return line.book


def basket_merge(*, source: Basket, target: Basket) -> int:
    """Move a visitor's basket into a customer's when they sign in: quantities add up,
    within each book's purchase limit. Returns the number of copies moved; the visitor's
    basket is deleted."""
    if source.pk == target.pk:
        return 0
    moved = 0
    with transaction.atomic():
        # Lock both in primary-key order so two merges cannot deadlock.
        for basket in sorted([source, target], key=lambda b: b.pk):
            _lock(basket)
        existing = {line.book_id: line for line in target.lines.select_related("book")}
        for line in source.lines.select_related("book"):
            limit = purchase_limit(line.book)
            have = existing[line.book_id].quantity if line.book_id in existing else 0
            wanted = min(have + line.quantity, limit)
            if wanted <= have:
                continue
            moved += wanted - have
            if line.book_id in existing:
                BasketLine.objects.filter(pk=existing[line.book_id].pk).update(
                    quantity=wanted, updated_at=timezone.now()
                )
            else:
                BasketLine.objects.create(
                    basket=target, book=line.book, quantity=wanted, unit_price=line.unit_price
                )
        source.delete()
    return moved


def _lines_with_books(basket: Basket) -> list[BasketLine]:
    return list(
        basket.lines.select_related("book").prefetch_related(
            Prefetch("book__contributions", queryset=Contribution.objects.select_related("author"))
        )
    )


def _needs_correcting(*, quantity: int, limit: int, unit_price: object, rrp: object) -> bool:
    """A line the basket page must change: its book can no longer be bought, fewer copies
    may be bought now, or its price has changed."""
    return limit == 0 or quantity > limit or unit_price != rrp


def _out_of_date(line: BasketLine) -> bool:
    return _needs_correcting(
        quantity=line.quantity,
        limit=purchase_limit(line.book),
        unit_price=line.unit_price,
        rrp=line.book.rrp,
    )


def basket_bring_up_to_date(*, basket: Basket | None) -> BasketSummary:
    """The basket's lines brought up to date, with a notice for each change: a book that
    can no longer be bought leaves the basket, a quantity above what may now be bought is
    lowered, and a changed price is charged and announced.

    Reading is lock-free; only when a line needs changing is the basket locked and read
    again, so that the usual view of a basket writes nothing."""
    summary = BasketSummary()
    if basket is None:
        return summary
    lines = _lines_with_books(basket)
    if not any(_out_of_date(line) for line in lines):
        summary.lines = lines
        return summary
    with transaction.atomic():
        _lock(basket)
        for line in _lines_with_books(basket):
            book = line.book
            limit = purchase_limit(book)
            if limit == 0:
                line.delete()
                summary.notices.append(
                    f"{book.title} is no longer available and has left your basket."
                )
                continue
            changes = {}
            if line.quantity > limit:
                summary.notices.append(
                    f"{_limit_message(book, limit)} We have changed your basket to {limit}."
                )
                changes["quantity"] = line.quantity = limit
            if line.unit_price != book.rrp:
                summary.notices.append(
                    f"The price of {book.title} has changed from "
                    f"{pricing.format_aud(line.unit_price)} to {pricing.format_aud(book.rrp)}."
                )
                changes["unit_price"] = line.unit_price = book.rrp
            if changes:
                BasketLine.objects.filter(pk=line.pk).update(**changes, updated_at=timezone.now())
            summary.lines.append(line)
    return summary


def basket_adopt(*, request: HttpRequest, user: AbstractBaseUser) -> int:
    """After `user` signs in: merge the visitor basket from the session into theirs.
    Returns the number of copies moved."""
    basket_id = request.session.get(SESSION_KEY)
    visitor = Basket.objects.filter(pk=basket_id, user__isnull=True).first() if basket_id else None
    own = Basket.objects.filter(user=user).first()
    if visitor is None:
        if own is not None:
            request.session[SESSION_KEY] = own.pk
        else:
            request.session.pop(SESSION_KEY, None)
        return 0
    if own is None:
        Basket.objects.filter(pk=visitor.pk).update(user=user)
        return sum(visitor.lines.values_list("quantity", flat=True))
    moved = basket_merge(source=visitor, target=own)
    request.session[SESSION_KEY] = own.pk
    return moved


def merge_basket_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in receiver: bring the visitor's basket along, and say so."""
    if request is None or not hasattr(request, "session"):
        return
    moved = basket_adopt(request=request, user=user)
    if moved:
        copies = "a book" if moved == 1 else f"{moved} books"
        messages.info(request, f"We have added {copies} from before you signed in to your basket.")
