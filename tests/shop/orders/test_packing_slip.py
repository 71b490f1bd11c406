"""The packing slip staff print for an order (admin): the shop, the order's number and
date, who and where (or Click & Collect), each book's title, ISBN, format and quantity with
a box to tick, and no prices; linked from the order's page; for staff who may view orders."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import aud
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db


def slip_url(order) -> str:
    return reverse("admin:shop_order_packing_slip", args=[order.pk])


@pytest.fixture
def viewer_client(client):
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_order"))
    client.force_login(user)
    return client


@pytest.fixture
def two_books_order(book, methods):
    hardback = BookFactory(
        title="Midnight in the Century", isbn="9781590179017", rrp=aud("29.99"), format="hardback"
    )
    return place(basket_of((book, 2), (hardback, 1)), methods["Standard"])


def rows(page) -> list[list[str]]:
    return [
        [cell.text() for cell in row.find_all("td")]
        for row in page.find("table").find("tbody").find_all("tr")
    ]


def test_the_slip_shows_who_where_and_each_book_to_tick(viewer_client, two_books_order) -> None:
    response = viewer_client.get(slip_url(two_books_order))
    assert response.status_code == 200
    page = parse(response)
    assert page.find(css_class="shop-name").text() == "Bookshop"
    assert page.find("h1").text() == f"Packing slip: order {two_books_order.number}"
    placed = timezone.localtime(two_books_order.created_at)
    assert f"Placed {placed:%-d %B %Y}" in page.text()
    assert page.find("address").text() == "Vera Reader 12 Collins Street Melbourne VIC 3000"
    assert rows(page) == [
        ["Conquered City", "9781590173664", "Paperback", "2", ""],
        ["Midnight in the Century", "9781590179017", "Hardback", "1", ""],
    ]
    assert len(page.find_all(css_class="tick-box")) == 2
    assert [th.text() for th in page.find_all("th")][-1] == "Packed"


def test_the_slip_shows_no_prices(viewer_client, two_books_order) -> None:
    text = parse(viewer_client.get(slip_url(two_books_order))).text()
    assert "$" not in text
    assert "39.99" not in text and "29.99" not in text


def test_a_click_and_collect_slip_says_so_and_has_no_address(viewer_client, book, methods):
    details = DETAILS.__class__(email="collector@example.com", name="Sam Collector")
    order = place(basket_of((book, 1)), methods["Click & Collect"], details=details)
    page = parse(viewer_client.get(slip_url(order)))
    assert page.find("h2", id="deliver-to").text() == "Click & Collect"
    assert "Collins Street" not in page.text()
    assert "Sam Collector" in page.find("address").text()


def test_the_slip_prints_on_its_own(viewer_client, two_books_order) -> None:
    page = parse(viewer_client.get(slip_url(two_books_order)))
    [stylesheet] = page.find_all("link", rel="stylesheet")
    assert stylesheet.get("href").endswith("shop/css/packing-slip.css")
    css = (Path(settings.BASE_DIR) / "static/shop/css/packing-slip.css").read_text()
    assert "@media print" in css and ".screen-only { display: none; }" in css
    assert "screen-only" in page.find("nav").classes


def test_the_order_page_links_to_its_slip(viewer_client, two_books_order) -> None:
    url = reverse("admin:shop_order_change", args=[two_books_order.pk])
    links = parse(viewer_client.get(url)).find(css_class="object-tools").find_all("a")
    assert slip_url(two_books_order) in [link.get("href") for link in links]


def test_staff_without_the_view_permission_are_refused(client, two_books_order) -> None:
    client.force_login(User.objects.create_user("stranger", is_staff=True))
    assert client.get(slip_url(two_books_order)).status_code == 403
