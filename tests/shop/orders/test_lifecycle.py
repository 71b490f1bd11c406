"""shop.orders.lifecycle: an order moves awaiting payment → paid → picking → dispatched →
delivered, or is cancelled (stock back, a paid one refunded) or refunded (in part or in
full); every other move is refused with a readable message and writes nothing; each move
leaves a history row with who and when."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Book
from catalogue.version import catalogue_version
from shop.models import Order, OrderEvent, OrderLine, OrderStatus
from shop.orders import lifecycle
from shop.orders.lifecycle import TransitionRefused
from tests.factories import BookFactory
from tests.shop.helpers import aud, days_from_today
from tests.shop.orders.conftest import FakeRefund, at_status, basket_of, place

pytestmark = pytest.mark.django_db

S = OrderStatus


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("packer", is_staff=True)


def stock_of(book: Book) -> int:
    return Book.objects.get(pk=book.pk).stock


def history(order: Order) -> list[tuple[str, str, str | None, str]]:
    return [
        (event.from_status, event.to_status, event.by.username if event.by else None, event.note)
        for event in OrderEvent.objects.filter(order=order).select_related("by")
    ]


def test_an_order_goes_from_paid_to_delivered_with_its_history(order, staff) -> None:
    started = timezone.now()
    assert lifecycle.order_mark_paid(order=order, note="Card ending 4242").status == S.PAID
    assert lifecycle.order_start_picking(order=order, by=staff).status == S.PICKING
    dispatched = lifecycle.order_dispatch(
        order=order, carrier=" Australia Post ", tracking_number="33AB1234 ", by=staff
    )
    assert dispatched.status == S.DISPATCHED
    assert lifecycle.order_mark_delivered(order=order, by=staff).status == S.DELIVERED

    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.carrier, saved.tracking_number) == (
        S.DELIVERED,
        "Australia Post",
        "33AB1234",
    )
    assert started <= saved.dispatched_at <= timezone.now()
    assert history(order) == [
        (S.AWAITING_PAYMENT, S.PAID, None, "Card ending 4242"),
        (S.PAID, S.PICKING, "packer", ""),
        (S.PICKING, S.DISPATCHED, "packer", "Australia Post 33AB1234"),
        (S.DISPATCHED, S.DELIVERED, "packer", ""),
    ]
    times = list(OrderEvent.objects.filter(order=order).values_list("at", flat=True))
    assert times == sorted(times) and started <= times[0] and times[-1] <= timezone.now()


def test_the_order_passed_in_is_brought_up_to_date(order) -> None:
    returned = lifecycle.order_mark_paid(order=order)
    assert returned.status == S.PAID
    assert order.status == S.PAID


# --- The grid: every action from every status -------------------------------------------

ACTIONS = {
    "mark_paid": lambda order, by: lifecycle.order_mark_paid(order=order, by=by),
    "start_picking": lambda order, by: lifecycle.order_start_picking(order=order, by=by),
    "dispatch": lambda order, by: lifecycle.order_dispatch(
        order=order, carrier="StarTrack", tracking_number="ST123", by=by
    ),
    "mark_delivered": lambda order, by: lifecycle.order_mark_delivered(order=order, by=by),
    "cancel": lambda order, by: lifecycle.order_cancel(
        order=order, by=by, reason="Customer asked", refund=FakeRefund()
    ),
    "refund": lambda order, by: lifecycle.order_refund(
        order=order, amount=aud("10.00"), by=by, refund=FakeRefund()
    ),
}

# What each action leads to from the statuses it is allowed from (a part refund keeps it).
ALLOWED = {
    ("mark_paid", S.AWAITING_PAYMENT): S.PAID,
    ("start_picking", S.PAID): S.PICKING,
    ("dispatch", S.PICKING): S.DISPATCHED,
    ("mark_delivered", S.DISPATCHED): S.DELIVERED,
    ("cancel", S.AWAITING_PAYMENT): S.CANCELLED,
    ("cancel", S.PAID): S.CANCELLED,
    ("cancel", S.PICKING): S.CANCELLED,
    ("refund", S.PAID): S.PAID,
    ("refund", S.PICKING): S.PICKING,
    ("refund", S.DISPATCHED): S.DISPATCHED,
    ("refund", S.DELIVERED): S.DELIVERED,
}

GRID = [(action, status) for action in ACTIONS for status in S.values]


@pytest.mark.parametrize(("action", "status"), [p for p in GRID if p in ALLOWED])
def test_an_allowed_move_happens_with_its_history_row(order, staff, action, status) -> None:
    at_status(order, status)
    ACTIONS[action](order, staff)
    assert Order.objects.get(pk=order.pk).status == ALLOWED[action, status]
    assert history(order)[-1][:3] == (status, ALLOWED[action, status], "packer")


@pytest.mark.parametrize(("action", "status"), [p for p in GRID if p not in ALLOWED])
def test_every_other_move_is_refused_and_writes_nothing(order, book, staff, action, status):
    at_status(order, status)
    with pytest.raises(TransitionRefused) as refused:
        ACTIONS[action](order, staff)
    message = str(refused.value)
    assert message.startswith(f"Order {order.number} is ")
    assert message.endswith(".")
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded, saved.carrier) == (status, aud("0.00"), "")
    assert not OrderEvent.objects.filter(order=order).exists()
    assert stock_of(book) == 10


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (S.DISPATCHED, "cancel", "is dispatched: it can no longer be cancelled."),
        (S.CANCELLED, "mark_paid", "is cancelled: it can no longer be marked paid."),
        (S.CANCELLED, "cancel", "is cancelled already."),
        (S.PAID, "mark_paid", "is paid already."),
        (S.AWAITING_PAYMENT, "dispatch", "is awaiting payment: it cannot be dispatched yet."),
        (S.AWAITING_PAYMENT, "refund", "is awaiting payment: it cannot be refunded yet."),
        (S.REFUNDED, "refund", "is refunded already."),
        (S.DELIVERED, "start_picking", "is delivered: it can no longer be picked."),
    ],
)
def test_a_refusal_says_what_the_order_is_and_why(order, staff, status, action, message):
    at_status(order, status)
    with pytest.raises(TransitionRefused) as refused:
        ACTIONS[action](order, staff)
    assert str(refused.value) == f"Order {order.number} {message}"


def test_a_stale_copy_of_the_order_is_checked_against_the_database(order, staff) -> None:
    stale = Order.objects.get(pk=order.pk)
    lifecycle.order_cancel(order=order, by=staff)
    assert stale.status == S.AWAITING_PAYMENT
    with pytest.raises(TransitionRefused, match="is cancelled: it can no longer be marked paid"):
        lifecycle.order_mark_paid(order=stale)


# --- Dispatch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("carrier", "tracking", "message"),
    [
        ("", "33AB1234", "Give the carrier and the tracking number"),
        ("Australia Post", "   ", "Give the carrier and the tracking number"),
        ("A" * 61, "33AB1234", "at most 60 characters"),
        ("Australia Post", "9" * 61, "at most 60 characters"),
    ],
)
def test_dispatch_needs_a_carrier_and_a_tracking_number(order, staff, carrier, tracking, message):
    at_status(order, S.PICKING)
    with pytest.raises(TransitionRefused, match=message):
        lifecycle.order_dispatch(order=order, carrier=carrier, tracking_number=tracking, by=staff)
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.carrier, saved.tracking_number, saved.dispatched_at) == (
        S.PICKING,
        "",
        "",
        None,
    )
    assert not OrderEvent.objects.exists()


# --- Cancelling and stock ---------------------------------------------------------------


def test_cancelling_puts_back_only_the_copies_taken_from_stock(book, methods, staff) -> None:
    forthcoming = BookFactory(
        title="Soon", rrp=aud("32.99"), stock=0, published=days_from_today(30)
    )
    order = place(basket_of((book, 3), (forthcoming, 1)), methods["Express"])
    assert stock_of(book) == 9
    assert dict(OrderLine.objects.values_list("book_id", "took_stock")) == {
        book.pk: True,
        forthcoming.pk: False,
    }

    lifecycle.order_cancel(order=order, by=staff, reason="Customer asked")

    assert (stock_of(book), stock_of(forthcoming)) == (12, 0)
    assert history(order) == [(S.AWAITING_PAYMENT, S.CANCELLED, "packer", "Customer asked")]


def test_cancelling_twice_restocks_once(order, book, staff) -> None:
    lifecycle.order_cancel(order=order, by=staff)
    with pytest.raises(TransitionRefused, match="is cancelled already"):
        lifecycle.order_cancel(order=order, by=staff)
    assert stock_of(book) == 12
    assert len(history(order)) == 1


def test_a_line_whose_book_left_the_catalogue_is_skipped(order, book, staff) -> None:
    other = BookFactory(stock=4)
    line = OrderLine.objects.create(
        order=order,
        book=other,
        title=other.title,
        isbn=other.isbn,
        format=other.format,
        unit_price=aud("10.00"),
        quantity=1,
        line_total=aud("10.00"),
    )
    other.delete()
    lifecycle.order_cancel(order=order, by=staff)
    assert stock_of(book) == 12
    assert OrderLine.objects.get(pk=line.pk).book is None


def test_restocking_changes_the_catalogue_pages_once_committed(
    order, staff, django_capture_on_commit_callbacks
) -> None:
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_cancel(order=order, by=staff)
    assert catalogue_version() > before


def test_a_move_without_stock_leaves_the_catalogue_version_alone(
    order, staff, django_capture_on_commit_callbacks
) -> None:
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_mark_paid(order=order)
        lifecycle.order_start_picking(order=order, by=staff)
    assert catalogue_version() == before


def test_an_awaiting_payment_order_is_cancelled_without_a_refund(order) -> None:
    refund = FakeRefund()
    lifecycle.order_cancel(order=order, by=None, refund=refund)
    assert refund.calls == []
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


@pytest.mark.parametrize(
    ("status", "phrase"), [(S.PAID, "is paid"), (S.PICKING, "is being picked")]
)
def test_a_paid_order_is_not_cancelled_without_a_refund(order, book, staff, status, phrase):
    at_status(order, status)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_cancel(order=order, by=staff, reason="Customer asked")
    assert str(refused.value) == f"Order {order.number} {phrase}: cancel it with a refund."
    assert Order.objects.get(pk=order.pk).status == status
    assert stock_of(book) == 10
    assert not OrderEvent.objects.exists()


def test_cancelling_a_paid_order_refunds_it_in_full_and_restocks(order, book, staff) -> None:
    lifecycle.order_mark_paid(order=order)
    refund = FakeRefund()
    lifecycle.order_cancel(order=order, by=staff, reason="Out of print", refund=refund)
    assert refund.calls == [(order.number, aud("88.93"))]
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.CANCELLED, aud("88.93"))
    assert stock_of(book) == 12
    assert history(order)[-1] == (S.PAID, S.CANCELLED, "packer", "Out of print; Refunded $88.93")


def test_cancelling_after_a_part_refund_refunds_the_rest(order, staff) -> None:
    at_status(order, S.PICKING)
    refund = FakeRefund()
    lifecycle.order_refund(order=order, amount=aud("20.00"), by=staff, refund=refund)
    lifecycle.order_cancel(order=order, by=staff, refund=refund)
    assert refund.calls == [(order.number, aud("20.00")), (order.number, aud("68.93"))]
    assert Order.objects.get(pk=order.pk).refunded == aud("88.93")


def test_a_refused_refund_leaves_a_paid_order_uncancelled(order, book, staff) -> None:
    at_status(order, S.PAID)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_cancel(
            order=order, by=staff, refund=FakeRefund(fails="The card issuer declined the refund.")
        )
    assert str(refused.value) == "The card issuer declined the refund."
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.PAID, aud("0.00"))
    assert stock_of(book) == 10
    assert not OrderEvent.objects.exists()


# --- Refunds -------------------------------------------------------------------------


def test_part_refunds_add_up_and_the_last_makes_the_order_refunded(order, staff) -> None:
    at_status(order, S.DISPATCHED)
    refund = FakeRefund()
    lifecycle.order_refund(order=order, amount=aud("10.00"), by=staff, refund=refund)
    lifecycle.order_refund(
        order=order, amount=aud("20.50"), by=staff, refund=refund, note="Damaged cover"
    )
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.DISPATCHED, aud("30.50"))

    lifecycle.order_refund(order=order, amount=aud("58.43"), by=staff, refund=refund)

    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.REFUNDED, aud("88.93"))
    assert [amount for _, amount in refund.calls] == [aud("10.00"), aud("20.50"), aud("58.43")]
    assert history(order) == [
        (S.DISPATCHED, S.DISPATCHED, "packer", "Refunded $10.00 of $88.93"),
        (S.DISPATCHED, S.DISPATCHED, "packer", "Refunded $20.50 of $88.93; Damaged cover"),
        (S.DISPATCHED, S.REFUNDED, "packer", "Refunded $58.43 of $88.93"),
    ]


@pytest.mark.parametrize("amount", ["88.94", "100.00"])
def test_a_refund_is_never_more_than_the_total(order, staff, amount) -> None:
    at_status(order, S.DELIVERED)
    refund = FakeRefund()
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_refund(order=order, amount=aud(amount), by=staff, refund=refund)
    assert str(refused.value) == (
        f"Order {order.number} has $88.93 left to refund: ${amount} is more than that."
    )
    assert refund.calls == []
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


def test_a_refund_is_never_more_than_what_is_left(order, staff) -> None:
    at_status(order, S.DELIVERED)
    refund = FakeRefund()
    lifecycle.order_refund(order=order, amount=aud("80.00"), by=staff, refund=refund)
    with pytest.raises(
        TransitionRefused, match=re.escape("has $8.93 left to refund: $9.00 is more")
    ):
        lifecycle.order_refund(order=order, amount=aud("9.00"), by=staff, refund=refund)
    assert Order.objects.get(pk=order.pk).refunded == aud("80.00")
    assert len(refund.calls) == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (aud("0.00"), "A refund must be more than $0.00."),
        (aud("-5.00"), "A refund must be more than $0.00."),
        (Money(Decimal("5.00"), "NZD"), "A refund is an amount in Australian dollars."),
        (Decimal("5.00"), "A refund is an amount in Australian dollars."),
    ],
)
def test_a_refund_is_a_positive_amount_in_aud(order, staff, amount, message) -> None:
    at_status(order, S.PAID)
    refund = FakeRefund()
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_refund(order=order, amount=amount, by=staff, refund=refund)
    assert str(refused.value) == message
    assert refund.calls == []


def test_a_refund_the_provider_refuses_writes_nothing(order, staff) -> None:
    at_status(order, S.DELIVERED)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_refund(
            order=order,
            amount=aud("88.93"),
            by=staff,
            refund=FakeRefund(fails="Refund refused by the provider: card expired."),
        )
    assert str(refused.value) == "Refund refused by the provider: card expired."
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.DELIVERED, aud("0.00"))
    assert not OrderEvent.objects.exists()


def test_a_refund_without_a_provider_is_refused(order, staff) -> None:
    at_status(order, S.DELIVERED)
    with pytest.raises(TransitionRefused, match="no payment provider"):
        lifecycle.order_refund(order=order, amount=aud("5.00"), by=staff, refund=None)
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


@pytest.mark.parametrize(("status", "stock"), [(S.PICKING, 12), (S.DISPATCHED, 10)])
def test_a_full_refund_restocks_only_books_that_never_left(order, book, staff, status, stock):
    at_status(order, status)
    lifecycle.order_refund(order=order, amount=aud("88.93"), by=staff, refund=FakeRefund())
    assert Order.objects.get(pk=order.pk).status == S.REFUNDED
    assert stock_of(book) == stock


def test_the_database_refuses_a_refund_beyond_the_total(order) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(refunded=aud("88.94"))


def test_the_history_records_the_shop_when_nobody_is_named(order) -> None:
    lifecycle.order_mark_paid(order=order)
    event = OrderEvent.objects.get(order=order)
    assert event.by is None
    assert abs(event.at - timezone.now()) < datetime.timedelta(minutes=1)
    assert str(event) == f"Order {order.number}: Awaiting payment → Paid"
