"""Placing orders under load: `buyers` visitors at once, each putting one copy of a book
with ample stock in their basket and going through the checkout's three steps to "Place
order", again and again. What counts is that every order is placed (no errors, no refusals)
and that the stock taken is exactly the copies sold; the time per order is reported."""

from __future__ import annotations

import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.pages import Visitor

HIDDEN = re.compile(r'name="(checkout|total)" value="([^"]*)"')
PAY_URL = re.compile(r"^/orders/[^/]+/pay/$")
DETAILS = {
    "email": "bench@example.com",
    "how": "deliver",
    "name": "Bench Buyer",
    "line1": "1 Flinders Street",
    "suburb": "Melbourne",
    "state": "VIC",
    "postcode": "3000",
}


@dataclass
class OrdersResult:
    buyers: int
    each: int
    placed: int = 0
    seconds: float = 0.0
    place_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stock_taken: int | None = None  # copies the book's stock fell by
    copies_sold: int | None = None  # copies on the order lines placed

    @property
    def per_second(self) -> float:
        return self.placed / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: int) -> float | None:
        if len(self.place_ms) < 2:
            return self.place_ms[0] if self.place_ms else None
        return statistics.quantiles(self.place_ms, n=100)[percent - 1]


def fill_in_checkout(visitor: Visitor, method_id: int) -> None:
    """The details and delivery steps, for a visitor with a basket (and a CSRF token)."""
    for path, form in (("/checkout/", DETAILS), ("/checkout/delivery/", {"method": method_id})):
        response = visitor.request("POST", path, {**form, "csrfmiddlewaretoken": visitor.token})
        if response.status != 302:
            raise RuntimeError(f"POST {path} answered {response.status}")


def place_one(visitor: Visitor, book_url: str, book_id: int, method_id: int) -> float:
    """One whole checkout; returns how long "Place order" took (ms)."""
    visitor.add_to_basket(book_url, book_id)
    fill_in_checkout(visitor, method_id)
    review = visitor.get("/checkout/review/")
    form = dict(HIDDEN.findall(review.body))
    response = visitor.request(
        "POST", "/checkout/review/", {**form, "csrfmiddlewaretoken": visitor.token}
    )
    location = response.headers.get("Location", "")
    if response.status != 302 or not PAY_URL.match(location):
        raise RuntimeError(f"Place order answered {response.status} {location or ''}".strip())
    return response.ms


def place_orders(
    port: int, *, book_url: str, book_id: int, method_id: int, buyers: int, each: int
) -> OrdersResult:
    result = OrdersResult(buyers=buyers, each=each)

    def buyer(_: int) -> tuple[list[float], list[str]]:
        visitor, times, errors = Visitor(port), [], []
        for _ in range(each):
            try:
                times.append(place_one(visitor, book_url, book_id, method_id))
            except Exception as error:  # counted and reported, the run goes on
                errors.append(str(error))
        return times, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=buyers) as pool:
        outcomes = list(pool.map(buyer, range(buyers)))
    result.seconds = time.perf_counter() - started
    for times, errors in outcomes:
        result.place_ms += times
        result.errors += errors
    result.placed = len(result.place_ms)
    return result
