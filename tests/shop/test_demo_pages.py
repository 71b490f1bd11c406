"""The demo's information pages, written by `load_demo` (shop.demo, shop/demo_pages.toml):
each written once when it is missing and never again, so staff's edits stay; the shop's Site
named for local development; and the Delivery page's prices, which are the demo delivery
methods' own, never a copy of them in the text."""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command

from shop.demo import (
    DELIVERY_METHODS,
    LOCAL_DOMAIN,
    demo_pages,
    load_delivery_methods,
    load_info_pages,
    site_for_local_development,
)
from shop.pages import INFO_PAGES, page_html_clean
from shop.pricing import format_aud
from tests.html import parse

pytestmark = pytest.mark.django_db


def pages() -> dict[str, tuple[str, str]]:
    return {page.url: (page.title, page.content) for page in FlatPage.objects.all()}


def test_load_demo_writes_the_four_pages_on_the_shops_site(client):
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert set(pages()) == {page.url for page in INFO_PAGES}
    for page in FlatPage.objects.all():
        assert list(page.sites.values_list("pk", flat=True)) == [settings.SITE_ID]
        response = client.get(page.url)
        assert response.status_code == 200
        assert parse(response).find("h1").text() == page.title
    assert (
        f"Information pages on {LOCAL_DOMAIN}: 4 created, 0 kept as they are"
        in out.getvalue().splitlines()
    )


def test_load_demo_again_keeps_every_page_as_staff_left_it():
    call_command("load_demo", stdout=StringIO())
    FlatPage.objects.filter(url="/returns/").update(
        title="Returns policy", content="<p>Our own wording.</p>"
    )
    FlatPage.objects.filter(url="/privacy/").delete()
    before = pages()

    out = StringIO()
    call_command("load_demo", stdout=out)

    after = pages()
    assert after["/returns/"] == ("Returns policy", "<p>Our own wording.</p>")
    assert {url: after[url] for url in before} == before
    assert "/privacy/" in after  # a page staff deleted comes back from the demo
    assert f"Information pages on {LOCAL_DOMAIN}: 1 created, 3 kept as they are" in (
        out.getvalue().splitlines()
    )
    assert load_info_pages() == (0, 4)
    assert FlatPage.objects.count() == 4


def test_the_demo_pages_are_html_the_admin_would_keep_as_it_is():
    for page in demo_pages():
        assert page_html_clean(page.content) == page.content
        assert page.content.startswith("<")


def test_the_demo_pages_say_what_an_australian_bookshop_must():
    text = {page.url: parse(page.content).text() for page in demo_pages()}
    assert "Australian Consumer Law" in text["/returns/"]
    assert "faulty" in text["/returns/"]
    assert "30 days" in text["/returns/"]
    assert "unread" in text["/returns/"]
    assert "Australian Privacy Principles" in text["/privacy/"]
    assert "never see or store your card number" in text["/privacy/"]
    contact = parse(next(p.content for p in demo_pages() if p.url == "/contact/"))
    hrefs = [a.get("href") for a in contact.find_all("a")]
    assert "mailto:hello@bookshop.example" in hrefs
    assert any(href.startswith("tel:+61") for href in hrefs)
    assert contact.find("address").text().endswith("NSW 2042")


def test_the_delivery_page_shows_the_demo_methods_prices_and_its_text_repeats_none(client):
    load_delivery_methods()
    load_info_pages()
    delivery = next(page for page in demo_pages() if page.url == "/delivery/")

    assert "$" not in delivery.content  # the prices live in the delivery methods alone
    table = parse(client.get("/delivery/")).find("table", css_class="delivery-methods__table")
    rows = {row.find("th").text(): row.find("td").text() for row in table.find_all("tr")[1:]}
    assert rows == {
        "Standard": "$8.95, free on orders over $80.00",
        "Express": "$14.95",
        "Click & Collect": "Free",
    }
    for method in DELIVERY_METHODS:  # and those are the demo's methods
        if method.price != "0.00":
            assert rows[method.name].startswith(format_aud(Decimal(method.price)))


def test_the_shops_site_is_named_for_local_development_unless_staff_set_it():
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == "example.com"  # as Django creates it

    assert site_for_local_development().domain == LOCAL_DOMAIN
    site.refresh_from_db()
    assert (site.domain, site.name) == (LOCAL_DOMAIN, "Bookshop")

    Site.objects.filter(pk=site.pk).update(domain="shop.example.com", name="Our shop")
    call_command("load_demo", stdout=StringIO())
    site.refresh_from_db()
    assert (site.domain, site.name) == ("shop.example.com", "Our shop")
