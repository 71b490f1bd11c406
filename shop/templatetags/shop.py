"""Template helpers for the storefront."""

from django import template

from shop import basket, pricing

register = template.Library()


@register.filter
def aud(value) -> str:
    """{{ book.rrp|aud }} -> $39.99"""
    return pricing.format_aud(value)


@register.filter
def purchase_limit(book) -> int:
    """{{ book|purchase_limit }}: the most copies one basket may hold (0: cannot be bought)."""
    return basket.purchase_limit(book)
