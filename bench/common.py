"""What every part of the benchmark shares: where things are (the repository, the project's
Python and gunicorn, bench/.data, bench/results), the databases it may use, the few fixed
numbers (target catalogue size, uncached samples), logging, running the project's Python
(manage.py, bench/seed.py, bench/probe.py) and the ratio helper.
"""

# This module's job is to run fixed commands (the project's own Python) with arguments it builds
# itself.
# ruff: noqa: S603

from __future__ import annotations

import json
import subprocess
import sys
import time
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
UNCACHED_SAMPLES = 3


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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


def ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


# The seller's details production requires (on tax invoices and email), for the
# benchmark's servers and profiles, which run with DEBUG off.
SELLER_ENV = {
    "SHOP_NAME": "Bookshop Bench Pty Ltd",
    "SHOP_ABN": "53 004 085 616",
    "SHOP_ADDRESS": "1 Bench Lane\\nMelbourne VIC 3000",
    "SHOP_URL": f"http://{HOST}",
}
