"""The Jinja2 environment of the pages drawn afresh for each customer: the basket and the
checkout's steps. Those pages are never page-cached, so every request pays for their
templates; Django's template language costs them several times what Jinja2 does
(bench/results/). The catalogue pages, accounts and emails stay in Django's templates.

Templates here call the same helpers the `shop` and `covers` template tags are, so a
price, an availability line or a cover is drawn by one function whichever language asks.
The header, the messages and each form's CSRF field are holes that shop.holes fills, as
on every page (`csrf_field()`, not the engine's own `csrf_input`, which masks a fresh copy
of the token for each form it draws)."""

import functools

from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from jinja2 import Environment

from catalogue.templatetags.covers import book_cover
from shop import holes
from shop.templatetags.shop import aud, author_links, availability, form_field, purchase_limit


def url(name: str, *args, **kwargs) -> str:
    """{{ url('shop:basket-update', line.pk) }}: Django's {% url %}. An address without
    arguments (the header's, the footer's, each step's) is the same on every request of a
    process once its script prefix is known, so it is reversed once per prefix: reversing
    was a third of these pages' rendering."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _fixed_url(name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str, urlconf: str | None) -> str:
    # The prefix is part of the key only: reverse() reads the same one from the request.
    return reverse(name, urlconf=urlconf)


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - the engine passes autoescape=True
    env.globals.update(
        url=url,
        static=static,
        session_nav=holes.session_nav_hole,
        messages_block=holes.messages_hole,
        csrf_field=holes.csrf_input_hole,
        book_cover=book_cover,
        author_links=author_links,
        availability=availability,
        form_field=form_field,
    )
    env.filters.update(aud=aud, purchase_limit=purchase_limit)
    return env
