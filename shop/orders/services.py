"""Placing an order: the only code that writes orders and takes stock for them. It takes a
basket and the customer's details, never a request. Its undoing before payment, when the
customer wants to change the order, is here too (`order_return_to_basket`).

`order_place` runs in one transaction that first locks the basket's row and then the
books' rows in primary-key order (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's write lock), re-checks every line's
price, availability and stock under those locks against what the customer was shown,
takes stock with F() expressions, writes the order and its lines, and empties the basket.
The stock check constraint (stock >= 0) and the unique checkout token are the backstops:
twenty customers racing for the last copy end with one order, and the same checkout sent
twice (a double click, a reload) finds the order it already placed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from djmoney.money import Money

from catalogue.availability import Availability
from catalogue.models import Book
from catalogue.version import catalogue_changed
from shop import pricing
from shop.basket import services as basket_services
from shop.basket.rules import (
    BasketError,
    limit_message,
    price_change_message,
    purchase_limit,
    unavailable_message,
)
from shop.models import (
    Basket,
    BasketLine,
    DeliveryMethod,
    Order,
    OrderLine,
    OrderStatus,
    new_order_number,
)
from shop.orders import lifecycle

NUMBER_ATTEMPTS = 5


class OrderRefused(Exception):
    """The order was not placed. `changes` lists, for the customer, each thing that differs
    from what they were shown; str(error) is all of them."""

    def __init__(self, changes: list[str]) -> None:
        super().__init__(" ".join(changes))
        self.changes = changes


@dataclass(frozen=True)
class DeliveryDetails:
    """Who the order is for and where it goes (address fields blank for Click & Collect).
    The checkout form validates these; the service copies them onto the order."""

    email: str
    name: str
    line1: str = ""
    line2: str = ""
    suburb: str = ""
    state: str = ""
    postcode: str = ""
    phone: str = ""
    buyer_abn: str = ""


def order_place(
    *,
    basket: Basket,
    checkout_token: str,
    details: DeliveryDetails,
    delivery_method_id: int,
    expected_total: Money,
    user: AbstractBaseUser | None = None,
) -> Order:
    """Place the order for everything in `basket`, charging `expected_total` (what the
    customer was shown) or refusing with OrderRefused if anything changed. The same
    `checkout_token` always returns the order it placed first."""
    if not checkout_token:
        raise ValueError("An order needs its checkout token")
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            Basket.objects.select_for_update().filter(pk=basket.pk).values_list("pk").first()
            # A second submit of the same checkout waited for the lock: the first has
            # committed its order by now.
            existing = Order.objects.filter(checkout_token=checkout_token).first()
            if existing is not None:
                return existing
            return _place(
                basket=basket,
                checkout_token=checkout_token,
                details=details,
                delivery_method_id=delivery_method_id,
                expected_total=expected_total,
                user=user,
            )
    except IntegrityError:
        # Only a race on the checkout token gets here (the locks prevent the others).
        existing = Order.objects.filter(checkout_token=checkout_token).first()
        if existing is None:
            raise
        return existing


def _place(
    *,
    basket: Basket,
    checkout_token: str,
    details: DeliveryDetails,
    delivery_method_id: int,
    expected_total: Money,
    user: AbstractBaseUser | None,
) -> Order:
    lines = list(BasketLine.objects.filter(basket=basket).order_by("book_id"))
    if not lines:
        raise OrderRefused(["Your basket is empty."])
    books = {
        book.pk: book
        for book in Book.objects.select_for_update()
        .filter(pk__in=[line.book_id for line in lines])
        .order_by("pk")
    }
    method = DeliveryMethod.objects.filter(pk=delivery_method_id, active=True).first()
    changes: list[str] = []
    if method is None:
        changes.append("That delivery method is no longer offered: please choose another.")
    for line in lines:
        book = books.get(line.book_id)
        if book is None:  # deleted since the lines were read: its line went with it
            changes.append("A book in your basket has left our catalogue.")
            continue
        changes.extend(_line_changes(line, book))
    subtotal = pricing.total(line.line_total for line in lines)
    if method is not None:
        postage = method.postage_for(subtotal)
        total = pricing.order_total(subtotal=subtotal, postage=postage)
        if not changes and total != expected_total:
            changes.append(
                f"Your order now comes to {pricing.format_aud(total)}, "
                f"not {pricing.format_aud(expected_total)}."
            )
    if changes:
        raise OrderRefused(changes)

    order = _create_order(
        checkout_token=checkout_token,
        user=user,
        details=details,
        method=method,
        subtotal=subtotal,
        postage=postage,
        total=total,
    )
    order_lines = []
    for line in lines:
        book = books[line.book_id]
        takes_stock = book.availability == Availability.IN_STOCK
        if takes_stock:
            _take_stock(book, line.quantity)
        order_lines.append(
            OrderLine(
                order=order,
                book=book,
                title=book.title,
                isbn=book.isbn,
                format=book.format,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
                took_stock=takes_stock,
            )
        )
    OrderLine.objects.bulk_create(order_lines)
    BasketLine.objects.filter(basket=basket).delete()
    if any(line.took_stock for line in order_lines):
        # Stock and availability show on catalogue pages: they change once this commits.
        catalogue_changed()
    return order


def _line_changes(line: BasketLine, book: Book) -> list[str]:
    """What differs, for this line, from what the customer was shown."""
    limit = purchase_limit(book)
    if limit == 0:
        return [unavailable_message(book)]
    changes = []
    if line.quantity > limit:
        changes.append(limit_message(book, limit))
    if line.unit_price != book.rrp:
        changes.append(price_change_message(book, line.unit_price))
    return changes


def _create_order(
    *,
    checkout_token: str,
    user: AbstractBaseUser | None,
    details: DeliveryDetails,
    method: DeliveryMethod,
    subtotal: Money,
    postage: Money,
    total: Money,
) -> Order:
    fields = {
        "checkout_token": checkout_token,
        "user": user if user is not None and user.is_authenticated else None,
        "email": details.email,
        "phone": details.phone,
        "buyer_abn": details.buyer_abn,
        "delivery_name": details.name,
        "delivery_line1": "" if method.is_click_and_collect else details.line1,
        "delivery_line2": "" if method.is_click_and_collect else details.line2,
        "delivery_suburb": "" if method.is_click_and_collect else details.suburb,
        "delivery_state": "" if method.is_click_and_collect else details.state,
        "delivery_postcode": "" if method.is_click_and_collect else details.postcode,
        "delivery_method": method,
        "delivery_method_name": method.name,
        "delivery_method_price": method.price,
        "click_and_collect": method.is_click_and_collect,
        "subtotal": subtotal,
        "postage": postage,
        "total": total,
        "gst": pricing.gst_included(total),
    }
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            # A savepoint, so that a clash of random order numbers can be tried again.
            with transaction.atomic():
                return Order.objects.create(number=new_order_number(), **fields)
        except IntegrityError:
            if (
                attempt == NUMBER_ATTEMPTS - 1
                or Order.objects.filter(checkout_token=checkout_token).exists()
            ):
                raise
    raise AssertionError("unreachable")


def _take_stock(book: Book, quantity: int) -> None:
    """Take `quantity` copies of a locked, re-checked book; the filter (and the stock
    check constraint behind it) refuses to go below zero."""
    taken = Book.objects.filter(pk=book.pk, stock__gte=quantity).update(stock=F("stock") - quantity)
    if taken != 1:
        raise OrderRefused([unavailable_message(book)])
    book.stock -= quantity


@dataclass
class Reopened:
    """An order put back into a basket: the basket's id, and a notice for each book that
    could not go back (sold out since, withdrawn)."""

    basket_id: int | None
    notices: list[str]


def order_return_to_basket(
    *, order: Order, basket: Basket | None, owner: AbstractBaseUser | None = None
) -> Reopened:
    """Cancel an order that is still awaiting payment and put its books back into `basket`
    (or a new one for `owner`), so that the customer can change it and check out again.
    Raises lifecycle.TransitionRefused when the order is no longer awaiting payment."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise lifecycle.TransitionRefused(
            f"Order {order.number} is {order.get_status_display().lower()}: it can no "
            "longer be changed."
        )
    notices: list[str] = []
    with transaction.atomic():
        # The cancel re-checks the status under the order's lock and restocks, so the
        # books can go back into the basket within their limits.
        lifecycle.order_cancel(
            order=order, by=None, reason="The customer went back to change the order"
        )
        for line in order.lines.order_by("pk"):
            if line.book_id is None:
                notices.append(f"{line.title} has left our catalogue.")
                continue
            try:
                added = basket_services.basket_add(
                    basket=basket, owner=owner, book_id=line.book_id, quantity=line.quantity
                )
            except BasketError as refused:
                notices.append(str(refused))
                continue
            basket = basket or added.basket  # the basket the first book went into
    return Reopened(basket_id=basket.pk if basket else None, notices=notices)
