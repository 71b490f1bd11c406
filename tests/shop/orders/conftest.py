"""Order fixtures: the demo's delivery methods, Conquered City in a basket, and a helper
that places the basket's order as the checkout would (the total it showed, a fresh
checkout token)."""

import secrets

import pytest

from shop import pricing
from shop.basket import services as basket_services
from shop.demo import load_delivery_methods
from shop.models import Basket, DeliveryMethod, Order
from shop.orders.services import DeliveryDetails, order_place
from tests.factories import BookFactory
from tests.shop.helpers import aud

DETAILS = DeliveryDetails(
    email="reader@example.com",
    name="Vera Reader",
    line1="12 Collins Street",
    suburb="Melbourne",
    state="VIC",
    postcode="3000",
    phone="0400 000 000",
)


@pytest.fixture
def methods(db) -> dict[str, DeliveryMethod]:
    load_delivery_methods()
    return {method.name: method for method in DeliveryMethod.objects.all()}


@pytest.fixture
def book(db):
    return BookFactory(title="Conquered City", isbn="9781590173664", rrp=aud("39.99"), stock=12)


def shown_total(basket: Basket, method: DeliveryMethod):
    """What the checkout's review shows for this basket and method."""
    subtotal = pricing.total(line.line_total for line in basket.lines.all())
    return pricing.order_total(subtotal=subtotal, postage=method.postage_for(subtotal))


def basket_of(*pairs) -> Basket:
    """A visitor's basket holding (book, quantity) pairs."""
    basket = Basket.objects.create()
    for book, quantity in pairs:
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=quantity)
    return basket


def place(
    basket: Basket, method: DeliveryMethod, *, token: str | None = None, **overrides
) -> Order:
    arguments = {
        "basket": basket,
        "checkout_token": token or secrets.token_urlsafe(16),
        "details": DETAILS,
        "delivery_method_id": method.pk,
        "expected_total": shown_total(basket, method),
    }
    return order_place(**{**arguments, **overrides})


class FakeRefund:
    """Stands in for the payment provider's refund: records each (order number, amount) it
    is asked for, or refuses with `fails` as its message."""

    def __init__(self, fails: str | None = None) -> None:
        self.calls: list[tuple[str, object]] = []
        self.fails = fails

    def __call__(self, *, order: Order, amount) -> None:
        if self.fails:
            raise RuntimeError(self.fails)
        self.calls.append((order.number, amount))


def at_status(order: Order, status: str, **fields) -> Order:
    """Put `order` in `status` as if its earlier steps had happened (for tests that start
    part way along the pipeline)."""
    Order.objects.filter(pk=order.pk).update(status=status, **fields)
    order.refresh_from_db()
    return order


@pytest.fixture
def order(book, methods) -> Order:
    """Two copies of Conquered City ($79.98) sent Standard (free above $80: $8.95), so
    $88.93, awaiting payment; the book's stock is 10 after it."""
    return place(basket_of((book, 2)), methods["Standard"])
