"""Releasing unpaid orders (shop.orders.lifecycle.orders_release_unpaid and its job): an
order still awaiting payment more than 30 minutes after it was placed is cancelled by the
shop and its stock put back; bank-transfer orders wait for staff; running again releases
nothing more; the job runs every five minutes from the schedule."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from catalogue.models import Book
from jobs.schedule import enqueue_due
from shop.models import Order, OrderEvent, OrderStatus
from shop.orders import jobs, lifecycle
from shop.orders.lifecycle import TransitionRefused
from tests.shop.orders.conftest import at_status, basket_of, place

pytestmark = pytest.mark.django_db

MINUTES = datetime.timedelta(minutes=1)


def placed_ago(order: Order, minutes: float) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - minutes * MINUTES)
    order.refresh_from_db()
    return order


@pytest.fixture
def orders(book, methods) -> dict[str, Order]:
    """Four orders of 2, 3, 1 and 4 copies of the book (stock 12, 2 left)."""
    return {
        "recent": placed_ago(place(basket_of((book, 2)), methods["Standard"]), 29),
        "stale": placed_ago(place(basket_of((book, 3)), methods["Standard"]), 31),
        "bank transfer": at_status(
            placed_ago(place(basket_of((book, 1)), methods["Standard"]), 600),
            OrderStatus.AWAITING_PAYMENT,
            bank_transfer=True,
        ),
        "paid": at_status(
            placed_ago(place(basket_of((book, 4)), methods["Standard"]), 45), OrderStatus.PAID
        ),
    }


def statuses(orders: dict[str, Order]) -> dict[str, str]:
    return {name: Order.objects.get(pk=order.pk).status for name, order in orders.items()}


def test_orders_unpaid_after_30_minutes_are_cancelled_and_restocked(orders, book) -> None:
    assert Book.objects.get(pk=book.pk).stock == 2

    assert lifecycle.orders_release_unpaid() == 1

    assert statuses(orders) == {
        "recent": OrderStatus.AWAITING_PAYMENT,
        "stale": OrderStatus.CANCELLED,
        "bank transfer": OrderStatus.AWAITING_PAYMENT,
        "paid": OrderStatus.PAID,
    }
    assert Book.objects.get(pk=book.pk).stock == 5
    event = OrderEvent.objects.get()
    assert (event.order_id, event.from_status, event.to_status, event.by, event.note) == (
        orders["stale"].pk,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.CANCELLED,
        None,
        "Not paid within 30 minutes",
    )


def test_releasing_again_releases_nothing_more(orders, book) -> None:
    assert lifecycle.orders_release_unpaid() == 1
    assert lifecycle.orders_release_unpaid() == 0
    assert Book.objects.get(pk=book.pk).stock == 5
    assert OrderEvent.objects.count() == 1


def test_the_clock_can_be_given(orders, book) -> None:
    later = timezone.now() + 2 * MINUTES  # the 29-minute order is 31 minutes old by then
    assert lifecycle.orders_release_unpaid(now=later) == 2
    assert statuses(orders)["recent"] == OrderStatus.CANCELLED
    assert Book.objects.get(pk=book.pk).stock == 7


def test_a_released_order_cannot_be_marked_paid_afterwards(orders) -> None:
    lifecycle.orders_release_unpaid()
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.order_mark_paid(order=orders["stale"], note="Late card payment")
    assert str(refused.value) == (
        f"Order {orders['stale'].number} is cancelled: it can no longer be marked paid."
    )


def test_an_order_paid_while_the_list_was_read_is_left_alone(orders, monkeypatch) -> None:
    """The release re-checks each order under its lock: one paid between the list and the
    lock is not cancelled."""
    cancel = lifecycle.order_cancel

    def paid_just_before(*, order, **kwargs):
        lifecycle.order_mark_paid(order=order, note="Paid at the last moment")
        return cancel(order=order, **kwargs)

    monkeypatch.setattr(lifecycle, "order_cancel", paid_just_before)
    assert lifecycle.orders_release_unpaid() == 0
    assert statuses(orders)["stale"] == OrderStatus.PAID


def test_the_job_releases_unpaid_orders(orders) -> None:
    result = jobs.release_unpaid_orders.enqueue()  # the tests' queue runs it at once
    assert result.return_value == 1
    assert statuses(orders)["stale"] == OrderStatus.CANCELLED


def test_the_job_runs_every_five_minutes_from_the_schedule() -> None:
    path = "shop.orders.jobs.release_unpaid_orders"
    assert settings.JOBS_SCHEDULE[path] == 5 * 60
    assert import_string(path) is jobs.release_unpaid_orders
    assert path in enqueue_due()
