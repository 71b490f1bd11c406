"""Template helpers for the information pages (shop.pages): the page's HTML, cleaned as it
is shown, and the Delivery page's table of delivery methods, read from the methods staff
keep in admin so that its prices are always the ones checkout charges."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from catalogue.availability import DISPATCH_BUSINESS_DAYS
from shop.pages import delivery_methods_offered, page_html_clean

register = template.Library()


@register.filter
def page_html(content: str) -> SafeString:
    return mark_safe(page_html_clean(content))  # noqa: S308 - cleaned to PAGE_TAGS by nh3


@register.inclusion_tag("includes/delivery_methods.html")
def delivery_methods() -> dict:
    return {
        "methods": list(delivery_methods_offered()),
        "dispatch_business_days": DISPATCH_BUSINESS_DAYS,
    }
