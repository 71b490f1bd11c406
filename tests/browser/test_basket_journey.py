"""A customer fills and empties a basket in a real browser: add Conquered City from its page,
change the quantity on the basket page, see the totals and the GST, remove it.

Uses the fixtures of tests/browser/conftest.py (Chromium, the live server and the demo
catalogue, in which Conquered City is $39.99 with copies in stock)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, save_screenshot

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def basket_count(page: Page):
    return page.locator(".site-header .basket-count")


@JAVASCRIPT
def test_customer_adds_changes_and_removes_conquered_city(
    open_page: Callable[..., Page], page_paths: dict[str, str], javascript: bool
) -> None:
    page = open_page(**DESKTOP, javascript=javascript)
    page.goto(page_paths["book"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Conquered City")
    expect(basket_count(page)).to_have_text("0")

    buy = page.get_by_role("region", name="Price and availability")
    expect(buy.get_by_label("Quantity")).to_have_value("1")
    buy.get_by_role("button", name="Add to basket").click()

    # Back on the book page, with a message and the header counting the copy.
    expect(page).to_have_url(re.compile(re.escape(page_paths["book"]) + "$"))
    expect(page.locator(".messages")).to_contain_text(
        "Added a copy of Conquered City to your basket."
    )
    expect(basket_count(page)).to_have_text("1")

    page.get_by_role("link", name=re.compile(r"^Basket")).click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    line = page.locator(".basket-line")
    expect(line).to_have_count(1)
    expect(line.get_by_role("link", name="Conquered City")).to_be_visible()
    expect(line.get_by_role("link", name="Victor Serge")).to_be_visible()
    expect(line.locator(".basket-line__unit")).to_have_text("$39.99")
    expect(line.locator(".basket-line__total")).to_contain_text("$39.99")

    quantity = line.get_by_role("spinbutton", name="Quantity")
    quantity.fill("3")
    line.get_by_role("button", name="Update quantity of Conquered City").click()

    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator(".messages")).to_contain_text("Your basket now has 3 of Conquered City.")
    line = page.locator(".basket-line")
    expect(line.get_by_role("spinbutton", name="Quantity")).to_have_value("3")
    expect(line.locator(".basket-line__total")).to_contain_text("$119.97")
    expect(page.locator(".basket__total dd")).to_have_text("$119.97")
    expect(page.locator(".basket__gst")).to_have_text("Includes GST of $10.91")
    expect(basket_count(page)).to_have_text("3")

    if javascript:
        save_screenshot(page, "basket-desktop")
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the basket page scrolls sideways on a phone ({width}px)"
        save_screenshot(page, "basket-phone")
        page.set_viewport_size(DESKTOP)

    line.get_by_role("button", name="Remove Conquered City").click()

    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator(".messages")).to_contain_text("Removed Conquered City from your basket.")
    expect(page.get_by_text("Your basket is empty.")).to_be_visible()
    expect(page.get_by_role("link", name="Browse the books")).to_have_attribute("href", "/books/")
    expect(page.locator(".basket-line")).to_have_count(0)
    expect(basket_count(page)).to_have_text("0")
