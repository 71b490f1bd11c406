"""Template helpers for the storefront."""

from django import template

from shop import personal, pricing
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


@register.simple_tag(takes_context=True)
def session_nav(context) -> str:
    """The header's account link and basket count (see shop.personal)."""
    return personal.session_nav(context["request"], context.get("basket_count"))


@register.simple_tag(takes_context=True)
def messages_block(context) -> str:
    return personal.messages_block(context["request"])
