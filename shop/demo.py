"""The shop's demo data beside the demo catalogue: the delivery methods a new install
offers, and its information pages (demo_pages.toml) on a Site named for local development.
`load_demo` (shop/management/commands) writes the catalogue's demo and then these; the
catalogue's loader cannot, as the catalogue never imports the shop."""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction

from shop.models import DeliveryMethod
from shop.pages import page_html_clean


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


# The demo's information pages (Delivery, Returns, Privacy, Contact) as data.
DEMO_PAGES_FILE = Path(__file__).with_name("demo_pages.toml")
# Django creates the first Site as example.com; for local development the shop is here.
DJANGO_DEFAULT_DOMAIN = "example.com"
LOCAL_DOMAIN = "127.0.0.1:8000"


@dataclass(frozen=True)
class DemoPage:
    url: str
    title: str
    content: str
    template_name: str = ""


def demo_pages() -> tuple[DemoPage, ...]:
    with DEMO_PAGES_FILE.open("rb") as file:
        data = tomllib.load(file)
    return tuple(
        DemoPage(
            url=page["url"],
            title=page["title"],
            content=page_html_clean(page["content"]),
            template_name=page.get("template_name", ""),
        )
        for page in data["page"]
    )


def load_info_pages() -> tuple[int, int]:
    """Write each demo information page that is missing (by its URL) on the shop's Site;
    a page that exists is left exactly as it is, so staff's edits stay however often this
    runs. Returns (created, kept)."""
    created = kept = 0
    with transaction.atomic():
        site = Site.objects.get(pk=settings.SITE_ID)
        for demo in demo_pages():
            if FlatPage.objects.filter(url=demo.url).exists():
                kept += 1
                continue
            page = FlatPage.objects.create(
                url=demo.url,
                title=demo.title,
                content=demo.content,
                template_name=demo.template_name,
            )
            page.sites.add(site)
            created += 1
    return created, kept


def site_for_local_development() -> Site:
    """Name the shop's Site and give it the local development server's address, when it
    still has the example.com Django created; a domain staff set is kept."""
    site = Site.objects.get(pk=settings.SITE_ID)
    if site.domain == DJANGO_DEFAULT_DOMAIN:
        site.domain, site.name = LOCAL_DOMAIN, "Bookshop"
        site.save(update_fields=["domain", "name"])
    return site
