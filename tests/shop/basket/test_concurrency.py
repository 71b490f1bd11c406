"""Baskets under simultaneous requests: twenty "add one" requests at once end as one line
of twenty, and the stock limit holds however the requests interleave.

These run against real connections: pytest-django's live server (its own thread per
request, each with its own database connection) and plain threads calling the service.
tests/settings.py gives SQLite a database file so that each thread really does get its own
connection and SQLite's locking is exercised, not bypassed."""

import http.client
import re
import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.db import connection
from djmoney.money import Money

from catalogue.models import Book
from shop.basket import rules as basket_rules
from shop.basket import services as basket_services
from shop.models import Basket, BasketLine
from tests.factories import BookFactory

THREADS = 20
TIMEOUT = 30  # seconds; generous, but a hung request must not hang the suite


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


# --- Plain HTTP against the live server ------------------------------------------------


class Browser:
    """A cookie jar and an HTTP client that does not follow redirects."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        conn.connect()
        return conn

    def send(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        conn: http.client.HTTPConnection | None = None,
        remember_cookies: bool = True,
    ) -> tuple[int, dict[str, str], str]:
        conn = conn or self.connect()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            if remember_cookies:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            return response.status, dict(response.headers.items()), content
        finally:
            conn.close()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def run_together(count: int, work: Callable[[int, threading.Barrier], object]) -> list[object]:
    """Run work(i, barrier) for i in 0..count-1, each in its own thread; each waits at the
    barrier so that all start together. Returns what each returned or raised. Every thread
    closes its own database connection when it is done."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except Exception as error:  # the test reports it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results


def test_twenty_simultaneous_adds_over_http_make_one_line_of_twenty(
    transactional_db: None, live_server
) -> None:
    book = BookFactory(title="Conquered City", rrp=aud("39.99"), stock=50)
    first = BookFactory(title="Midnight in the Century", stock=5)
    browser = Browser(live_server.url)

    # The visitor reads a page (CSRF cookie and token), then starts a basket with
    # another book (session cookie).
    status, _, page = browser.send("GET", book.get_absolute_url())
    assert status == 200
    token = csrf_token(page)
    status, _, _ = browser.send(
        "POST", "/basket/add/", {"book": first.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert status == 302
    assert {"sessionid", "csrftoken"} <= browser.cookies.keys()
    basket = Basket.objects.get()

    form = {"book": book.pk, "quantity": 1, "next": "/books/", "csrfmiddlewaretoken": token}

    def add_one(index: int, barrier: threading.Barrier):
        conn = browser.connect()  # connected first, so all twenty send at once
        barrier.wait()
        return browser.send("POST", "/basket/add/", form, conn=conn, remember_cookies=False)

    results = run_together(THREADS, add_one)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    statuses = Counter(status for status, _, _ in results)
    assert statuses == {302: THREADS}, [body[:300] for status, _, body in results if status != 302]
    assert {headers["Location"] for _, headers, _ in results} == {"/books/"}
    assert not any("database is locked" in body for _, _, body in results)

    lines = list(BasketLine.objects.filter(basket=basket).order_by("created_at", "id"))
    assert [(line.book_id, line.quantity) for line in lines] == [(first.pk, 1), (book.pk, 20)]
    assert Basket.objects.count() == 1

    # And the visitor's own view of it agrees.
    status, _, page = browser.send("GET", "/basket/")
    assert status == 200
    assert re.search(r'class="basket-count">21<', page)


def test_twenty_simultaneous_service_adds_make_one_line_of_twenty(transactional_db: None) -> None:
    book = BookFactory(stock=50)
    basket = Basket.objects.create()

    def add_one(index: int, barrier: threading.Barrier):
        barrier.wait()
        return basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    results = run_together(THREADS, add_one)

    assert [r for r in results if not isinstance(r, BasketLine)] == []
    lines = BasketLine.objects.filter(basket=basket)
    assert [(line.book_id, line.quantity) for line in lines] == [(book.pk, THREADS)]
    # Each add saw the line as it stood after its own change: 1, 2, ... 20 once each.
    assert sorted(line.quantity for line in results) == list(range(1, THREADS + 1))


def test_the_stock_limit_holds_when_twenty_adds_race(transactional_db: None) -> None:
    book = BookFactory(title="Scarce", stock=5)
    basket = Basket.objects.create()

    def add_one(index: int, barrier: threading.Barrier):
        barrier.wait()
        return basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    results = run_together(THREADS, add_one)

    added = [r for r in results if isinstance(r, BasketLine)]
    refused = [r for r in results if isinstance(r, basket_rules.BasketError)]
    assert len(added) == 5
    assert len(refused) == 15
    assert {str(error) for error in refused} == {
        "We have 5 copies of Scarce in stock, and your basket already has 5."
    }
    assert [r for r in results if r not in added and r not in refused] == []
    assert list(BasketLine.objects.values_list("book_id", "quantity")) == [(book.pk, 5)]
    assert Book.objects.get(pk=book.pk).stock == 5  # adding to a basket reserves nothing
