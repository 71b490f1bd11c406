"""The benchmark's pure parts: reading wrk's output, merging runs and the targets check.
No server, wrk or database is involved."""

import pytest

from bench.load import WrkResult, merge_runs, parse_wrk
from bench.orders import OrdersResult
from bench.pages import DatabaseRun, Page
from bench.report import targets

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:40000/books/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.51ms    2.10ms  40.12ms   90.00%
    Req/Sec   420.50     30.20   480.00     70.00%
  Latency Distribution
     50%    9.20ms
     75%   10.10ms
     90%   11.50ms
     99%    1.25s
  1682 requests in 2.00s, 40.10MB read
  Socket errors: connect 0, read 12, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:    840.25
Transfer/sec:     20.05MB
"""


def test_parse_wrk_reads_rate_latency_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests == 1682
    assert result.rps == pytest.approx(840.25)
    assert result.p50_ms == pytest.approx(9.2)
    assert result.p99_ms == pytest.approx(1250.0)
    assert result.non_2xx_3xx == 3
    assert result.socket_errors == {"connect": 0, "read": 12, "write": 0, "timeout": 1}
    assert result.errors == 4  # read errors are gunicorn closing connections: not counted


def test_parse_wrk_without_error_lines_counts_none():
    lines = [line for line in WRK_OUTPUT.splitlines() if "errors" not in line]
    lines = [line for line in lines if "Non-2xx" not in line]
    result = parse_wrk("\n".join(lines))
    assert result.errors == 0
    assert result.socket_errors == dict.fromkeys(["connect", "read", "write", "timeout"], 0)


def test_parse_wrk_refuses_unexpected_output():
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def result(rps: float, cpu_ms: float, requests: int = 1000, non_2xx: int = 0) -> WrkResult:
    return WrkResult(
        requests=requests,
        rps=rps,
        p50_ms=5.0,
        p99_ms=20.0,
        non_2xx_3xx=non_2xx,
        socket_errors=dict.fromkeys(["connect", "read", "write", "timeout"], 0),
        cpu_ms=cpu_ms,
    )


def test_merge_runs_weights_cpu_by_requests_and_keeps_worst_p99():
    a, b = result(1000, 1.0, requests=1000), result(500, 4.0, requests=3000)
    b.p99_ms = 50.0
    merged = merge_runs([a, b])
    assert merged.requests == 4000
    assert merged.rps == pytest.approx(750)
    assert merged.p99_ms == 50.0
    assert merged.cpu_ms == pytest.approx((1000 * 1.0 + 3000 * 4.0) / 4000)


def make_run(shares: dict[str, tuple[float, float]], rss=(90.0, 95.0), non_2xx=0):
    """A DatabaseRun whose ceiling does 1,000 requests/s at 1 ms of CPU; each page's
    (requests/s share, CPU share) given by key."""
    pages = [Page("ceiling", "Ceiling", "/bench/ceiling/", cached=False)]
    pages[0].result = result(1000, 1.0)
    pages[0].ceiling_rps = 1000
    for key, (share, cpu_share) in shares.items():
        page = Page(key, key.title(), f"/{key}/")
        page.result = result(1000 * share, 1.0 / cpu_share)
        page.ceiling_rps = 1000
        pages.append(page)
    pages[-1].result.non_2xx_3xx = non_2xx
    return DatabaseRun(
        vendor="sqlite",
        info={},
        pages=pages,
        rss_mb=list(rss),
        load_before=(0.0, 0.0, 0.0),
        load_after=(0.0, 0.0, 0.0),
        seed_output="",
        adds_accepted=0,
        ceiling_runs=[1000.0],
    )


PASSING = {
    "home": (0.6, 0.6),
    "listing": (0.6, 0.6),
    "listing_last": (0.55, 0.55),
    "book": (0.6, 0.6),
    "author": (0.6, 0.6),
    "search": (0.3, 0.3),
    "basket": (0.2, 0.2),
    "checkout": (0.2, 0.2),
    "checkout_delivery": (0.2, 0.2),
    "checkout_review": (0.2, 0.2),
}


def verdicts(run: DatabaseRun) -> dict[str, bool]:
    return {what: passed for what, _, _, passed in targets(run)}


def test_targets_all_pass():
    assert all(verdicts(make_run(PASSING)).values())


def test_basket_target_goes_by_cpu_time_at_15_percent():
    # 10% by requests/s (a busy machine) but 16% by CPU time: passes.
    run = make_run({**PASSING, "basket": (0.10, 0.16)})
    (check,) = [c for c in targets(run) if c[0].startswith("Basket")]
    assert check == ("Basket ≥ 15% of ceiling by CPU time", "10%", "16%", True)
    # 30% by requests/s but 14% by CPU time: fails.
    run = make_run({**PASSING, "basket": (0.30, 0.14)})
    (check,) = [c for c in targets(run) if c[0].startswith("Basket")]
    assert check[3] is False


def test_basket_without_cpu_time_fails():
    run = make_run(PASSING)
    run.page("basket").result.cpu_ms = None
    (check,) = [c for c in targets(run) if c[0].startswith("Basket")]
    assert check[2] == "—"
    assert check[3] is False


def test_other_targets_go_by_requests_per_second():
    failing = verdicts(make_run({**PASSING, "home": (0.49, 0.9), "search": (0.24, 0.9)}))
    assert failing["Home ≥ 50% of ceiling"] is False
    assert failing["Search ≥ 25% of ceiling"] is False
    assert failing["Book ≥ 50% of ceiling"] is True


def test_listing_last_page_memory_and_errors():
    slow_last = verdicts(make_run({**PASSING, "listing_last": (0.45, 0.45)}))
    assert slow_last["Listing last page ≥ 80% of page 1"] is False
    heavy = verdicts(make_run(PASSING, rss=(90.0, 151.0)))
    assert heavy["Worker 1 RSS < 150 MB"] is True
    assert heavy["Worker 2 RSS < 150 MB"] is False
    errors = verdicts(make_run(PASSING, non_2xx=2))
    assert errors["No errors (non-2xx/3xx, timeouts)"] is False


def test_each_checkout_page_goes_by_cpu_time_at_15_percent():
    run = make_run({**PASSING, "checkout_review": (0.30, 0.14), "checkout": (0.10, 0.16)})
    checks = {what: passed for what, _, _, passed in targets(run)}
    assert checks["Checkout ≥ 15% of ceiling by CPU time"] is True
    assert checks["Checkout_Review ≥ 15% of ceiling by CPU time"] is False
    assert checks["Checkout_Delivery ≥ 15% of ceiling by CPU time"] is True


def orders_run(placed: int, errors: list[str], stock_taken: int, sold: int) -> DatabaseRun:
    run = make_run(PASSING)
    run.orders = OrdersResult(
        buyers=8, each=10, placed=placed, errors=errors, stock_taken=stock_taken,
        copies_sold=sold, seconds=4.0, place_ms=[20.0] * placed,
    )  # fmt: skip
    return run


def test_placing_orders_passes_only_with_every_order_placed_and_stock_exact():
    assert all(verdicts(orders_run(80, [], 80, 80)).values())
    short = verdicts(orders_run(79, ["Place order answered 500"], 79, 79))
    assert short["Placing orders: 8 buyers at once, every order placed"] is False
    oversold = verdicts(orders_run(80, [], 81, 80))
    assert oversold["Stock taken is exactly the copies sold"] is False
