"""Closing a customer's account: its orders are kept for the shop's tax records with the
customer's personal details replaced, and everything else about the customer goes."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from shop.accounts.models import SavedAddress
from shop.accounts.selectors import customer_orders
from shop.models import Order

REMOVED = "(removed)"


def anonymised_email(order: Order) -> str:
    """An address that can never receive mail (.invalid is reserved), one per order."""
    return f"closed-account-{order.number.lower()}@example.invalid"


@transaction.atomic
def account_close(*, user: AbstractBaseUser) -> int:
    """Close `user`'s account; return how many orders were anonymised.

    Each of their orders (placed signed in, or as a guest with an address they confirmed)
    keeps its number, lines, amounts, status, state and postcode, and loses the email,
    name, street address and phone. Their saved delivery addresses, email addresses, basket and
    the user itself are deleted: nothing the customer gave is kept but the orders' sums."""
    orders = list(customer_orders(user=user).select_for_update())
    for order in orders:
        order.email = anonymised_email(order)
        order.phone = ""
        order.delivery_name = REMOVED
        if order.delivery_line1:
            order.delivery_line1 = REMOVED
        order.delivery_line2 = ""
        if order.delivery_suburb:
            order.delivery_suburb = REMOVED
        order.user = None
    Order.objects.bulk_update(
        orders,
        [
            "email",
            "phone",
            "delivery_name",
            "delivery_line1",
            "delivery_line2",
            "delivery_suburb",
            "user",
        ],
    )
    SavedAddress.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.delete()
    return len(orders)
