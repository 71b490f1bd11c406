"""Browser tests: the shop in a real Chromium, against pytest-django's live server.

The tools live outside Python: Debian's Chromium (/usr/bin/chromium), Java for the Nu HTML
checker, and the npm packages in package.json (vnu-jar, axe-core) under node_modules/. When
one is missing the tests that need it are skipped with the reason, unless
BOOKSHOP_REQUIRE_BROWSER=1 (CI sets it): then a missing tool fails them.

Playwright's sync API keeps an asyncio event loop running in the test thread while a browser
is open, and Django refuses ORM calls from a thread with a running loop. The tests use the
ORM (to load the demo catalogue and find page URLs), so Django's check is turned off here;
the browser is also closed when the tests/browser package finishes, so its event loop does
not outlive these tests.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the `chromium` fixture skips (or fails) the tests that need it
    expect = sync_playwright = None

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artefacts" / "screenshots"
NPM_HINT = "run `npm ci --no-audit --no-fund --ignore-scripts` in the repository (needs npm)"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

CONQUERED_CITY_ISBN = "9781590173664"
NOT_FOUND_PATH = "/no-such-page/"


def pytest_configure(config: pytest.Config) -> None:
    if not any(line.startswith("browser:") for line in config.getini("markers")):
        config.addinivalue_line(
            "markers", "browser: runs in Chromium or the HTML checker against a live server"
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test (`pytest -m "not browser"` skips)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# Every page type, with the book pages in each state they can be in: what the HTML checker
# and axe-core look at.
EVERY_PAGE_TYPE = [
    "home",
    "listing",
    "listing-filtered",
    "search",
    "search-empty",
    "book",
    "book-pre-order",
    "book-out-of-stock",
    "author",
    "basket-empty",
    "order-paid",
    "order-awaiting-payment",
    "delivery",
    "returns",
    "privacy",
    "contact",
    "sign-in",
    "sign-up",
    "password-reset",
    "password-reset-done",
    "verification-sent",
    "not-found",
]


def expected_status(name: str) -> int:
    """The HTTP status of the page named in page_paths."""
    return 404 if name == "not-found" else 200


def require(available: bool, reason: str) -> None:
    """Skip the test when a tool is missing, or fail it when CI says the tools must be there."""
    if available:
        return
    if os.environ.get("BOOKSHOP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BOOKSHOP_REQUIRE_BROWSER=1: the browser tools are required)")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for every browser test (closed when tests/browser is done)."""
    require(sync_playwright is not None, "Playwright for Python is not installed")
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_catalogue(transactional_db: None) -> None:
    """The demo catalogue, committed so the live server's thread sees it."""
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def page_paths(demo_catalogue: None) -> dict[str, str]:
    """The path of one page of each type the shop has, by name."""
    from catalogue.models import Author, Availability, Book

    books = Book.objects.visible()
    pre_order = books.with_availability(Availability.PRE_ORDER).order_by("published", "title")
    out_of_stock = books.with_availability(Availability.OUT_OF_STOCK).order_by("title")
    listing = reverse("shop:book-list")
    paid, awaiting_payment = demo_orders(books.get(isbn=CONQUERED_CITY_ISBN))
    return {
        "home": reverse("shop:home"),
        "listing": listing,
        "listing-filtered": f"{listing}?format=paperback&format=hardback&subject=fiction"
        "&availability=in-stock&sort=price-low",
        "search": f"{listing}?q=serge",
        "search-empty": f"{listing}?q=no+such+book+xyzzy",
        "book": books.get(isbn=CONQUERED_CITY_ISBN).get_absolute_url(),
        "book-pre-order": pre_order.first().get_absolute_url(),
        "book-out-of-stock": out_of_stock.first().get_absolute_url(),
        "author": Author.objects.get(name="Victor Serge").get_absolute_url(),
        "basket-empty": reverse("shop:basket"),
        "order-paid": reverse("shop:order-detail", args=[paid.token]),
        "order-awaiting-payment": reverse("shop:order-detail", args=[awaiting_payment.token]),
        # The information pages, as load_demo writes them (shop/demo_pages.toml).
        **{name: reverse(name) for name in ("delivery", "returns", "privacy", "contact")},
        # Customer accounts (allauth's pages in the shop's templates, templates/account/).
        "sign-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
        "password-reset-done": reverse("account_reset_password_done"),
        "verification-sent": reverse("account_email_verification_sent"),
        "not-found": NOT_FOUND_PATH,
    }


def demo_orders(book) -> tuple:
    """A paid order for two copies of `book` by a business buyer (its tax invoice names
    the buyer), and a Click & Collect order awaiting payment by bank transfer."""
    from dataclasses import replace

    from shop.models import DeliveryMethod, Order, OrderStatus
    from tests.shop.orders.conftest import DETAILS, basket_of, place

    methods = {method.name: method for method in DeliveryMethod.objects.all()}
    details = replace(DETAILS, buyer_abn="51824753556")
    paid = place(basket_of((book, 2)), methods["Standard"], details=details)
    awaiting = place(basket_of((book, 1)), methods["Click & Collect"])
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)
    Order.objects.filter(pk=awaiting.pk).update(bank_transfer=True)
    return paid, awaiting


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the pages opened by open_page reported: console errors (a resource that
    failed to load, a Content-Security-Policy refusal ...) and uncaught script errors."""
    return []


@pytest.fixture
def site_at_live_server(transactional_db: None, live_server) -> None:
    """The shop's Site has the live server's address, as staff give it the shop's own in
    production (admin, Sites): admin's "View on site" links go to it."""
    from django.contrib.sites.models import Site

    site = Site.objects.get(pk=settings.SITE_ID)
    site.domain = urlsplit(live_server.url).netloc
    site.save()


@pytest.fixture
def open_page(
    chromium: Browser, live_server, console_errors: list[str], site_at_live_server: None
) -> Iterator[Callable[..., Page]]:
    """open_page(width=..., height=..., mobile=False, javascript=True, bypass_csp=False)
    -> a new tab.

    Each tab gets a fresh context (no cookies or history shared), closed when the test ends.
    mobile makes it a touch phone that honours <meta name="viewport"> as phones do.
    bypass_csp lets a test inject its own script (axe-core) past the shop's
    Content-Security-Policy; pages customers see are always loaded under the policy."""
    contexts = []

    def open_(
        *,
        width: int = 1280,
        height: int = 900,
        mobile: bool = False,
        javascript: bool = True,
        bypass_csp: bool = False,
    ) -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
            locale="en-AU",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                console_errors.append(f"{message.location.get('url') or page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def desktop_page(open_page: Callable[..., Page]) -> Page:
    """A tab 1280 pixels wide with JavaScript on."""
    return open_page(**DESKTOP)


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot at test-artefacts/screenshots/<name>.png (git-ignored)."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


@pytest.fixture
def vnu_command() -> list[str]:
    """The Nu HTML checker's command line, up to (not including) the files to check."""
    java = shutil.which("java")
    require(java is not None, "java is not installed (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"{VNU_JAR.relative_to(REPO)} is missing: {NPM_HINT}")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


@pytest.fixture
def axe_script() -> Path:
    require(AXE_JS.is_file(), f"{AXE_JS.relative_to(REPO)} is missing: {NPM_HINT}")
    return AXE_JS
