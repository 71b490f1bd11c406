"""The shop's settings plus the benchmark's ceiling page (bench/urls.py)."""

from shop.settings import *  # noqa: F403
from shop.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
    *TEMPLATES[1:],
]
