"""order_mark_paid: an order awaiting payment becomes paid, once; any other status refuses."""

import pytest

from shop.models import Order, OrderStatus
from shop.orders.lifecycle import TransitionRefused, order_mark_paid

pytestmark = pytest.mark.django_db


def test_marking_an_order_paid(order: Order) -> None:
    assert order_mark_paid(order=order, by=None, note="Paid by card").status == OrderStatus.PAID
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # Again: already paid, nothing changes.
    assert order_mark_paid(order=order).status == OrderStatus.PAID


@pytest.mark.parametrize(
    "status", [OrderStatus.CANCELLED, OrderStatus.DISPATCHED, OrderStatus.REFUNDED]
)
def test_only_an_order_awaiting_payment_is_marked_paid(order: Order, status) -> None:
    Order.objects.filter(pk=order.pk).update(status=status)

    with pytest.raises(TransitionRefused, match=f"Order {order.number} is "):
        order_mark_paid(order=order)

    order.refresh_from_db()
    assert order.status == status
