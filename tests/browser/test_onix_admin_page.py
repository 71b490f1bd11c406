"""The admin's "Import ONIX" page in Chromium, against the live server: a member of staff logs
in, finds the page from the admin, uploads a feed and reads its report on the import's own
page (the live server runs the job at once), then finds the new
book in the shop; a file that is not ONIX 3.0 is refused on the form, importing nothing; and
the page (the form, a report, a refusal) passes axe-core's checks in light and dark themes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from catalogue.models import Book
from tests.browser.conftest import DESKTOP, expect, save_screenshot
from tests.browser.test_accessibility import BLOCKING_IMPACTS, RUN_AXE
from tests.browser.test_accessibility import describe as describe_violation
from tests.catalogue.onix.onix_fixtures import BAD_RECORD_PROBLEMS, BAD_RECORD_TITLES, fixture

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

USERNAME = "importer"
EMAIL = "importer@example.com"
PASSWORD = "pw-for-browser-tests"
IMPORT_PAGE = reverse("admin:catalogue_book_import_onix")

# Good products around three bad ones (see the file): the report lists the three.
FEED = "bad_record_in_middle.xml"
FEED_TITLES = BAD_RECORD_TITLES  # the good ones


@pytest.fixture
def importer(transactional_db: None) -> User:
    """Staff who may add and change books (what the import page asks for), committed so the
    live server's thread sees them."""
    user = User.objects.create_user(USERNAME, email=EMAIL, password=PASSWORD, is_staff=True)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="catalogue",
            codename__in=["view_book", "add_book", "change_book"],
        )
    )
    return user


def log_in(page: Page) -> None:
    """Through the shop's sign-in page, where admin sends staff, as staff do."""
    page.goto(reverse("admin:index"))
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def go_to_import_page(page: Page) -> None:
    """From the admin's home page: Books, then the book list's "Import ONIX" link."""
    page.locator("#content-main").get_by_role("link", name="Books", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select book to change")
    page.locator(".object-tools").get_by_role("link", name="Import ONIX").click()
    expect(page).to_have_url(re.compile(re.escape(IMPORT_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import ONIX")


def upload(page: Page, name: str, *, refused: bool = False) -> None:
    """Choose the ONIX fixture `name` in the file input and press Import; the answer must be
    a page (HTTP 200), not a server error: the form again when it is `refused`, else the
    import's own page."""
    page.get_by_label("ONIX file").set_input_files(fixture(name))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Import").click()
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"uploading {name}: HTTP {response.status}"
    if refused:
        assert response.url.endswith(IMPORT_PAGE), response.url
    else:
        assert re.search(re.escape(IMPORT_PAGE) + r"\d+/$", response.url), response.url


def report_region(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=f"Imported {name}")


def table_text(table: Locator) -> dict[str, list[list[str]]]:
    """A table's header and body cells as text (textContent: the admin's CSS shows headers
    in capitals, which innerText would return)."""
    return table.evaluate(
        """table => ({
            head: [...table.tHead.rows].map(r => [...r.cells].map(c => c.textContent.trim())),
            body: [...table.tBodies[0].rows].map(
                r => [...r.cells].map(c => c.textContent.trim())),
        })"""
    )


def report_counts(report: Locator) -> dict[str, str]:
    table = table_text(report.get_by_role("table").first)
    [head], [values] = table["head"], table["body"]
    return dict(zip(head, values, strict=True))


def unexpected_console_errors(console_errors: list[str], live_server) -> list[str]:
    # Chromium asks for /favicon.ico on its own; the shop has no favicon (yet).
    favicon = f"{live_server.url}/favicon.ico"
    return [
        error
        for error in console_errors
        if not (error.split(": ")[0] == favicon and "status of 404" in error)
    ]


def test_staff_import_a_feed_from_the_admin_read_the_report_and_find_the_book_in_the_shop(
    open_page: Callable[..., Page], importer: User, console_errors: list[str], live_server
) -> None:
    page = open_page(**DESKTOP)
    log_in(page)
    go_to_import_page(page)
    expect(page.locator(".onix-report")).to_have_count(0)

    upload(page, FEED)

    report = report_region(page, FEED)
    expect(report).to_be_visible()
    expect(report.locator(".onix-report__summary")).to_have_text(
        re.compile(
            r"^6 products: 3 created, 0 updated, 0 unchanged, 0 hidden, 3 skipped "
            r"\(finished \d\d:\d\d:\d\d\)\.$"
        )
    )
    assert report_counts(report) == {
        "Read": "6",
        "Created": "3",
        "Updated": "0",
        "Unchanged": "0",
        "Hidden": "0",
        "Skipped": "3",
    }
    expect(report.get_by_role("heading", name="Skipped products", level=3)).to_be_visible()
    problems = table_text(report.locator("table.onix-report__problems"))
    assert problems["head"] == [["Record", "Field", "Reason"]]
    assert problems["body"] == [list(problem) for problem in BAD_RECORD_PROBLEMS]
    # Finished: the page no longer reloads itself.
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    save_screenshot(page, "onix-import-report")

    assert sorted(Book.objects.visible().values_list("title", flat=True)) == FEED_TITLES
    assert Book.objects.count() == len(FEED_TITLES)

    # The page says importing the same file again changes nothing: it does not.
    page.get_by_role("link", name="Import another file").click()
    upload(page, FEED)
    expect(report_region(page, FEED).locator(".onix-report__summary")).to_have_text(
        re.compile(r"^6 products: 0 created, 0 updated, 3 unchanged, 0 hidden, 3 skipped ")
    )
    assert Book.objects.count() == len(FEED_TITLES)

    # Back in the book list, then from the book's admin page to the shop's page for it.
    page.get_by_role("link", name="Back to the books").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select book to change")
    results = page.locator("#result_list")
    for title in FEED_TITLES:
        expect(results.get_by_role("link", name=title, exact=True)).to_be_visible()
    results.get_by_role("link", name="First Good Book", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change book")
    page.get_by_role("link", name="View on site").click()

    book = Book.objects.get(isbn="9781920000011")
    expect(page).to_have_url(re.compile(re.escape(book.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("First Good Book")
    expect(page.locator(".contributors")).to_contain_text("Ines Abbott")

    unexpected = unexpected_console_errors(console_errors, live_server)
    assert not unexpected, "errors in the browser console:\n" + "\n".join(unexpected)


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        pytest.param(
            "onix21.xml",
            re.escape("This is an ONIX 2.1 file; the shop reads ONIX 3.0."),
            id="onix-2.1",
        ),
        pytest.param(
            "not_onix.xml",
            re.escape("This is not an ONIX file: its root element is <rss>, not <ONIXMessage>."),
            id="xml-not-onix",
        ),
        pytest.param(
            "not_xml.txt",
            r"This is not an XML file \(syntax error at line 1, column \d+\)\.",
            id="not-xml",
        ),
    ],
)
def test_a_file_that_is_not_onix_3_is_refused_on_the_form_and_imports_nothing(
    open_page: Callable[..., Page],
    importer: User,
    console_errors: list[str],
    live_server,
    name: str,
    refusal: str,
) -> None:
    page = open_page(**DESKTOP)
    log_in(page)
    go_to_import_page(page)

    upload(page, name, refused=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Import ONIX")
    expect(page.locator(".onix-report")).to_have_count(0)
    errors = page.locator(".form-row.errors .errorlist li")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text(re.compile(f"^{refusal}$"))
    # Tied to the file input, so a screen reader reads it with the field.
    file_input = page.get_by_label("ONIX file")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(file_input).to_have_accessible_description(re.compile(refusal))

    assert Book.objects.count() == 0
    unexpected = unexpected_console_errors(console_errors, live_server)
    assert not unexpected, "errors in the browser console:\n" + "\n".join(unexpected)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("state", ["form", "report", "refused"])
def test_import_page_has_no_accessibility_violations(
    open_page: Callable[..., Page],
    importer: User,
    axe_script: Path,
    state: str,
    color_scheme: str,
) -> None:
    """No violation of any impact in the page's own content (#content-main, our template);
    no serious or critical one anywhere, Django admin's header and sidebar included (as the
    shop's pages are held to in test_accessibility)."""
    page = open_page(**DESKTOP, bypass_csp=True)  # to inject axe-core
    page.emulate_media(color_scheme=color_scheme)
    log_in(page)
    go_to_import_page(page)
    if state == "report":
        upload(page, FEED)
        expect(report_region(page, FEED)).to_be_visible()
    elif state == "refused":
        upload(page, "onix21.xml", refused=True)
        expect(page.locator(".errorlist")).to_be_visible()
    save_screenshot(page, f"onix-import-{state}-{color_scheme}")
    page.add_script_tag(path=str(axe_script))

    content = page.evaluate(RUN_AXE, "#content-main")
    assert content["passes"] > 0, "axe-core checked nothing in #content-main"
    assert not content["violations"], (
        f"axe-core found {len(content['violations'])} problem(s) in the import page's "
        f"content ({state}, {color_scheme} theme):\n"
        + "\n".join(describe_violation(v) for v in content["violations"])
    )
    blocking = [
        v for v in page.evaluate(RUN_AXE, None)["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious or critical problem(s) on the import page "
        f"({state}, {color_scheme} theme):\n" + "\n".join(describe_violation(v) for v in blocking)
    )
