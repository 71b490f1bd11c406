"""Security headers Django's own middleware does not set."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
