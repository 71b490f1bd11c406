"""An order's life after it is placed: the only code that changes an order's status.

    awaiting payment → paid → picking → dispatched → delivered
    awaiting payment / paid / picking → cancelled (stock put back; a paid order refunded)
    paid / picking / dispatched / delivered → refunded (in full; a part refund keeps the
                                                        status and adds up on the order)

Each transition runs in one transaction: it locks the order's row (SELECT ... FOR UPDATE;
on SQLite the IMMEDIATE transaction holds the database's write lock), re-checks the status
under the lock and refuses with TransitionRefused when the order has moved on, so two
members of staff (or staff and the release job) acting at once never both succeed. It then
writes the order and one OrderEvent row for its history, or nothing at all. The customer
hears of each change they care about (paid: the tax invoice; dispatched, cancelled,
refunded) by an email queued to go once the transaction commits (shop.orders.emails).

Money goes back through an injected `refund` callable, `refund(order=..., amount=...)`,
called under the lock after every check and before anything is written; when it raises,
nothing is written and its message comes back as TransitionRefused.

Stock goes back (with F(), the books locked in primary-key order as placing an order
locks them) when an order is cancelled, or refunded in full before it was dispatched: the
copies never left the shop. Either happens once, since both leave the order in a final
status.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Book
from catalogue.version import catalogue_changed
from shop import pricing
from shop.models import Order, OrderEvent, OrderLine, OrderStatus
from shop.orders import emails

S = OrderStatus

# A refund of `amount` on `order` through the payment provider; raises to refuse.
RefundFunction = Callable[..., None]

UNPAID_FOR = datetime.timedelta(minutes=30)
RELEASE_REASON = "Not paid within 30 minutes"

# The order's statuses along the pipeline; cancelled and refunded are final.
PIPELINE = [S.AWAITING_PAYMENT, S.PAID, S.PICKING, S.DISPATCHED, S.DELIVERED]
PAID_BEFORE_DISPATCH = {S.PAID, S.PICKING}

# How a refusal describes an order in each status: "Order KX7F-2M9Q is dispatched".
STATUS_PHRASES = {
    S.AWAITING_PAYMENT: "is awaiting payment",
    S.PAID: "is paid",
    S.PICKING: "is being picked",
    S.DISPATCHED: "is dispatched",
    S.DELIVERED: "is delivered",
    S.CANCELLED: "is cancelled",
    S.REFUNDED: "is refunded",
}

# Which statuses each action starts from: the services check these under the lock; admin
# offers only the actions open to an order's status.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "mark_paid": frozenset({S.AWAITING_PAYMENT}),
    "start_picking": frozenset({S.PAID}),
    "dispatch": frozenset({S.PICKING}),
    "mark_delivered": frozenset({S.DISPATCHED}),
    "cancel": frozenset({S.AWAITING_PAYMENT, *PAID_BEFORE_DISPATCH}),
    "refund": frozenset({*PAID_BEFORE_DISPATCH, S.DISPATCHED, S.DELIVERED}),
}

FIELD_LENGTH = 60  # carrier and tracking number (Order.carrier, Order.tracking_number)


class TransitionRefused(Exception):
    """The order was left as it was; str(error) tells staff (or the customer) why."""


def _refuse_unless(order: Order, allowed: frozenset[str], done: str, target: str) -> None:
    """Refuse unless `order` (locked) is in one of the `allowed` statuses. `done` is the
    action as a past participle ("cancelled"); `target` the status the action leads to."""
    if order.status in allowed:
        return
    prefix = f"Order {order.number}"
    if order.status == target:
        raise TransitionRefused(f"{prefix} {STATUS_PHRASES[order.status]} already.")
    earliest = min(PIPELINE.index(status) for status in allowed)
    if order.status in PIPELINE and PIPELINE.index(order.status) < earliest:
        raise TransitionRefused(
            f"{prefix} {STATUS_PHRASES[order.status]}: it cannot be {done} yet."
        )
    raise TransitionRefused(f"{prefix} {STATUS_PHRASES[order.status]}: it can no longer be {done}.")


def _lock(order: Order) -> Order:
    """The order's row, locked until the transaction ends, as it is now."""
    return Order.objects.select_for_update().get(pk=order.pk)


def _record(
    locked: Order,
    *,
    to_status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> None:
    """Save the locked order's new status (and `fields`) and its history row."""
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", *fields])
    OrderEvent.objects.create(
        order=locked,
        from_status=from_status,
        to_status=to_status,
        by=by if by is not None and by.is_authenticated else None,
        note=note[:500],
    )


def _refresh(order: Order) -> Order:
    """Bring the caller's copy of the order up to date with what was written."""
    order.refresh_from_db()
    return order


def _move(
    *,
    order: Order,
    allowed: frozenset[str],
    to_status: str,
    done: str,
    by: AbstractBaseUser | None,
    note: str = "",
) -> Order:
    with transaction.atomic():
        locked = _lock(order)
        _refuse_unless(locked, allowed, done, to_status)
        _record(locked, to_status=to_status, by=by, note=note)
    return _refresh(order)


def order_mark_paid(*, order: Order, by: AbstractBaseUser | None = None, note: str = "") -> Order:
    """An order awaiting payment is paid (the payment provider confirmed it, by=None, or
    staff saw a bank transfer arrive). A cancelled order is refused: its stock is gone."""
    paid = _move(
        order=order,
        allowed=ALLOWED_FROM["mark_paid"],
        to_status=S.PAID,
        done="marked paid",
        by=by,
        note=note,
    )
    # The customer's tax invoice, sent once the caller's transaction (if any) commits.
    emails.order_confirmation_send(order=paid)
    return paid


def order_start_picking(*, order: Order, by: AbstractBaseUser | None) -> Order:
    """Staff start taking a paid order's books from the shelves."""
    return _move(
        order=order,
        allowed=ALLOWED_FROM["start_picking"],
        to_status=S.PICKING,
        done="picked",
        by=by,
    )


def order_dispatch(
    *, order: Order, carrier: str, tracking_number: str, by: AbstractBaseUser | None
) -> Order:
    """A picked order leaves with `carrier` under `tracking_number` (both required), or,
    for Click & Collect, is ready to collect at the shop (neither needed)."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if len(carrier) > FIELD_LENGTH or len(tracking_number) > FIELD_LENGTH:
        raise TransitionRefused(
            f"The carrier and the tracking number are at most {FIELD_LENGTH} characters each."
        )
    with transaction.atomic():
        locked = _lock(order)
        _refuse_unless(locked, ALLOWED_FROM["dispatch"], "dispatched", S.DISPATCHED)
        if not locked.click_and_collect and not (carrier and tracking_number):
            raise TransitionRefused(
                "Give the carrier and the tracking number to dispatch an order."
            )
        locked.carrier = carrier
        locked.tracking_number = tracking_number
        locked.dispatched_at = timezone.now()
        note = f"{carrier} {tracking_number}".strip()
        _record(
            locked,
            to_status=S.DISPATCHED,
            by=by,
            note=note or "Ready to collect",
            fields=("carrier", "tracking_number", "dispatched_at"),
        )
        emails.order_dispatched_send(order=locked)
    return _refresh(order)


def order_mark_delivered(*, order: Order, by: AbstractBaseUser | None) -> Order:
    """A dispatched order reached the customer (or was collected)."""
    return _move(
        order=order,
        allowed=ALLOWED_FROM["mark_delivered"],
        to_status=S.DELIVERED,
        done="marked delivered",
        by=by,
    )


def order_cancel(
    *,
    order: Order,
    by: AbstractBaseUser | None,
    reason: str = "",
    refund: RefundFunction | None = None,
) -> Order:
    """Cancel an order that has not left the shop: its stock goes back, and a paid one is
    refunded in full (what is left of it) through `refund`, which it needs."""
    with transaction.atomic():
        locked = _lock(order)
        _refuse_unless(locked, ALLOWED_FROM["cancel"], "cancelled", S.CANCELLED)
        notes = [reason.strip()] if reason.strip() else []
        fields: tuple[str, ...] = ()
        if locked.status in PAID_BEFORE_DISPATCH:
            if refund is None:
                raise TransitionRefused(
                    f"Order {locked.number} {STATUS_PHRASES[locked.status]}: "
                    "cancel it with a refund."
                )
            rest = pricing.refundable(total=locked.total, refunded=locked.refunded)
            if rest.amount > 0:
                _call_refund(refund, locked, rest)
                notes.append(f"Refunded {pricing.format_aud(rest)}")
            locked.refunded = locked.total
            fields = ("refunded",)
        _restock(locked)
        _record(locked, to_status=S.CANCELLED, by=by, note="; ".join(notes), fields=fields)
        emails.order_cancelled_send(order=locked)
    return _refresh(order)


def order_refund(
    *,
    order: Order,
    amount: Money,
    by: AbstractBaseUser | None,
    refund: RefundFunction | None,
    note: str = "",
) -> Order:
    """Refund `amount` (AUD, more than nothing, at most what is left to refund) of a paid
    order through `refund`. Part refunds add up on the order; when all of the total has
    been refunded the order is refunded, and stock that has not left the shop goes back."""
    if not isinstance(amount, Money) or str(amount.currency) != pricing.CURRENCY:
        raise TransitionRefused("A refund is an amount in Australian dollars.")
    amount = pricing.aud(amount.amount)
    with transaction.atomic():
        locked = _lock(order)
        _refuse_unless(locked, ALLOWED_FROM["refund"], "refunded", S.REFUNDED)
        rest = pricing.refundable(total=locked.total, refunded=locked.refunded)
        if amount.amount <= 0:
            raise TransitionRefused("A refund must be more than $0.00.")
        if amount > rest:
            raise TransitionRefused(
                f"Order {locked.number} has {pricing.format_aud(rest)} left to refund: "
                f"{pricing.format_aud(amount)} is more than that."
            )
        if refund is None:
            raise TransitionRefused(
                f"Order {locked.number} cannot be refunded here: no payment provider is "
                "connected to refund through."
            )
        _call_refund(refund, locked, amount)
        locked.refunded = pricing.total([locked.refunded, amount])
        in_full = locked.refunded == locked.total
        if in_full and locked.status in PAID_BEFORE_DISPATCH:
            _restock(locked)
        words = [f"Refunded {pricing.format_aud(amount)} of {pricing.format_aud(locked.total)}"]
        if note.strip():
            words.append(note.strip())
        _record(
            locked,
            to_status=S.REFUNDED if in_full else locked.status,
            by=by,
            note="; ".join(words),
            fields=("refunded",),
        )
        emails.order_refunded_send(order=locked, amount=amount)
    return _refresh(order)


def orders_release_unpaid(*, now: datetime.datetime | None = None) -> int:
    """Cancel, as the shop (by=None), every order still awaiting payment 30 minutes after
    it was placed, except those paid by bank transfer, putting its stock back; return how
    many. Each is cancelled under its own lock and re-checked there, so one paid (or
    cancelled by staff) meanwhile is left alone, and running twice releases nothing more."""
    cutoff = (now or timezone.now()) - UNPAID_FOR
    unpaid = Order.objects.filter(
        status=S.AWAITING_PAYMENT, bank_transfer=False, created_at__lt=cutoff
    ).order_by("pk")
    released = 0
    for order in unpaid:
        try:
            order_cancel(order=order, by=None, reason=RELEASE_REASON)
        except TransitionRefused:
            continue  # paid or cancelled since the list was read
        released += 1
    return released


def _call_refund(refund: RefundFunction, order: Order, amount: Money) -> None:
    try:
        refund(order=order, amount=amount)
    except TransitionRefused:
        raise
    except Exception as error:
        raise TransitionRefused(
            str(error) or f"The refund of order {order.number} failed."
        ) from error


def _restock(order: Order) -> None:
    """Put back the copies the locked order's lines took from stock."""
    lines = list(
        OrderLine.objects.filter(order=order, took_stock=True, book__isnull=False).order_by(
            "book_id"
        )
    )
    if not lines:
        return
    # The same lock order as placing an order: the books by primary key.
    list(
        Book.objects.select_for_update()
        .filter(pk__in=[line.book_id for line in lines])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for line in lines:
        Book.objects.filter(pk=line.book_id).update(stock=F("stock") + line.quantity)
    # Stock and availability show on catalogue pages: they change once this commits.
    catalogue_changed()
