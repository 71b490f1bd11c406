"""The parts of a page that differ from customer to customer: the header's account link
and basket count, and the messages. Built in Python rather than templates because every
page view renders them, cached page or not (see shop.page_cache)."""

from urllib.parse import quote

from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from shop.basket.session import header_item_count as basket_item_count


def session_nav(request: HttpRequest, basket_count: int | None = None) -> SafeString:
    """The account link (sign in, or sign out) and the basket link with its count (pass
    the count when the page already knows it, to spare the query)."""
    account = _sign_out(request) if request.user.is_authenticated else _sign_in(request)
    if basket_count is None:
        basket_count = basket_item_count(request=request)
    return account + _basket_link(basket_count)


def first_visit_session_nav(request: HttpRequest) -> SafeString:
    """The header for a visitor with no session: not signed in, nothing in the basket."""
    return _sign_in(request) + _basket_link(0)


def _sign_out(request: HttpRequest) -> SafeString:
    return format_html(
        '<li><form class="inline-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="link-button">Sign out</button></form></li>',
        reverse("logout"),
        get_token(request),
    )


def _sign_in(request: HttpRequest) -> SafeString:
    return format_html(
        '<li><a href="{}?next={}">Sign in</a></li>',
        reverse("login"),
        quote(request.get_full_path(), safe="/"),
    )


def _basket_link(count: int) -> SafeString:
    return format_html(
        '<li><a class="basket-link" href="{}">Basket <span class="basket-count">{}</span>'
        '<span class="visually-hidden"> book{}</span></a></li>',
        reverse("shop:basket"),
        count,
        "" if count == 1 else "s",
    )


def messages_block(request: HttpRequest) -> SafeString:
    messages = list(get_messages(request))
    if not messages:
        return SafeString("")
    items = format_html_join(
        "",
        '<li class="message message--{}">{}</li>',
        ((message.tags, message.message) for message in messages),
    )
    return format_html('<div class="messages" role="status"><ul>{}</ul></div>', items)
