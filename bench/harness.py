"""Benchmark the shop under gunicorn with wrk, on SQLite and on PostgreSQL.

    bench/run                         100,000 books, 10 s per page, both databases
    bench/run --books 10000 --duration 5
    bench/run --skip-seed --databases postgresql

For each database: migrate, seed (bench/seed.py), start gunicorn (bench.settings, DEBUG
off, 2 workers, Redis cache and sessions in a Redis database of its own, flushed first),
time each cached page uncached (the first request after the cache is emptied), warm every
URL, then run wrk on each page in turn and record the workers' memory. Prints a Markdown
table per database and the targets check, and writes them to bench/results/<date>.md.

Only 127.0.0.1 is ever contacted. Needs wrk, a running PostgreSQL and Redis, and the
project's .venv; this script itself uses only the standard library.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import signal
import statistics
import sys
import tempfile
import urllib.parse
from pathlib import Path

# Run as a script (bench/run): put the repository on the path so bench's modules import.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH,
    DATA,
    DATABASE_NAMES,
    DATABASE_URLS,
    GUNICORN,
    HOST,
    PYTHON,
    RESULTS,
    SELLER_ENV,
    TARGET_BOOKS,
    UNCACHED_SAMPLES,
    log,
    probe,
    run_python,
)
from bench.load import WrkResult, merge_runs, run_wrk
from bench.orders import fill_in_checkout, place_orders
from bench.pages import BASKET_COUNT, DatabaseRun, Page, Visitor, build_pages
from bench.report import fmt_ms, report
from bench.servers import Server, cpu_used, redis_command

# --- One database ---------------------------------------------------------------------


def database_env(args: argparse.Namespace, vendor: str, static_root: Path, db_index: int):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HTTPS", "CSRF_TRUSTED_ORIGINS", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": args.postgres_url if vendor == "postgresql" else args.sqlite_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": HOST,
            "REDIS_URL": f"{args.redis_url.rstrip('/')}/{db_index}",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(static_root.parent / "media"),
            "LOG_LEVEL": "WARNING",
            **SELLER_ENV,
        }
    )
    return env


def bench_database(args: argparse.Namespace, vendor: str, static_root: Path, db_index: int):
    env = database_env(args, vendor, static_root, db_index)
    name = DATABASE_NAMES[vendor]
    log(f"{name}: migrate")
    if vendor == "postgresql":
        probe(env, "ensure-db")
    run_python(env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    seed_output = "(reused: --skip-seed)"
    if not args.skip_seed:
        log(f"{name}: seed {args.books:,} books")
        seed_output = run_python(
            env, "bench/seed.py", "--books", str(args.books), capture=True
        ).strip()
        log(seed_output)
    info = probe(env, "prepare")
    log(
        f"{name}: {info['books']:,} books ({info['visible']:,} visible); "
        f"search {info['search_word']!r} matches {info['search_matches']:,}"
    )
    pages = build_pages(info)
    by_key = {p.key: p for p in pages}
    by_key["listing_last"].path = f"/books/?page={info['last_page']}"
    by_key["search"].path = "/books/?" + urllib.parse.urlencode({"q": info["search_word"]})

    redis_url = env["REDIS_URL"]
    redis_command(redis_url, "FLUSHDB")
    server = Server(env, args.workers, DATA / f"gunicorn-{vendor}.log")
    load_before = os.getloadavg()
    try:
        log(f"{name}: start gunicorn on {HOST}:{server.port}")
        server.start()
        base = f"http://{HOST}:{server.port}"
        # Uncached cost: warm the code paths (each worker, likely), then time the first
        # request after emptying the cache, a few times.
        for page in pages:
            if page.cached:
                for _ in range(4):
                    Visitor(server.port).get(page.path)
                samples = []
                for _ in range(UNCACHED_SAMPLES):
                    redis_command(redis_url, "FLUSHDB")
                    response = Visitor(server.port).get(page.path)
                    samples.append(response.ms)
                page.uncached_ms = statistics.median(samples)
                log(f"{name}: {page.label} uncached {fmt_ms(page.uncached_ms)} ms")
        redis_command(redis_url, "FLUSHDB")

        # A visitor with three books in their basket, and one who adds a copy per request.
        shopper = Visitor(server.port)
        for book_id in info["basket_books"]:
            shopper.add_to_basket(info["basket_book_url"], book_id)
        count = BASKET_COUNT.search(shopper.get("/basket/").body)
        if not count or int(count.group(1)) != len(info["basket_books"]):
            raise RuntimeError("The benchmark basket does not hold its three books.")
        # The same visitor has filled in the checkout's first two steps, for its pages.
        fill_in_checkout(shopper, info["delivery_method"])
        for key in ("basket", "checkout", "checkout_delivery", "checkout_review"):
            by_key[key].wrk_extra = ["-H", f"Cookie: {shopper.cookie_header}"]
        adder = Visitor(server.port)
        adder.add_to_basket(info["post_book_url"], info["post_book"])
        by_key["add"].wrk_extra = ["-s", str(BENCH / "post_add.lua")]
        by_key["add"].script_args = [str(info["post_book"]), adder.token, adder.cookie_header]
        quantity_before = probe(env, "line-quantity", str(info["post_book"]))["quantity"]

        for page in pages:  # warm: every cached page is in the cache before wrk starts
            if not page.cached and page.key not in ("ceiling", "add"):
                shopper.get(page.path)
            elif page.key != "add":
                Visitor(server.port).get(page.path)  # no cookies, as wrk sends none

        def measure(page: Page) -> WrkResult:
            log(f"{name}: wrk {page.label} ({args.duration} s)")
            cpu_before = server.cpu_seconds()
            result = run_wrk(args, base + page.path, page.wrk_extra, page.script_args)
            used = cpu_used(cpu_before, server.cpu_seconds())
            result.cpu_ms = used * 1000 / result.requests if result.requests else None
            return result

        # The ceiling runs first, last and (unless --no-bracket) between every two pages,
        # and each page is compared with the ceiling runs either side of it: on a shared
        # machine, what else is running changes from one minute to the next.
        ceiling = by_key["ceiling"]
        ceiling_results = [measure(ceiling)]
        for page in pages:
            if page is ceiling:
                continue
            page.result = measure(page)
            if args.bracket:
                ceiling_results.append(measure(ceiling))
                page.ceiling_rps = statistics.mean(r.rps for r in ceiling_results[-2:])
        if not args.bracket:
            ceiling_results.append(measure(ceiling))
        ceiling.result = merge_runs(ceiling_results)
        for page in pages:
            if page.ceiling_rps is None:
                page.ceiling_rps = ceiling.result.rps
        rss = server.worker_rss_mb()
        counts_before = probe(env, "line-quantity", str(info["post_book"]))
        quantity_after = counts_before["quantity"]
        log(f"{name}: {args.buyers} buyers place {args.orders_each} orders each")
        orders = place_orders(
            server.port,
            book_url=info["post_book_url"],
            book_id=info["post_book"],
            method_id=info["delivery_method"],
            buyers=args.buyers,
            each=args.orders_each,
        )
        counts_after = probe(env, "line-quantity", str(info["post_book"]))
        orders.stock_taken = counts_before["stock"] - counts_after["stock"]
        orders.copies_sold = counts_after["sold"] - counts_before["sold"]
    finally:
        server.stop()
    load_after = os.getloadavg()
    return DatabaseRun(
        vendor=vendor,
        info=info,
        pages=pages,
        rss_mb=rss,
        load_before=load_before,
        load_after=load_after,
        seed_output=seed_output,
        adds_accepted=quantity_after - quantity_before,
        orders=orders,
        ceiling_runs=[r.rps for r in ceiling_results],
    )


# --- Main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description="Benchmark the shop with wrk on SQLite and PostgreSQL (see bench/README.md).",
    )
    parser.add_argument("--books", type=int, default=TARGET_BOOKS, help="books to seed (100000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (10)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded databases")
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (both)",
    )
    parser.add_argument(
        "--no-bracket",
        dest="bracket",
        action="store_false",
        help="run the ceiling only first and last, not between pages (faster, noisier)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--buyers", type=int, default=8, help="buyers placing orders at once (8)")
    parser.add_argument("--orders-each", type=int, default=10, help="orders each buyer places (10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--sqlite-url", default=DATABASE_URLS["sqlite"])
    parser.add_argument("--postgres-url", default=DATABASE_URLS["postgresql"])
    parser.add_argument(
        "--redis-url",
        default=f"redis://{HOST}:6379",
        help="Redis server; each database gets its own Redis db, flushed first",
    )
    parser.add_argument(
        "--redis-db", type=int, default=12, help="first Redis db number to use (12, 13)"
    )
    parser.add_argument(
        "--output", type=Path, help="where to write the report (bench/results/<date>.md)"
    )
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(args.databases) - set(DATABASE_URLS)
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    for url in [args.postgres_url, args.redis_url]:
        host = urllib.parse.urlsplit(url).hostname
        if host not in {HOST, "localhost"}:
            parser.error(f"{url}: the benchmark only talks to {HOST}")
    if args.duration < 1 or args.books < 1:
        parser.error("--duration and --books must be positive")
    return args


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool, path in [("wrk", shutil.which("wrk")), ("gunicorn", GUNICORN), ("python", PYTHON)]:
        if not path or not Path(path).exists():
            raise SystemExit(f"{tool} not found ({path or 'not on PATH'}): see bench/README.md")
    # SIGTERM (from a CI timeout, say) unwinds like Ctrl-C, so gunicorn is stopped.
    signal.signal(signal.SIGTERM, interrupt)
    DATA.mkdir(exist_ok=True)
    started = datetime.datetime.now()
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-static-") as tmp:
        static_root = Path(tmp) / "static"
        env = database_env(args, "sqlite", static_root, args.redis_db)
        log("collectstatic")
        run_python(env, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
        try:
            for vendor in args.databases:
                db_index = args.redis_db + list(DATABASE_URLS).index(vendor)
                runs.append(bench_database(args, vendor, static_root, db_index))
        except KeyboardInterrupt:
            log("Interrupted: gunicorn stopped.")
            return 130
    text = report(runs, args, started)
    print(text)
    output = args.output or RESULTS / f"{started:%Y-%m-%d}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    log(f"Wrote {output} in {(datetime.datetime.now() - started).seconds} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
