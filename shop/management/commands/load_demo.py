"""`python manage.py load_demo`: fill the shop with the demo catalogue, the demo's
delivery methods and its information pages (safe to run again). It lives in the shop
because it writes both: the catalogue's demo loader may not import the shop."""

from typing import Any

from django.core.management.base import BaseCommand

from catalogue.demo import load_demo
from shop.demo import (
    DELIVERY_METHODS,
    load_delivery_methods,
    load_info_pages,
    site_for_local_development,
)


class Command(BaseCommand):
    help = (
        "Load the demo catalogue (Conquered City, more Victor Serge and a shelf of classics "
        "and Australian books), the delivery methods and the Delivery, Returns, Privacy and "
        "Contact pages. Running it again only puts back what differs from the demo, and never "
        "changes a page that exists."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        self.stdout.write(str(report))
        site = site_for_local_development()
        created, kept = load_info_pages()
        self.stdout.write(
            f"Information pages on {site.domain}: {created} created, {kept} kept as they are"
        )
        created, updated = load_delivery_methods()
        self.stdout.write(
            f"Delivery methods: {len(DELIVERY_METHODS)} ({created} created, {updated} updated)"
        )
