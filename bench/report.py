"""The report: the Markdown table of each database's results, the targets check (what
each page must reach as a share of the ceiling, worker memory, errors), and the whole
report with its header (revision, machine, wrk command).
"""

# This module's job is to run fixed commands (git) with arguments it builds
# itself.
# ruff: noqa: S607

from __future__ import annotations

import argparse
import datetime
import os
import subprocess

from bench.common import DATABASE_NAMES, REPO, TARGET_BOOKS, UNCACHED_SAMPLES, ratio
from bench.pages import DatabaseRun

RSS_LIMIT_MB = 150
# Each customer's own pages (not page-cached): at least this share of the ceiling, by CPU
# time per request.
CUSTOMER_CPU_SHARE = 0.15
CUSTOMER_PAGES = ("basket", "checkout", "checkout_delivery", "checkout_review")


def fmt_cpu(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def results_table(run: DatabaseRun) -> list[str]:
    lines = [
        "| page | URL | requests/s | p50 ms | p99 ms | × ceiling | CPU ms/req | × ceiling "
        "(CPU) | uncached ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in run.pages:
        r = page.result
        lines.append(
            f"| {page.label} | `{page.path}` | {r.rps:,.0f} | {fmt_ms(r.p50_ms)} | "
            f"{fmt_ms(r.p99_ms)} | {page.share:.0%} | {fmt_cpu(r.cpu_ms)} | "
            f"{fmt_share(run.cpu_share(page))} | {fmt_ms(page.uncached_ms)} | {r.errors} |"
        )
    return lines


def targets(run: DatabaseRun) -> list[tuple[str, str, str, bool]]:
    """(what, measured, measured by CPU time, passed) for each target. PASS and FAIL go by
    requests/s, except the basket's, which goes by CPU time; elsewhere the CPU column shows
    what an idle machine would likely give."""
    checks = []
    for key, share in [
        ("home", 0.5),
        ("listing", 0.5),
        ("book", 0.5),
        ("author", 0.5),
        ("search", 0.25),
    ]:
        page = run.page(key)
        checks.append(
            (
                f"{page.label} ≥ {share:.0%} of ceiling",
                f"{page.share:.0%}",
                fmt_share(run.cpu_share(page)),
                page.share >= share,
            )
        )
    # The basket and the checkout are rendered afresh for each customer, not page-cached:
    # their target is the CPU-time share, which the machine's other work does not move.
    for key in CUSTOMER_PAGES:
        page = run.page(key)
        cpu = run.cpu_share(page)
        checks.append(
            (
                f"{page.label} ≥ {CUSTOMER_CPU_SHARE:.0%} of ceiling by CPU time",
                f"{page.share:.0%}",
                fmt_share(cpu),
                cpu is not None and cpu >= CUSTOMER_CPU_SHARE,
            )
        )
    orders = run.orders
    if orders is not None:
        wanted = orders.buyers * orders.each
        checks.append(
            (
                f"Placing orders: {orders.buyers} buyers at once, every order placed",
                f"{orders.placed:,} of {wanted:,}, {len(orders.errors)} errors",
                "",
                orders.placed == wanted and not orders.errors,
            )
        )
        checks.append(
            (
                "Stock taken is exactly the copies sold",
                f"{orders.stock_taken:,} taken, {orders.copies_sold:,} sold",
                "",
                orders.stock_taken == orders.copies_sold == orders.placed,
            )
        )
    last, first = run.page("listing_last"), run.page("listing")
    got = ratio(last.share, first.share)  # each against its own ceiling runs
    by_cpu = ratio(first.result.cpu_ms or 0.0, last.result.cpu_ms or 0.0)
    checks.append(("Listing last page ≥ 80% of page 1", f"{got:.0%}", f"{by_cpu:.0%}", got >= 0.8))
    for i, mb in enumerate(run.rss_mb, 1):
        checks.append(
            (f"Worker {i} RSS < {RSS_LIMIT_MB} MB", f"{mb:.0f} MB", "", mb < RSS_LIMIT_MB)
        )
    if not run.rss_mb:
        checks.append((f"Worker RSS < {RSS_LIMIT_MB} MB", "not measured", "", False))
    errors = sum(p.result.errors for p in run.pages)
    checks.append(("No errors (non-2xx/3xx, timeouts)", str(errors), "", errors == 0))
    return checks


def orders_sentence(run: DatabaseRun) -> str:
    orders = run.orders
    if orders is None:
        return ""
    first_error = f" First error: {orders.errors[0]}." if orders.errors else ""
    return (
        f"Placing orders: {orders.placed:,} orders by {orders.buyers} buyers in "
        f"{orders.seconds:.1f} s ({orders.per_second:.1f} orders/s, each a whole checkout), "
        f"“Place order” p50 {fmt_ms(orders.percentile_ms(50))} ms, "
        f"p99 {fmt_ms(orders.percentile_ms(99))} ms.{first_error} "
    )


def report_database(run: DatabaseRun, args: argparse.Namespace) -> list[str]:
    info = run.info
    ceiling_note = (
        "before and after each page; each page is compared with the two around it"
        if args.bracket
        else "first and last; ratios use their mean"
    )
    name = DATABASE_NAMES[run.vendor]
    lines = [
        f"## {name}: {info['books']:,} books",
        "",
        f"{info['visible']:,} visible; search “{info['search_word']}” matches "
        f"{info['search_matches']:,} titles; the author page lists {info['author_books']} "
        f"books; the book page has {info['book_reviews']} praise "
        f"quote{'' if info['book_reviews'] == 1 else 's'}.",
        f"Seed: {run.seed_output}",
        "",
        *results_table(run),
        "",
        f"Ceiling runs: {', '.join(f'{r:,.0f}' for r in run.ceiling_runs)} requests/s "
        f"({ceiling_note}). "
        f"Add to basket: {run.adds_accepted:,} copies added by "
        f"{run.page('add').result.requests:,} POSTs answered with a redirect (requests "
        "still in flight when wrk stopped add copies too). "
        f"{orders_sentence(run)}"
        f"Worker RSS after the runs: {', '.join(f'{mb:.0f} MB' for mb in run.rss_mb)}. "
        f"Load average before/after: {run.load_before[0]:.2f} / {run.load_after[0]:.2f} "
        f"on {os.cpu_count()} CPUs.",
        "",
    ]
    binding = run.vendor == "postgresql" and info["books"] == TARGET_BOOKS
    heading = "### Targets" if binding else "### Targets (informational)"
    lines += [heading, ""]
    if not binding:
        lines += [
            f"The targets are set for PostgreSQL at {TARGET_BOOKS:,} books; "
            "this run is shown against them for comparison.",
            "",
        ]
    lines += ["| target | measured | by CPU time | result |", "| --- | ---: | ---: | --- |"]
    for what, got, by_cpu, passed in targets(run):
        lines.append(f"| {what} | {got} | {by_cpu} | {'PASS' if passed else 'FAIL'} |")
    lines.append("")
    return lines


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{rev} (with uncommitted changes)" if dirty else rev


def report(runs: list[DatabaseRun], args: argparse.Namespace, started: datetime.datetime):
    wrk_line = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency"
    lines = [
        f"# Benchmark {started:%Y-%m-%d %H:%M}",
        "",
        f"Revision {git_revision()}; {os.cpu_count()} CPUs; gunicorn {args.workers} sync "
        f"workers; `{wrk_line}` per page; Redis page cache and sessions; DEBUG off. "
        "“× ceiling” is requests/s as a share of the ceiling page's (a static template of "
        "a listing page's size through the same middleware, bench/urls.py) measured around "
        "the same time; “× ceiling (CPU)” is the ceiling's CPU time per request as a share "
        "of the page's; “uncached ms” is "
        f"the median of {UNCACHED_SAMPLES} first requests after emptying the cache; “CPU "
        "ms/req” is the CPU time the gunicorn workers (and, on PostgreSQL, the database's "
        "server processes) spent per request during the run: unlike requests/s it hardly "
        "depends on what else the machine is doing.",
        "",
    ]
    for run in runs:
        lines += report_database(run, args)
    return "\n".join(lines)
