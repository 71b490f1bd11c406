"""The parts of a page that differ from visitor to visitor: the header's account link and
basket count, the messages, and the CSRF token of each form.

Templates mark where they go with the `session_nav`, `messages_block` and `csrf_input`
tags (shop.templatetags.shop; in Jinja2 pages the `session_nav()`, `messages_block()` and
`csrf_field()` globals of shop.jinja2), which emit an HTML comment. `HolesMiddleware`
fills them in every HTML response, cached or not, from the Jinja2 templates
`includes/session_nav.html` and `includes/messages.html` and the visitor's own token. Page
data can never produce a hole: text is escaped (no `<`), rich text is sanitised without
comments, and JSON-LD escapes `<`;
the header and the messages are filled once each, at their first hole."""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from shop.basket.session import header_item_count

SESSION_NAV = "<!--hole:session-nav-->"
MESSAGES = "<!--hole:messages-->"
CSRF_INPUT = "<!--hole:csrf-input-->"
# The same, as the bytes a response's content is searched for.
_SESSION_NAV, _MESSAGES, _CSRF_INPUT = (h.encode() for h in (SESSION_NAV, MESSAGES, CSRF_INPUT))


def session_nav_hole() -> SafeString:
    return mark_safe(SESSION_NAV)  # noqa: S308 - a constant


def messages_hole() -> SafeString:
    return mark_safe(MESSAGES)  # noqa: S308 - a constant


def csrf_input_hole() -> SafeString:
    return mark_safe(CSRF_INPUT)  # noqa: S308 - a constant


def basket_count_known(request: HttpRequest, count: int) -> None:
    """Say what the header's basket count is, for a page that has just counted the
    basket itself (the basket page), so the header need not count it again."""
    request.shop_basket_count = count


def session_nav(request: HttpRequest) -> str:
    """The account link (sign in, with this page to come back to, or sign out) and the
    basket link with its count."""
    count = getattr(request, "shop_basket_count", None)
    context = {"basket_count": header_item_count(request) if count is None else count}
    return get_template("includes/session_nav.html").render(context, request)


def messages_block(request: HttpRequest) -> str:
    messages = list(get_messages(request))
    if not messages:
        return ""
    return get_template("includes/messages.html").render({"messages": messages}, request)


def csrf_input(request: HttpRequest) -> str:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


class HolesMiddleware:
    """Fill the holes of every HTML response. Sits inside the session, CSRF, auth and
    messages middleware, so the token's cookie is set and the messages shown are used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        content = response.content
        if _SESSION_NAV in content:
            content = content.replace(_SESSION_NAV, session_nav(request).encode(), 1)
        if _MESSAGES in content:
            content = content.replace(_MESSAGES, messages_block(request).encode(), 1)
        if _CSRF_INPUT in content:
            content = content.replace(_CSRF_INPUT, csrf_input(request).encode())
        if content is not response.content:
            response.content = content
        return response
