"""Basket services: the only code that writes baskets; they take a basket, never a request.

Every change runs in a transaction that first locks the basket's row (SELECT ... FOR
UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's
write lock), then re-reads the line and the book, checks the limits, and writes with F()
expressions. Twenty "add one" requests at once for the same book therefore end as one
line of twenty; the unique (basket, book) constraint and the quantity check constraint
are the backstop.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalogue.models import Book
from shop.basket.lines_sql import read_lines
from shop.basket.rules import (
    BasketError,
    limit_message,
    price_change_message,
    purchase_limit,
    unavailable_message,
)
from shop.basket.selectors import BasketKey, BasketSummary
from shop.models import Basket, BasketLine


def _lock(basket_id: int) -> None:
    Basket.objects.select_for_update().filter(pk=basket_id).values_list("pk").first()


def basket_add(
    *,
    basket: Basket | None,
    book_id: int,
    quantity: int,
    owner: AbstractBaseUser | None = None,
) -> BasketLine:
    """Add `quantity` copies of a book, keeping the line within the purchase limit. With
    no basket, one is made (the owner's, or a visitor's) in the same transaction, so a
    refused addition leaves nothing behind. The line's basket_id says which basket."""
    if quantity < 1:
        raise BasketError("Choose at least one copy.")
    with transaction.atomic():
        if basket is None and owner is not None:
            basket = Basket.objects.get_or_create(user=owner)[0]
        elif basket is None:
            basket = Basket.objects.create()
        _lock(basket.pk)
        book = Book.objects.filter(pk=book_id).first()
        if book is None or not book.is_visible:
            raise BasketError("Sorry, that book is not in our catalogue.")
        limit = purchase_limit(book)
        if limit == 0:
            raise BasketError(unavailable_message(book))
        line = BasketLine.objects.filter(basket=basket, book=book).first()
        already = line.quantity if line else 0
        if already + quantity > limit:
            raise BasketError(limit_message(book, limit, already))
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
        _lock(basket.pk)
        line = BasketLine.objects.select_related("book").filter(pk=line_id, basket=basket).first()
        if line is None:
            raise BasketError("That book is no longer in your basket.")
        limit = purchase_limit(line.book)
        if limit == 0:
            raise BasketError(unavailable_message(line.book))
        if quantity > limit:
            raise BasketError(limit_message(line.book, limit))
        BasketLine.objects.filter(pk=line.pk).update(quantity=quantity, updated_at=timezone.now())
        line.quantity = quantity
    return line


def basket_remove(*, basket: Basket, line_id: int) -> Book | None:
    """Remove a line; returns its book, or None when it was already gone."""
    with transaction.atomic():
        _lock(basket.pk)
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
            _lock(basket.pk)
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


def basket_bring_up_to_date(*, key: BasketKey | None, authors: bool = True) -> BasketSummary:
    """A basket's lines (the basket `key` finds) brought up to date, with a notice
    for each change: a book that can no longer be bought leaves the basket, a quantity
    above what may now be bought is lowered, and a changed price is charged and announced.

    `authors=False` leaves the books' contributors unread, for pages that name no author.
    Reading is lock-free; only when a line needs changing is the basket locked and its
    lines read again, so that the usual view of a basket writes nothing."""
    summary = BasketSummary()
    if key is None:
        return summary
    current = read_lines(key, authors=authors)
    if not any(_out_of_date(line) for line in current):
        summary.lines = current
        return summary
    with transaction.atomic():
        _lock(current[0].basket_id)
        for line in read_lines(key, authors=authors):
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
                    f"{limit_message(book, limit)} We have changed your basket to {limit}."
                )
                changes["quantity"] = line.quantity = limit
            if line.unit_price != book.rrp:
                summary.notices.append(price_change_message(book, line.unit_price))
                changes["unit_price"] = line.unit_price = book.rrp
            if changes:
                BasketLine.objects.filter(pk=line.pk).update(**changes, updated_at=timezone.now())
            summary.lines.append(line)
    return summary
