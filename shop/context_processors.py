"""Template context for every storefront page."""

from functools import cache

from django.http import HttpRequest

from shop.basket import basket_item_count


def basket(request: HttpRequest) -> dict:
    """`basket_count` for the header: computed on first use, at most one query."""

    @cache
    def count() -> int:
        return basket_item_count(request=request)

    return {"basket_count": count}
