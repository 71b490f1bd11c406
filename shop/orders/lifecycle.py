"""An order's life after it is placed: the transitions between its statuses, each under
the order's row lock. This module holds marking an order paid; TransitionRefused carries a
message for the customer or staff when a transition does not apply."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from shop.models import Order, OrderStatus


class TransitionRefused(Exception):
    """The order is not in a status this change applies to; str(error) says why."""


def order_mark_paid(*, order: Order, by: AbstractBaseUser | None = None, note: str = "") -> Order:
    """Mark an order awaiting payment as paid (`by` is the staff member, None for a payment
    provider's confirmation). An order already paid is returned unchanged; any other status
    refuses. `order` is updated in place and returned."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.AWAITING_PAYMENT:
            locked.status = OrderStatus.PAID
            locked.save(update_fields=["status"])
        elif locked.status != OrderStatus.PAID:
            raise TransitionRefused(
                f"Order {locked.number} is {locked.get_status_display().lower()}: only an "
                "order awaiting payment can be marked paid."
            )
    order.status = locked.status
    return order
