"""Whole-page caching for the catalogue pages (home, listing, book, author).

A page is rendered once per catalogue version, day and URL, and kept in the shared cache.
What differs between customers is left out of the cached HTML as placeholders and filled
in on every request: the header's sign-in link and basket count, the messages, and the
CSRF token of each form. The day is in the key because availability (pre-order or out
now) changes with the date.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.version import VERSION_KEY, catalogue_version
from shop import personal

CSRF_PLACEHOLDER = "shop-csrf-token-placeholder"
SESSION_NAV_PLACEHOLDER = "<!--shop:session-nav-->"
MESSAGES_PLACEHOLDER = "<!--shop:messages-->"
TIMEOUT = 60 * 60


def page_key(request: HttpRequest) -> str:
    # Canonical links and structured data name the host, so it is part of the key.
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{timezone.localdate().isoformat()}:{url}"


def render_for_cache(request: HttpRequest, template_name: str, context: dict) -> str:
    """Render a page with placeholders where each customer's own details go."""
    return render_to_string(
        template_name,
        {**context, "page_cached": True, "csrf_token": CSRF_PLACEHOLDER},
        request,
    )


def _is_first_visit(request: HttpRequest) -> bool:
    """No session and no messages: the header is the anonymous one and there is nothing
    to say, so the cached page's own rendering of those parts can be used as it is."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def personalise(request: HttpRequest, entry: "CachedPage", basket_count: int | None) -> str:
    if _is_first_visit(request):
        html = entry.first_visit
    else:
        nav = personal.session_nav(request, basket_count)
        html = entry.html.replace(SESSION_NAV_PLACEHOLDER, nav)
        html = html.replace(MESSAGES_PLACEHOLDER, personal.messages_block(request))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html


@dataclass(frozen=True)
class CachedPage:
    version: int
    html: str  # with placeholders for the header's account link, basket and messages
    first_visit: str  # the same, filled in for a visitor with no session or messages


def cached_page(
    request: HttpRequest,
    render_page: Callable[[], str | HttpResponse],
    *,
    key: str | None = None,
    basket_count: int | None = None,
) -> HttpResponse:
    """The page for this URL (or `key`) from the cache, or `render_page()` (which renders
    with render_for_cache, or returns a response, such as a redirect, that is not cached).
    `basket_count`: the header's count when the view knows it, to spare its query.

    The catalogue version and the page come back in one round trip; a page cached under
    an older version is rendered again."""
    key = key or page_key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or catalogue_version()
    entry = found.get(key)
    if entry is None or entry.version != version:
        result = render_page()
        if isinstance(result, HttpResponse):
            return result
        first_visit = result.replace(
            SESSION_NAV_PLACEHOLDER, personal.first_visit_session_nav(request)
        ).replace(MESSAGES_PLACEHOLDER, "")
        entry = CachedPage(version=version, html=result, first_visit=first_visit)
        cache.set(key, entry, TIMEOUT)
    return HttpResponse(personalise(request, entry, basket_count))
