"""Template helpers for the storefront."""

from django import template

from shop import pricing

register = template.Library()


@register.filter
def aud(value) -> str:
    """{{ book.rrp|aud }} -> $39.99"""
    return pricing.format_aud(value)
