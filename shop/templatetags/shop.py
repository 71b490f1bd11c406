"""Template helpers for the storefront."""

from django import template
from django.template import engines
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from catalogue.availability import Availability
from catalogue.models import Book
from shop import holes, pricing
from shop.basket import rules

register = template.Library()


@register.filter
def aud(value) -> str:
    """{{ book.rrp|aud }} -> $39.99"""
    return pricing.format_aud(value)


@register.filter
def purchase_limit(book) -> int:
    """{{ book|purchase_limit }}: the most copies one basket may hold (0: cannot be bought)."""
    return rules.purchase_limit(book)


@register.simple_tag
def author_links(book) -> SafeString:
    """{% author_links book %}: the book's authors, each linked to their page, separated by
    commas (empty for a book without an author)."""
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a.name) for a in book.authors)
    )


@register.simple_tag
def availability(book: Book, promise: bool = False) -> SafeString:
    """{% availability book %}: whether the book can be bought now ("In stock"), ordered
    ahead ("Pre-order · out 16 February 2027") or not at all; with promise=True, followed
    by when it would be dispatched ("Usually dispatched within 2 business days")."""
    status = book.availability
    if status == Availability.PRE_ORDER:
        text = f"Pre-order · out {date_format(book.published, 'j F Y')}"
    else:
        text = status.label
    html = format_html('<p class="availability availability--{}">{}</p>', status.value, text)
    when = book.dispatch_promise if promise else ""
    if when:
        html += format_html('<p class="dispatch-promise">{}</p>', when)
    return html


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """{% site_header %}: the header every page shares with the Jinja2 pages, drawn by its
    one template (templates/jinja2/includes/site_header.html); the search box shows the
    page's `query`."""
    return _shared("includes/site_header.html", query=context.get("query"))


@register.simple_tag
def site_footer() -> SafeString:
    """{% site_footer %}: the footer, from templates/jinja2/includes/site_footer.html."""
    return _shared("includes/site_footer.html")


@register.simple_tag
def form_field(field) -> SafeString:
    """{% form_field form.email %}: one form field as every form of the shop draws it
    (templates/jinja2/includes/form_field.html)."""
    return _shared("includes/form_field.html", field=field)


def _shared(name: str, **context) -> SafeString:
    # Jinja2 escapes what it draws (the engine's autoescape), so its output is safe HTML.
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308


# Holes that shop.holes.HolesMiddleware fills for each visitor.
register.simple_tag(holes.session_nav_hole, name="session_nav")
register.simple_tag(holes.messages_hole, name="messages_block")
register.simple_tag(holes.csrf_input_hole, name="csrf_input")
