"""Twenty customers race for the last copy through the shop's own pages, over HTTP against
the live server (SQLite's file database or PostgreSQL, whichever the suite runs on): each
has filled in the checkout and presses "Place order" at the same moment. Exactly one order
is placed; the nineteen others are told, on their basket, that the book sold out."""

import re
import threading

from catalogue.models import Book
from shop.demo import load_delivery_methods
from shop.models import DeliveryMethod, Order
from tests.factories import BookFactory
from tests.shop.basket.test_concurrency import THREADS, Browser, csrf_token, run_together
from tests.shop.checkout.conftest import ADDRESS
from tests.shop.helpers import aud


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def ready_to_place(browser: Browser, book: Book, method_id: int) -> dict[str, str]:
    """Walk one customer to the review; return the form "Place order" would send."""
    _, _, page = browser.send("GET", book.get_absolute_url())
    token = csrf_token(page)
    steps = [
        ("/basket/add/", {"book": book.pk, "quantity": 1}),
        ("/checkout/", ADDRESS),
        ("/checkout/delivery/", {"method": method_id}),
    ]
    for path, data in steps:
        status, _, _ = browser.send("POST", path, {**data, "csrfmiddlewaretoken": token})
        assert status == 302, path
    status, _, review = browser.send("GET", "/checkout/review/")
    assert status == 200
    return {
        "csrfmiddlewaretoken": csrf_token(review),
        "checkout": hidden(review, "checkout"),
        "total": hidden(review, "total"),
    }


def test_twenty_customers_pressing_place_order_for_the_last_copy_make_one_order(
    transactional_db: None, live_server
) -> None:
    load_delivery_methods()
    standard = DeliveryMethod.objects.get(name="Standard").pk
    last = BookFactory(title="The Last Copy", rrp=aud("39.99"), stock=1)
    browsers = [Browser(live_server.url) for _ in range(THREADS)]
    forms = [ready_to_place(browser, last, standard) for browser in browsers]

    def place(index: int, barrier: threading.Barrier):
        conn = browsers[index].connect()  # connected before the barrier: all press at once
        barrier.wait()
        status, headers, _ = browsers[index].send(
            "POST", "/checkout/review/", forms[index], conn=conn
        )
        return status, headers.get("Location", "")

    results = run_together(THREADS, place)

    order = Order.objects.get()
    assert sorted(results) == sorted(
        [(302, f"/orders/{order.token}/pay/")] + [(302, "/basket/")] * (THREADS - 1)
    )
    assert Book.objects.get(pk=last.pk).stock == 0
    for browser, (_, location) in zip(browsers, results, strict=True):
        if location == "/basket/":
            _, _, basket = browser.send("GET", "/basket/")
            assert "Sorry, The Last Copy is out of stock." in basket
