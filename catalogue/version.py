"""The catalogue's version number: one integer that changes whenever anything customers
see in the catalogue changes. Page caches keep it with each page, so a staff edit in admin
(or an import, or `load_demo`) shows on the very next request, in every process that
serves pages: they all read the same number.

It is kept where every process sees it:

- with a shared cache (Redis, `settings.CATALOGUE_VERSION_IN_CACHE`), in that cache, so
  a cached page and the version come back in one round trip (shop.page_cache);
- otherwise (a per-process memory cache, as under `make run`) in the database: a table of
  its own (migration 0005), read and bumped with one statement each, the only raw SQL
  here.

Either way a version that was lost (an evicted key, a restarted Redis, a deleted row)
starts again from the clock, so it never comes back as a number an older page was kept
under."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

logger = logging.getLogger(__name__)

TABLE = "catalogue_version"
VERSION_KEY = "catalogue:version"


def kept_in_cache() -> bool:
    """Whether the version lives in the (shared) cache rather than the database."""
    return settings.CATALOGUE_VERSION_IN_CACHE


_pinned: ContextVar[int | None] = ContextVar("catalogue_version", default=None)


def _fresh_version() -> int:
    # Starting from the clock means a lost row never comes back as a number an older page
    # was cached under.
    return time.time_ns() // 1000


def catalogue_version() -> int:
    """The current version (one query), or the one pinned by `pinned_catalogue_version`."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    if kept_in_cache():
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _fresh_version(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 - constant
        row = cursor.fetchone()
    if row is None:
        return _create()
    return row[0]


def _create() -> int:
    version = _fresh_version()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, %s)", [version])  # noqa: S608
    except IntegrityError:  # another process made it first
        return catalogue_version()
    return version


@contextmanager
def pinned_catalogue_version(version: int | None = None) -> Iterator[int]:
    """Read the version once (or take the one given, read along with something else):
    inside the block `catalogue_version()` answers without a query, so everything one page
    keeps is kept under the version the page is."""
    if version is None:
        version = catalogue_version()
    token = _pinned.set(version)
    try:
        yield version
    finally:
        _pinned.reset(token)


def bump_catalogue_version() -> None:
    if kept_in_cache():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not in the cache any more
            cache.set(VERSION_KEY, _fresh_version(), timeout=None)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")  # noqa: S608
        updated = cursor.rowcount
    if not updated:
        _create()


def catalogue_changed(**kwargs) -> None:
    """Signal receiver for every catalogue model: bump the version once the change is
    committed (bumping earlier would let a request cache the old data under the new
    version)."""
    transaction.on_commit(bump_catalogue_version)
