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

# This script's job is to run fixed commands (wrk, ps, git, the project's own Python and
# gunicorn) with arguments it builds itself.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
DATA = BENCH / ".data"
RESULTS = BENCH / "results"
HOST = "127.0.0.1"

DATABASE_URLS = {
    "sqlite": f"sqlite:///{DATA / 'bench.sqlite3'}",  # an absolute path: sqlite:////...
    "postgresql": f"postgres://postgres@{HOST}:5432/bookshop_bench",
}
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TARGET_BOOKS = 100_000
RSS_LIMIT_MB = 150
UNCACHED_SAMPLES = 3
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASKET_COUNT = re.compile(r'class="basket-count">(\d+)<')


# --- Small helpers --------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_command(url: str, *args: str) -> str:
    """Send one command to the Redis database named by `url` (redis://host:port/db) and
    return its reply line."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or HOST, parts.port or 6379
    if host not in {HOST, "localhost"}:
        raise SystemExit(f"Refusing to touch Redis at {host}: the benchmark stays on {HOST}.")
    db = parts.path.lstrip("/") or "0"

    def encode(*words: str) -> bytes:
        out = [f"*{len(words)}\r\n".encode()]
        for word in words:
            data = word.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(out)

    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(encode("SELECT", db) + encode(*args))
        buffer = b""
        while buffer.count(b"\r\n") < 2:
            chunk = sock.recv(4096)
            if not chunk:
                break
            buffer += chunk
    replies = buffer.decode(errors="replace").split("\r\n")
    for reply in replies[:2]:
        if reply.startswith("-"):
            raise RuntimeError(f"Redis {' '.join(args)}: {reply[1:]}")
    return replies[1] if len(replies) > 1 else ""


def run_python(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(PYTHON), *args],
        cwd=REPO,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout if capture else ""


def probe(env: dict, *args: str) -> dict:
    return json.loads(run_python(env, "bench/probe.py", *args, capture=True))


def fmt_cpu(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


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


# --- CPU time ---------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process, from /proc (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; utime, stime are 14, 15
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def database_backend_pids(database_url: str) -> list[int]:
    """PostgreSQL server processes serving `database_url`'s database, found by their
    process titles ("postgres: user dbname 127.0.0.1(port) idle")."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return []
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = title.split()
        if len(words) >= 3 and words[0] == "postgres:" and words[2] == name:
            pids.append(int(entry.name))
    return pids


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two samples; a process that started in between counts from 0
    (one that exited in between is lost: rare within one run)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


# --- gunicorn -------------------------------------------------------------------------


class Server:
    """gunicorn serving bench.settings; stopped with SIGTERM (then SIGKILL) by its pid."""

    def __init__(self, env: dict, workers: int, logfile: Path):
        self.env = env
        self.workers = workers
        self.logfile = logfile
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            str(GUNICORN),
            "bookshop.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
        ]
        with self.logfile.open("w") as out:
            # A session of its own: Ctrl-C reaches this script, which then stops gunicorn
            # in order instead of leaving workers behind mid-request.
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if Visitor(self.port).request("GET", "/bench/ceiling/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(pid) for pid in out.split()]

    def worker_rss_mb(self) -> list[float]:
        pids = self.worker_pids()
        if not pids:
            return []
        out = subprocess.run(
            ["ps", "-o", "rss=", "-p", ",".join(map(str, pids))],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(kb) / 1024 for kb in out.split()]

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time so far of each worker and, on PostgreSQL, of each server process
        connected to the benchmark database (SQLite works inside the workers)."""
        pids = self.worker_pids() + database_backend_pids(self.env["DATABASE_URL"])
        return {pid: cpu for pid in pids if (cpu := process_cpu_seconds(pid)) is not None}

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.worker_pids()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in [self.proc.pid, *workers]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text().splitlines()[-lines:])
        except OSError:
            return ""


# --- wrk ------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]
    cpu_ms: float | None = None  # server CPU per request: workers (+ PostgreSQL backends)

    @property
    def errors(self) -> int:
        # Connect errors and timeouts are failed requests; "read" errors are mostly
        # gunicorn's sync workers closing each connection after the response.
        return (
            self.non_2xx_3xx + self.socket_errors.get("connect", 0) + self.socket_errors["timeout"]
        )


def parse_wrk(output: str) -> WrkResult:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        if not match:
            raise ValueError(f"no {percent}% latency in wrk output:\n{output}")
        return float(match.group(1)) * _UNITS[match.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise ValueError(f"unexpected wrk output:\n{output}")
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ["connect", "read", "write", "timeout"]
    return WrkResult(
        requests=int(total.group(1)),
        rps=float(rps.group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        non_2xx_3xx=int(non.group(1)) if non else 0,
        socket_errors=dict(zip(names, map(int, sock.groups()), strict=True))
        if sock
        else dict.fromkeys(names, 0),
    )


def run_wrk(args: argparse.Namespace, url: str, extra: list[str], script_args: list[str]):
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        *extra,
        url,
    ]
    if script_args:
        cmd += ["--", *script_args]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, timeout=args.duration + 60
    )
    return parse_wrk(out.stdout)


# --- One database ---------------------------------------------------------------------


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

    def page(self, key: str) -> Page:
        return next(p for p in self.pages if p.key == key)

    def cpu_share(self, page: Page) -> float | None:
        """The ceiling's CPU per request as a share of the page's: the requests/s share
        the page would have if the workers were only ever waiting for the CPU."""
        ceiling, own = self.page("ceiling").result.cpu_ms, page.result.cpu_ms
        return ratio(ceiling, own) if ceiling and own else None


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
        }
    )
    return env


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
        Page("add", "Add to basket (POST)", "/basket/add/", cached=False),
    ]


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
        by_key["basket"].wrk_extra = ["-H", f"Cookie: {shopper.cookie_header}"]
        adder = Visitor(server.port)
        adder.add_to_basket(info["post_book_url"], info["post_book"])
        by_key["add"].wrk_extra = ["-s", str(BENCH / "post_add.lua")]
        by_key["add"].script_args = [str(info["post_book"]), adder.token, adder.cookie_header]
        quantity_before = probe(env, "line-quantity", str(info["post_book"]))["quantity"]

        for page in pages:  # warm: every cached page is in the cache before wrk starts
            if page.key == "basket":
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
        quantity_after = probe(env, "line-quantity", str(info["post_book"]))["quantity"]
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
        ceiling_runs=[r.rps for r in ceiling_results],
    )


def merge_runs(results: list[WrkResult]) -> WrkResult:
    """Several runs of one page as one: mean requests/s and p50, worst p99, all errors,
    CPU per request over all requests."""
    requests = sum(r.requests for r in results)
    cpu = [r for r in results if r.cpu_ms is not None]
    return WrkResult(
        requests=requests,
        rps=statistics.mean(r.rps for r in results),
        p50_ms=statistics.mean(r.p50_ms for r in results),
        p99_ms=max(r.p99_ms for r in results),
        non_2xx_3xx=sum(r.non_2xx_3xx for r in results),
        socket_errors={
            k: sum(r.socket_errors[k] for r in results) for k in results[0].socket_errors
        },
        cpu_ms=sum(r.cpu_ms * r.requests for r in cpu) / sum(r.requests for r in cpu)
        if cpu and requests
        else None,
    )


# --- Report ---------------------------------------------------------------------------


def ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


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
    requests/s; the CPU column shows what an idle machine would likely give."""
    checks = []
    for key, share in [
        ("home", 0.5),
        ("listing", 0.5),
        ("book", 0.5),
        ("author", 0.5),
        ("search", 0.25),
        ("basket", 0.25),
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
