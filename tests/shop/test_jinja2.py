"""The Jinja2 environment of the per-customer pages (shop.jinja2): its `url()` gives what
Django's reverse() gives, under whatever script prefix the shop is served, and what it
draws is escaped."""

from urllib.parse import urlsplit

import pytest
from django.template import engines
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from shop.jinja2 import url
from tests.html import parse


@pytest.fixture
def prefix():
    """set_script_prefix, and the prefix put back afterwards."""
    yield set_script_prefix
    clear_script_prefix()


def test_url_reverses_with_and_without_arguments() -> None:
    assert url("shop:basket") == reverse("shop:basket") == "/basket/"
    assert url("shop:basket-update", 7) == reverse("shop:basket-update", args=[7])
    assert url("shop:order-pay", token="abc") == reverse("shop:order-pay", kwargs={"token": "abc"})


def test_a_fixed_address_follows_the_script_prefix(prefix) -> None:
    assert url("shop:basket") == "/basket/"
    prefix("/shop/")
    assert url("shop:basket") == "/shop/basket/"
    assert url("shop:basket-update", 7) == "/shop/basket/lines/7/"
    prefix("/")
    assert url("shop:basket") == "/basket/"


def test_an_unknown_name_is_refused_as_by_reverse() -> None:
    with pytest.raises(NoReverseMatch):
        url("shop:no-such-page")


def test_what_the_templates_draw_is_escaped() -> None:
    template = engines["jinja2"].from_string("<p>{{ title }}</p>")

    assert template.render({"title": "<script>alert(1)</script>"}) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def _frame(response) -> tuple:
    """What every page shares: its language, its head (less what each page says of
    itself: title, description, robots, and the path of its canonical address), and its
    header and footer."""
    page = parse(response)
    head = page.find("head")
    own = {"description", "robots"}
    kept = []
    for element in head.iter():
        if element is head or element.tag == "title" or element.get("name") in own:
            continue
        attrs = dict(element.attrs)
        if element.get("rel") == "canonical":
            attrs["href"] = urlsplit(attrs["href"]).netloc
        kept.append((element.tag, sorted(attrs.items())))
    header = page.find("header", css_class="site-header")
    footer = page.find("footer", css_class="site-footer")
    return page.find("html").get("lang"), kept, header.text(), footer.text()


@pytest.mark.django_db
def test_a_jinja2_page_has_the_frame_of_a_django_template_page(client) -> None:
    django_page = client.get(reverse("shop:home"))  # templates/base.html
    jinja2_page = client.get(reverse("shop:basket"))  # templates/jinja2/base.html

    assert django_page.status_code == jinja2_page.status_code == 200
    assert _frame(jinja2_page) == _frame(django_page)
    assert _frame(django_page)[0] == "en-AU"
