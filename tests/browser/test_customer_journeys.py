"""What a customer does in a browser: search, read a book page, follow an author, look a book
up by ISBN, filter the listing (with and without JavaScript), use the keyboard, use a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from catalogue.models import Book, Contribution
from shop.views import BOOKS_PER_PAGE
from tests.browser.conftest import (
    DESKTOP,
    NOT_FOUND_PATH,
    PHONE,
    expect,
    expected_status,
    save_screenshot,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])

# The pages a customer sees, one of each type (screenshots and the phone check).
PAGE_TYPES = [
    "home",
    "listing",
    "search",
    "search-empty",
    "book",
    "author",
    "order-paid",
    "order-awaiting-payment",
    "not-found",
]


def header_search(page: Page, text: str) -> None:
    search = page.get_by_role("search").get_by_role("searchbox", name="Search books")
    search.fill(text)
    page.get_by_role("search").get_by_role("button", name="Search").click()


def facts(page: Page) -> dict[str, str]:
    """The book page's facts list as {term: value}."""
    return page.locator("dl.facts").evaluate(
        """dl => Object.fromEntries([...dl.querySelectorAll('dt')].map(
            dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"""
    )


@JAVASCRIPT
def test_customer_finds_a_book_by_search_and_follows_its_author(
    open_page: Callable[..., Page], page_paths: dict[str, str], javascript: bool
) -> None:
    page = open_page(**DESKTOP, javascript=javascript)
    page.goto(page_paths["home"])

    header_search(page, "Conquered City")
    expect(page).to_have_url(re.compile(r"/books/\?q=Conquered\+City$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “Conquered City”")
    results = page.get_by_role("region", name="Books")
    results.get_by_role("link", name="Conquered City", exact=True).click()

    expect(page).to_have_url(re.compile(r"/books/conquered-city-9781590173664/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conquered City")
    book_facts = facts(page)
    assert book_facts["Published"] == "15 February 2011"
    assert book_facts["ISBN"] == "9781590173664"
    assert book_facts["RRP"] == "$39.99"
    expect(page.locator(".contributors")).to_contain_text("Translated by Richard Greeman")
    expect(page.get_by_role("heading", name="Praise for Conquered City")).to_be_visible()

    also_by = page.get_by_role("region", name="Also by Victor Serge")
    other_book = also_by.get_by_role("heading", level=3).first.get_by_role("link")
    other_title = other_book.inner_text()
    other_book.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(other_title)
    assert "/books/conquered-city-" not in page.url

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conquered City")
    page.get_by_role("link", name="See all books by Victor Serge").click()

    expect(page).to_have_url(re.compile(r"/authors/victor-serge/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Victor Serge")
    his_books = page.get_by_role("region", name="Books by Victor Serge")
    listed = set(his_books.get_by_role("heading", level=3).all_inner_texts())
    expected = set(
        Book.objects.visible()
        .filter(contributions__author__name="Victor Serge")
        .filter(contributions__role=Contribution.Role.AUTHOR)
        .values_list("title", flat=True)
    )
    assert {"Conquered City", other_title} <= listed
    assert listed == expected


def test_customer_looks_a_book_up_by_isbn(
    desktop_page: Page, page_paths: dict[str, str], live_server
) -> None:
    page = desktop_page
    book_url = live_server.url + page_paths["book"]
    page.goto(page_paths["home"])

    # An ISBN-10, hyphenated, for Conquered City (ISBN-13 9781590173664).
    header_search(page, "1-59017-366-X")
    expect(page).to_have_url(book_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conquered City")

    page.goto("/isbn/978-1-59017-366-4/")
    expect(page).to_have_url(book_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conquered City")


def test_first_tab_focuses_skip_to_content_link(
    desktop_page: Page, page_paths: dict[str, str]
) -> None:
    page = desktop_page
    for name in PAGE_TYPES:
        page.goto(page_paths[name])
        page.keyboard.press("Tab")
        skip_link = page.get_by_role("link", name="Skip to content")
        expect(skip_link, f"first Tab on {name}").to_be_focused()
        expect(skip_link, f"skip link shown when focused on {name}").to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    expect(page.get_by_role("main")).to_be_focused()


@JAVASCRIPT
def test_listing_filters_by_format_and_sorts_with_the_form(
    open_page: Callable[..., Page], page_paths: dict[str, str], javascript: bool
) -> None:
    page = open_page(**DESKTOP, javascript=javascript)
    page.goto(page_paths["listing"])
    filters = page.get_by_role("form", name="Search and filter books")

    filters.get_by_role("checkbox", name="Paperback").check()
    filters.get_by_label("Sort by").select_option(label="Price: low to high")
    filters.get_by_role("button", name="Show books").click()

    expect(page).to_have_url(re.compile(r"[?&]format=paperback(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]sort=price-low(&|$)"))
    expect(filters.get_by_role("checkbox", name="Paperback")).to_be_checked()
    expect(filters.get_by_label("Sort by")).to_have_value("price-low")
    expect(page.get_by_role("list", name="Filters in force")).to_contain_text("Paperback")

    cards = page.get_by_role("region", name="Books").locator(".book-card")
    expect(cards.first).to_be_visible()
    metas = cards.locator(".book-card__meta").all_inner_texts()
    paperbacks = Book.objects.visible().filter(format="paperback").count()
    assert len(metas) == min(paperbacks, BOOKS_PER_PAGE)
    assert all(meta.startswith("Paperback") for meta in metas), metas
    prices = [Decimal(text.removeprefix("$")) for text in cards.locator(".price").all_inner_texts()]
    assert prices == sorted(prices)
    expect(page.locator(".listing__count")).to_contain_text(f"{paperbacks} books")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_a_phone_screen_without_sideways_scrolling(
    open_page: Callable[..., Page],
    page_paths: dict[str, str],
    console_errors: list[str],
    live_server,
    name: str,
) -> None:
    """Also saves a screenshot of each page type at desktop and phone widths, and checks
    that the pages load without console errors (a CSP refusal, a missing stylesheet ...)."""
    desktop = open_page(**DESKTOP)
    desktop.goto(page_paths[name])
    save_screenshot(desktop, f"{name}-desktop")

    phone = open_page(**PHONE, mobile=True)
    response = phone.goto(page_paths[name])
    assert response.status == expected_status(name), f"{name}: HTTP {response.status}"
    save_screenshot(phone, f"{name}-phone")
    widths = phone.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            overflowing: [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .filter(el => !el.closest('.visually-hidden, .skip-link, .book-grid--shelf'))
                .slice(0, 10)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')),
        })"""
    )
    assert widths["viewport"] == PHONE["width"], (
        f"{name} is laid out {widths['viewport']}px wide on a {PHONE['width']}px phone "
        "(is <meta name=viewport content='width=device-width, initial-scale=1'> missing?)"
    )
    assert widths["scroll"] <= widths["viewport"], (
        f"{name} scrolls sideways on a {PHONE['width']}px phone: page is {widths['scroll']}px "
        f"wide; elements past the right edge: {widths['overflowing']}"
    )

    expected = {
        # Chromium asks for /favicon.ico on its own; the shop has no favicon (yet).
        f"{live_server.url}/favicon.ico",
        # The 404 page's own status.
        *([live_server.url + NOT_FOUND_PATH] if name == "not-found" else []),
    }
    unexpected = [
        error
        for error in console_errors
        if not (error.split(": ")[0] in expected and "status of 404" in error)
    ]
    assert not unexpected, f"{name}: errors in the browser console:\n" + "\n".join(unexpected)
