"""The shop's demo data beside the demo catalogue: the delivery methods a new install
offers. `load_demo` (shop/management/commands) writes the catalogue's demo and then this;
the catalogue's loader cannot, as the catalogue never imports the shop."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from shop.models import DeliveryMethod


@dataclass(frozen=True)
class DemoDeliveryMethod:
    name: str
    price: str  # AUD, GST included
    free_above: str | None
    estimated_days: int
    is_click_and_collect: bool = False


DELIVERY_METHODS = (
    DemoDeliveryMethod("Standard", "8.95", free_above="80.00", estimated_days=5),
    DemoDeliveryMethod("Express", "14.95", free_above=None, estimated_days=2),
    DemoDeliveryMethod(
        "Click & Collect", "0.00", free_above=None, estimated_days=0, is_click_and_collect=True
    ),
)


def load_delivery_methods() -> tuple[int, int]:
    """Put the demo's delivery methods back as the demo has them (matched by name), and
    active; other methods staff added are left alone. Returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        for position, demo in enumerate(DELIVERY_METHODS):
            wanted = {
                "price": Decimal(demo.price),
                "free_above": None if demo.free_above is None else Decimal(demo.free_above),
                "estimated_days": demo.estimated_days,
                "is_click_and_collect": demo.is_click_and_collect,
                "active": True,
                "position": position,
            }
            method = DeliveryMethod.objects.filter(name=demo.name).first()
            if method is None:
                DeliveryMethod.objects.create(name=demo.name, **wanted)
                created += 1
                continue
            current = {
                "price": method.price.amount,
                "free_above": method.free_above and method.free_above.amount,
                "estimated_days": method.estimated_days,
                "is_click_and_collect": method.is_click_and_collect,
                "active": method.active,
                "position": method.position,
            }
            if current != wanted:
                DeliveryMethod.objects.filter(pk=method.pk).update(**wanted)
                updated += 1
    return created, updated
