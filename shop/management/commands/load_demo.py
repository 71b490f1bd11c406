"""`python manage.py load_demo`: fill the shop with the demo catalogue and the demo's
delivery methods (safe to run again). It lives in the shop because it writes both: the
catalogue's demo loader may not import the shop."""

from typing import Any

from django.core.management.base import BaseCommand

from catalogue.demo import load_demo
from shop.demo import DELIVERY_METHODS, load_delivery_methods


class Command(BaseCommand):
    help = (
        "Load the demo catalogue (Conquered City, more Victor Serge and a shelf of classics "
        "and Australian books) and the delivery methods. Running it again only puts back "
        "what differs from the demo."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        self.stdout.write(str(report))
        created, updated = load_delivery_methods()
        self.stdout.write(
            f"Delivery methods: {len(DELIVERY_METHODS)} ({created} created, {updated} updated)"
        )
