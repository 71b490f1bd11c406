"""The signed-in customer's pages in Chromium: a customer signs in through the sign-in
form, and "Your account" (with an order), the saved addresses, the email addresses, the
password change, the sign-out and the close-account pages are each valid HTML (the Nu
HTML checker) and pass axe-core's checks."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from shop.accounts.addresses import address_create
from tests.browser.conftest import CONQUERED_CITY_ISBN, DESKTOP, expect
from tests.browser.test_accessibility import BLOCKING_IMPACTS, RUN_AXE
from tests.browser.test_accessibility import describe as describe_violation
from tests.browser.test_html_validity import describe as describe_message

if TYPE_CHECKING:
    from playwright.sync_api import Page

EMAIL = "vera@example.com"
PASSWORD = "pw-for-browser-tests"
ACCOUNT_PAGES = {
    "account-overview": reverse("account-overview"),
    "account-email": reverse("account_email"),
    "account-password-change": reverse("account_change_password"),
    "account-sign-out": reverse("account_logout"),
    "account-close": reverse("account-close"),
    "account-addresses": reverse("account-addresses"),
    "account-address-add": reverse("account-address-add"),
}


@pytest.fixture
def customer_with_an_order(demo_catalogue: None):
    """A customer with a confirmed address and one order, committed for the live server."""
    from catalogue.models import Book
    from tests.browser.conftest import demo_orders

    user = get_user_model().objects.create_user("vera", email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    paid, _ = demo_orders(Book.objects.get(isbn=CONQUERED_CITY_ISBN))
    paid.user = user
    paid.save(update_fields=["user"])
    address_create(
        user=user,
        fields={
            "name": "Vera Reader",
            "line1": "12 Collins Street",
            "suburb": "Melbourne",
            "state": "VIC",
            "postcode": "3000",
        },
        is_default=True,
    )
    return user


def signed_in(open_page: Callable[..., Page]) -> Page:
    page = open_page(**DESKTOP, bypass_csp=True)  # bypass_csp: to inject axe-core
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    return page


def test_signed_in_pages_are_valid_html_and_accessible(
    customer_with_an_order, open_page, vnu_command: list[str], axe_script: Path, tmp_path: Path
) -> None:
    page = signed_in(open_page)
    files = []
    for name, path in ACCOUNT_PAGES.items():
        response = page.request.get(path)
        assert response.status == 200, f"{name}: HTTP {response.status}"
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.body())
        files.append(str(file))

        page.goto(path)
        page.add_script_tag(path=str(axe_script))
        violations = page.evaluate(RUN_AXE, None)["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {name}:\n" + "\n".join(
            describe_violation(v) for v in blocking
        )

    checker = subprocess.run(
        [*vnu_command, *files], capture_output=True, text=True, timeout=120, check=False
    )
    report = json.loads(checker.stderr or checker.stdout)
    errors = [m for m in report["messages"] if m.get("type") != "info"]
    assert not errors, "\n".join(describe_message(m) for m in errors)


def test_sign_out_from_the_header_works_without_javascript(
    customer_with_an_order, open_page
) -> None:
    page = open_page(**DESKTOP, javascript=False)
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
