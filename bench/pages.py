"""Which pages are benchmarked and how they are visited: the URL list (build_pages), a
Page with its results, one database's run (DatabaseRun), and the cookie-keeping Visitor
that fills the benchmark's basket and gets the CSRF token the add-to-basket POSTs send.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

from bench.common import HOST, ratio
from bench.load import WrkResult

if TYPE_CHECKING:
    from bench.orders import OrdersResult

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASKET_COUNT = re.compile(r'class="basket-count">(\d+)<')


# --- HTTP: a visitor with cookies -----------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    ms: float


@dataclass
class Visitor:
    """A browser, more or less: keeps cookies, sends forms with their CSRF token."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""  # the CSRF token of the last form sent

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode(errors="replace")
            ms = (time.perf_counter() - started) * 1000
        finally:
            conn.close()
        for value in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return Response(raw.status, raw.headers, text, ms)

    def get(self, path: str) -> Response:
        response = self.request("GET", path)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return response

    def add_to_basket(self, book_page: str, book_id: int) -> None:
        match = CSRF_INPUT.search(self.get(book_page).body)
        if not match:
            raise RuntimeError(f"No add-to-basket form with a CSRF token on {book_page}")
        form = {"csrfmiddlewaretoken": match.group(1), "book": str(book_id), "quantity": "1"}
        response = self.request("POST", "/basket/add/", form)
        if response.status != 302:
            raise RuntimeError(f"Adding book {book_id} answered {response.status}")
        self.token = match.group(1)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))


@dataclass
class Page:
    key: str
    label: str
    path: str
    cached: bool = True  # served from the page cache (so it has an uncached cost)
    wrk_extra: list[str] = field(default_factory=list)
    script_args: list[str] = field(default_factory=list)
    result: WrkResult | None = None
    uncached_ms: float | None = None
    ceiling_rps: float | None = None  # the ceiling's requests/s around this page's run

    @property
    def share(self) -> float:
        """requests/s as a share of the ceiling's, measured around the same time."""
        return ratio(self.result.rps, self.ceiling_rps or 0.0)


@dataclass
class DatabaseRun:
    vendor: str
    info: dict
    pages: list[Page]
    rss_mb: list[float]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    seed_output: str
    adds_accepted: int | None
    ceiling_runs: list[float]
    orders: OrdersResult | None = None

    def page(self, key: str) -> Page:
        return next(p for p in self.pages if p.key == key)

    def cpu_share(self, page: Page) -> float | None:
        """The ceiling's CPU per request as a share of the page's: the requests/s share
        the page would have if the workers were only ever waiting for the CPU."""
        ceiling, own = self.page("ceiling").result.cpu_ms, page.result.cpu_ms
        return ratio(ceiling, own) if ceiling and own else None


def build_pages(info: dict) -> list[Page]:
    return [
        Page("ceiling", "Ceiling (static template)", "/bench/ceiling/", cached=False),
        Page("home", "Home", "/"),
        Page("listing", "Listing, page 1", "/books/"),
        Page("listing_last", f"Listing, last page ({info['last_page']})", ""),
        Page("search", f"Search “{info['search_word']}”", ""),
        Page("book", "Book page", info["book_url"]),
        Page("author", "Author page", info["author_url"]),
        Page("basket", "Basket (3 lines)", "/basket/", cached=False),
        Page("checkout", "Checkout: details", "/checkout/", cached=False),
        Page("checkout_delivery", "Checkout: delivery", "/checkout/delivery/", cached=False),
        Page("checkout_review", "Checkout: review", "/checkout/review/", cached=False),
        Page("add", "Add to basket (POST)", "/basket/add/", cached=False),
    ]
