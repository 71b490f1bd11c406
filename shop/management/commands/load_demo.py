"""`python manage.py load_demo`: fill the shop with the demo catalogue (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from catalogue.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo catalogue: Conquered City, more Victor Serge and a shelf of classics "
        "and Australian books. Running it again only puts back what differs from the demo."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        self.stdout.write(str(report))
