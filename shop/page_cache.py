"""Whole-page caching for the catalogue pages (home, listing, book, author).

A page is rendered once per catalogue version, day and URL, and kept in the shared cache.
What differs between customers is left out of the cached HTML as placeholders and filled
in on every request: the header's sign-in link and basket count, the messages, and the
CSRF token of each form. The day is in the key because availability (pre-order or out
now) changes with the date.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.cache import catalogue_version
from shop import personal

CSRF_PLACEHOLDER = "shop-csrf-token-placeholder"
SESSION_NAV_PLACEHOLDER = "<!--shop:session-nav-->"
MESSAGES_PLACEHOLDER = "<!--shop:messages-->"
TIMEOUT = 60 * 60


def page_key(request: HttpRequest) -> str:
    # Canonical links and structured data name the host, so it is part of the key.
    url = request.build_absolute_uri()
    path = hashlib.sha256(url.encode()).hexdigest()
    return f"page:{catalogue_version()}:{timezone.localdate().isoformat()}:{path}"


def render_for_cache(request: HttpRequest, template_name: str, context: dict) -> str:
    """Render a page with placeholders where each customer's own details go."""
    return render_to_string(
        template_name,
        {**context, "page_cached": True, "csrf_token": CSRF_PLACEHOLDER},
        request,
    )


def personalise(request: HttpRequest, html: str) -> str:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    html = html.replace(SESSION_NAV_PLACEHOLDER, personal.session_nav(request))
    return html.replace(MESSAGES_PLACEHOLDER, personal.messages_block(request))


def cached_page(
    request: HttpRequest, render_page: Callable[[], str | HttpResponse]
) -> HttpResponse:
    """The page for this URL from the cache, or `render_page()` (which renders with
    render_for_cache, or returns a response such as a redirect that is not cached)."""
    key = page_key(request)
    html = cache.get(key)
    if html is None:
        result = render_page()
        if isinstance(result, HttpResponse):
            return result
        html = result
        cache.set(key, html, TIMEOUT)
    return HttpResponse(personalise(request, html))
