"""The shop's settings plus the benchmark's ceiling page (bench/urls.py)."""

from bookshop.settings import *  # noqa: F403
from bookshop.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
    *TEMPLATES[1:],
]
