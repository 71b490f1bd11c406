"""The tax invoice prints cleanly: only the invoice, black on white, its lines as a table;
its Print button appears only where its script runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import DESKTOP, expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLACK = "rgb(0, 0, 0)"
WHITE = "rgb(255, 255, 255)"

STYLES = """(selector) => [...document.querySelectorAll(selector)].map(el => {
    const style = getComputedStyle(el);
    return {display: style.display, color: style.color, background: style.backgroundColor};
})"""


def styles(page: Page, selector: str) -> list[dict[str, str]]:
    found = page.evaluate(STYLES, selector)
    assert found, f"nothing matches {selector}"
    return found


def test_the_printed_invoice_is_the_invoice_alone_in_black_on_white(
    open_page: Callable[..., Page], page_paths: dict[str, str]
) -> None:
    page = open_page(**DESKTOP)
    page.goto(page_paths["order-paid"])
    page.emulate_media(media="print")

    for selector in [".skip-link", ".site-header", ".site-search", ".site-nav", ".site-footer"]:
        expect(page.locator(selector)).to_be_hidden()
    for button in page.get_by_role("button", include_hidden=True).all():
        expect(button).to_be_hidden()
    expect(page.get_by_text("Print this page for your records.")).to_be_hidden()
    assert styles(page, "body")[0]["background"] == WHITE
    for style in styles(page, ".invoice, .invoice *"):
        if style["display"] != "none":
            assert style["color"] == BLACK
    assert styles(page, ".invoice__lines")[0]["display"] == "table"
    assert styles(page, ".invoice__lines thead")[0]["display"] == "table-header-group"
    assert {style["display"] for style in styles(page, ".invoice__lines tbody tr")} == {"table-row"}
    expect(page.get_by_role("heading", name="Tax invoice")).to_be_visible()
    expect(page.locator(".invoice__gst")).to_be_visible()


def test_a_phone_prints_the_lines_as_a_table_too(
    open_page: Callable[..., Page], page_paths: dict[str, str]
) -> None:
    page = open_page(width=390, height=844, mobile=True)
    page.goto(page_paths["order-paid"])
    assert styles(page, ".invoice__lines")[0]["display"] == "block"  # the phone's layout
    page.emulate_media(media="print")
    assert styles(page, ".invoice__lines")[0]["display"] == "table"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_print_button_shows_only_where_its_script_runs(
    open_page: Callable[..., Page], page_paths: dict[str, str], javascript: bool
) -> None:
    page = open_page(**DESKTOP, javascript=javascript)
    page.goto(page_paths["order-paid"])
    expect(page.get_by_text("Print this page for your records.")).to_be_visible()
    button = page.get_by_role("button", name="Print")
    if javascript:
        expect(button).to_be_visible()
    else:
        expect(button).to_be_hidden()
