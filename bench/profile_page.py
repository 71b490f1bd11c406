"""Where one page's time goes: wall and CPU time, its SQL, and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bookshop_bench \\
        .venv/bin/python bench/profile_page.py / /books/ "/books/?q=night" --uncached

Requests go through django.test.Client (the whole middleware stack, no network) against
the database in DATABASE_URL. With --uncached (the default) the cache is cleared before
every request, so each one renders the page as the first visitor after a catalogue change
would; --cached measures cache hits instead. The cache is the local-memory one unless
REDIS_URL is set; with REDIS_URL, clearing it empties that Redis database, so point it at a
benchmark one (bench/run uses 12 and 13).

For each URL: the median wall and CPU milliseconds of --repeat requests, the number of
queries and their time, the slowest queries (with --explain, their plans), then a profile
of --repeat more requests: pyinstrument's call tree when it is installed and --pyinstrument
is given, otherwise cProfile's top functions. --basket N first fills a visitor's basket
with N books (--checkout: and fills in the checkout's details and delivery steps), and
all requests are sent as that visitor.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import SELLER_ENV  # noqa: E402 (after the path is set)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "bench-profile-only")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    for name, value in SELLER_ENV.items():
        os.environ.setdefault(name, value)
    import django

    # WhiteNoise warns about a missing STATIC_ROOT; pages here use plain static storage.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()


class QueryLog:
    """A connection.execute_wrapper that records each query's SQL, params and time."""

    def __init__(self):
        self.queries: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def explain(sql: str, params) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return "\n".join("      " + " | ".join(str(col) for col in row) for row in rows)


def make_visitor(basket: int, checkout: bool = False):
    """A test client; with basket > 0, one whose basket holds that many books, and with
    checkout, who has filled in the checkout's details and delivery steps."""
    from django.test import Client
    from django.utils import timezone

    from catalogue.models import Book

    client = Client(HTTP_HOST="127.0.0.1")
    if basket:
        books = list(
            Book.objects.visible()
            .filter(rrp__isnull=False, stock__gte=5, published__lte=timezone.localdate())
            .order_by("pk")[:basket]
        )
        page = client.get(books[0].get_absolute_url()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for book in books:
            form = {"csrfmiddlewaretoken": token, "book": book.pk, "quantity": 1}
            response = client.post("/basket/add/", form)
            if response.status_code != 302:
                raise SystemExit(f"Could not add book {book.pk} to the basket.")
    if checkout:
        from bench.orders import DETAILS
        from shop.demo import load_delivery_methods
        from shop.models import DeliveryMethod

        load_delivery_methods()
        method = DeliveryMethod.objects.get(name="Standard").pk
        for path, form in (("/checkout/", DETAILS), ("/checkout/delivery/", {"method": method})):
            if client.post(path, {**form, "csrfmiddlewaretoken": token}).status_code != 302:
                raise SystemExit(f"Could not fill in {path}.")
    return client


def profile_url(client, url: str, args: argparse.Namespace) -> None:
    from django.core.cache import cache
    from django.db import connection

    def one() -> object:
        if not args.cached:
            cache.clear()
        return client.get(url)

    response = one()  # templates compiled, connections open, caches warm (if --cached)
    if response.status_code != 200:
        print(f"{url}: HTTP {response.status_code}")
        return
    walls, cpus, logs = [], [], []
    for _ in range(args.repeat):
        log = QueryLog()
        with connection.execute_wrapper(log):
            wall, cpu = time.perf_counter(), time.process_time()
            one()
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        logs.append(log)
    log = logs[len(logs) // 2]
    sql_ms = sum(ms for ms, _, _ in log.queries)
    state = "cache hits" if args.cached else "uncached"
    print(f"\n=== {url} ({state}, {len(response.content):,} bytes)")
    print(
        f"  wall {statistics.median(walls):.1f} ms (min {min(walls):.1f}), "
        f"CPU {statistics.median(cpus):.1f} ms (min {min(cpus):.1f}); "
        f"{len(log.queries)} queries, {sql_ms:.1f} ms in SQL"
    )
    for ms, sql, params in sorted(log.queries, key=lambda q: q[0], reverse=True)[: args.queries]:
        text = " ".join(sql.split())
        print(
            f"  {ms:7.2f} ms  {text[: args.sql_width]}{'…' if len(text) > args.sql_width else ''}"
        )
        if args.explain:
            print(explain(sql, params))

    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.repeat):
            one()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    else:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            one()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        # A count that, unlike the times, does not change with the machine's load.
        print(f"  {stats.total_calls // args.repeat:,} Python function calls per request")
        print(out.getvalue().split("\n", 4)[-1].rstrip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", help="paths such as / or '/books/?q=night'")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--uncached", dest="cached", action="store_false", help="(default)")
    mode.add_argument("--cached", dest="cached", action="store_true", help="cache hits")
    parser.set_defaults(cached=False)
    parser.add_argument("--repeat", type=int, default=5, help="requests timed, and profiled")
    parser.add_argument("--basket", type=int, default=0, help="books in the visitor's basket")
    parser.add_argument(
        "--checkout", action="store_true", help="the visitor has filled in the checkout's steps"
    )
    parser.add_argument("--queries", type=int, default=6, help="slowest queries shown")
    parser.add_argument("--sql-width", type=int, default=220, help="characters of SQL shown")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    parser.add_argument("--pyinstrument", action="store_true", help="pyinstrument call tree")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (cumulative)")
    parser.add_argument("--top", type=int, default=30, help="cProfile rows")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the benchmark database.")
    setup_django()
    from django.test.utils import override_settings

    # Plain static storage: no collectstatic needed, and a manifest lookup costs no more.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
        client = make_visitor(args.basket, args.checkout)
        for url in args.urls:
            profile_url(client, url, args)


if __name__ == "__main__":
    main()
