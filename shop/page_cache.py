"""Whole-page caching for the catalogue pages (home, listing, book, author): `cached_page`.

A page is rendered for its canonical URL (only the parameters the page understands,
normalised) and kept in the shared cache under a readable key, `page:<scheme>://<host>
<path>?<canonical query>`, with the catalogue version and the day it was rendered under
(availability, pre-order or out now, changes with the date). One entry per URL: a page
rendered under an older version or day is rendered again and replaces it.

Cached HTML holds nothing of any visitor's: the header, the messages and the CSRF token
are holes (shop.holes) that its middleware fills in every response. A render that read the
session or the CSRF token anyway is not kept. Redirects and errors are not kept, and when
the cache fails (down, or refusing writes) the page is served uncached.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from catalogue.version import (
    VERSION_KEY,
    catalogue_version,
    kept_in_cache,
    pinned_catalogue_version,
)

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
MAX_KEY_LENGTH = 200  # memcached allows 250, prefix and version included


@dataclass(frozen=True)
class CachedPage:
    version: int
    day: date
    content: bytes
    content_type: str


def no_query(request: HttpRequest) -> str:
    """For a page that understands no parameters: every query string is the same page."""
    return ""


def page_query(request: HttpRequest) -> str:
    """For a paginated page: only `page`, as a whole number other than 1."""
    value = request.GET.get("page", "")
    try:
        number = int(value)
    except ValueError:  # not a number (or one of thousands of digits): the first page
        return ""
    return "" if number == 1 else f"page={number}"


def page_key(request: HttpRequest, query: str) -> str:
    host = request.get_host()
    key = f"page:{request.scheme}://{host}{escape_uri_path(request.path)}"
    if query:
        key += f"?{query}"
    if len(key) > MAX_KEY_LENGTH:
        digest = hashlib.sha256(key.encode()).hexdigest()
        key = f"{key[:120]}#{digest}"
    return key


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # any backend failure: go without the cache
        logger.warning("Cache read failed for %s", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # a full or unreachable cache: keep nothing
        logger.warning("Cache write failed for %s", key, exc_info=True)


def version_and_entry(key: str) -> tuple[int, object]:
    """The catalogue version and the cache's entry for `key`: one round trip when the
    version is kept in the cache too. When the cache fails, the entry is None (and the
    version, if it lives there, 0: nothing is kept under it, the cache being down)."""
    if not kept_in_cache():
        return catalogue_version(), cache_get(key)
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or catalogue_version()
    except Exception:  # any backend failure: go without the cache
        logger.warning("Cache read failed for %s", key, exc_info=True)
        return 0, None
    return version, found.get(key)


def cache_get_or_set(key: str, compute: Callable[[], object], timeout: int):
    """cache.get_or_set that computes the value afresh when the cache fails."""
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, timeout)
    return value


def cached_page(canonical_query: Callable[[HttpRequest], str | None] = no_query):
    """Decorate a catalogue page's view. `canonical_query(request)` gives the query string
    the page is rendered for (None: render this request as it is and keep nothing)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            query = canonical_query(request)
            if query is None:
                return view(request, *args, **kwargs)
            key = page_key(request, query)
            version, entry = version_and_entry(key)
            with pinned_catalogue_version(version):
                day = timezone.localdate()
                if isinstance(entry, CachedPage) and (entry.version, entry.day) == (version, day):
                    return HttpResponse(entry.content, content_type=entry.content_type)
                response, personal = _render_for(query, view, request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not personal:
                page = CachedPage(version, day, response.content, response["Content-Type"])
                cache_set(key, page, TIMEOUT)
            return response

        return wrapped

    return decorator


def _render_for(query: str, view, request: HttpRequest, *args, **kwargs):
    """The view's response for the canonical URL (the request's own query string is put
    back afterwards), and whether rendering it read the visitor's session or CSRF token."""
    saved_get, saved_query = request.GET, request.META.get("QUERY_STRING", "")
    session = getattr(request, "session", None)
    accessed = session is not None and session.accessed
    token_read = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.GET, request.META["QUERY_STRING"] = QueryDict(query), query
    try:
        response = view(request, *args, **kwargs)
    finally:
        request.GET, request.META["QUERY_STRING"] = saved_get, saved_query
    personal = (session is not None and session.accessed and not accessed) or (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False) and not token_read
    )
    return response, personal
