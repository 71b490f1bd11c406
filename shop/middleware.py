"""Security headers Django's own middleware does not set, and the shop's own error pages
with DEBUG on."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults

logger = logging.getLogger(__name__)

# Everything the storefront loads comes from the shop itself: no inline scripts or styles
# (covers drawn in inline SVG use presentation attributes, not style), no frames.
SHOP_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# Django's admin sets a few style attributes of its own; scripts stay locked down.
ADMIN_POLICY = SHOP_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith("/admin/") else SHOP_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class LocalErrorPagesMiddleware:
    """With DEBUG on (`make run`), a visitor who asks for a page that does not exist, or
    sends a request the shop cannot read (more query parameters than Django accepts),
    gets the shop's own 404 or 400 page, as in production, rather than Django's debug
    pages: those list every URL pattern, are unstyled under the shop's Content-Security-
    Policy, and for a request Django refuses to read fail themselves with a bare 500.
    Developers still see the reason in the log. Does nothing with DEBUG off, where
    Django's own handlers already render templates/404.html and 400.html."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DEBUG:
            return self.get_response(request)
        try:
            response = self.get_response(request)
        except SuspiciousOperation as error:  # Django's debug page could not describe it
            return self._bad_request(request, error)
        if response.status_code == 404:
            logger.info("Not found: %s", request.path)
            response = defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if settings.DEBUG and isinstance(exception, SuspiciousOperation):
            return self._bad_request(request, exception)
        return None

    @staticmethod
    def _bad_request(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.warning("Bad request to %s: %s", request.path, error)
        return defaults.bad_request(request, error)
