"""The catalogue's version number: one integer in the shared cache that changes whenever
anything customers see in the catalogue changes. Page caches put it in their keys, so a
staff edit in admin shows on the very next request, on every app server."""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalogue:version"


def _fresh_version() -> int:
    # Starting from the clock means a version lost from the cache (evicted, Redis restarted)
    # never comes back as a number an older page was cached under.
    return time.time_ns() // 1000


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalogue_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache any more
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def catalogue_changed(**kwargs) -> None:
    """Signal receiver for every catalogue model: bump the version once the change is
    committed (bumping earlier would let a request cache the old data under the new
    version)."""
    transaction.on_commit(bump_catalogue_version)
