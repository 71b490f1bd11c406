"""A customer buys Conquered City in a real browser, from its book page to the tax invoice
and the email that brings them back to it: basket, the checkout's three steps (with a
postcode from the wrong state put right on the way), the pay page, a test card payment
through the dummy provider, and the order's page. With and without JavaScript. Each page
on the way is photographed and checked with the Nu HTML checker, and with axe-core when
JavaScript runs (axe-core is a script)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.core import mail

from shop.models import Order, OrderStatus
from tests.browser.conftest import DESKTOP, expect, save_screenshot
from tests.browser.test_accessibility import BLOCKING_IMPACTS, RUN_AXE, describe

if TYPE_CHECKING:
    from playwright.sync_api import Page

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


class Checks:
    """Collects each page's HTML (for one run of the Nu HTML checker at the end) and runs
    axe-core on it as the customer reaches it."""

    def __init__(self, tmp_path: Path, axe_script: Path | None) -> None:
        self.tmp_path, self.axe_script = tmp_path, axe_script
        self.files: list[str] = []
        self.problems: list[str] = []

    def page(self, page: Page, name: str) -> None:
        save_screenshot(page, f"checkout-{name}")
        path = self.tmp_path / f"{name}.html"
        path.write_text(page.content())
        self.files.append(str(path))
        if self.axe_script is None:  # a page without JavaScript cannot run axe-core
            return
        page.add_script_tag(path=str(self.axe_script))
        violations = page.evaluate(RUN_AXE, None)["violations"]
        self.problems += [
            f"{name}:\n{describe(v)}" for v in violations if v["impact"] in BLOCKING_IMPACTS
        ]

    def html_errors(self, vnu_command: list[str]) -> list[str]:
        checker = subprocess.run(
            [*vnu_command, *self.files], capture_output=True, text=True, timeout=120, check=False
        )
        report = json.loads(checker.stderr or checker.stdout)
        return [
            f"{Path(urlsplit(m.get('url', '')).path).name}: {m.get('message')}"
            for m in report["messages"]
            if m.get("type") != "info"
        ]


@JAVASCRIPT
def test_a_guest_buys_conquered_city_and_gets_the_tax_invoice_by_email(
    open_page: Callable[..., Page],
    page_paths: dict[str, str],
    live_server,
    axe_script: Path,
    vnu_command: list[str],
    tmp_path: Path,
    monkeypatch,
    javascript: bool,
) -> None:
    # The payment provider sends the customer back to the shop's own address.
    monkeypatch.setattr("payments.core.PAYMENT_HOST", urlsplit(live_server.url).netloc)
    checks = Checks(tmp_path, axe_script if javascript else None)
    page = open_page(**DESKTOP, javascript=javascript, bypass_csp=True)

    page.goto(page_paths["book"])
    page.get_by_role("region", name="Price and availability").get_by_role(
        "button", name="Add to basket"
    ).click()
    page.get_by_role("link", name=re.compile(r"^Basket")).click()
    page.get_by_role("link", name="Checkout").click()

    # 1. Details, with a Sydney postcode for a Melbourne address put right.
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    checks.page(page, "details")
    page.get_by_label("Email").fill("vera@example.com")
    page.get_by_label("Full name").fill("Vera Reader")
    page.get_by_label("Street address").fill("12 Collins Street")
    page.get_by_label("Suburb or town").fill("Melbourne")
    page.get_by_label("State or territory").select_option("VIC")
    page.get_by_label("Postcode").fill("2000")
    page.get_by_role("button", name="Continue to delivery").click()
    expect(page.locator(".field__error")).to_have_text("2000 is not a postcode in Victoria.")
    checks.page(page, "details-refused")
    page.get_by_label(re.compile(r"^Postcode")).fill("3000")
    page.get_by_role("button", name="Continue to delivery").click()

    # 2. Delivery: Standard is $8.95 on a $39.99 basket.
    expect(page.get_by_role("radio", name=re.compile(r"^Standard — \$8\.95"))).to_be_checked()
    checks.page(page, "delivery")
    page.get_by_role("button", name="Continue to review").click()

    # 3. Review: $39.99 + $8.95 = $48.94, GST $4.45 (48.94 ÷ 11, half-up).
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
    expect(page.locator(".order-lines__total td")).to_have_text("$48.94")
    expect(page.locator(".order-lines__gst")).to_have_text("Includes GST of $4.45")
    checks.page(page, "review")
    page.get_by_role("button", name="Place order and pay $48.94").click()

    # Pay: a test card payment through the dummy provider.
    expect(page).to_have_url(re.compile(r"/orders/[\w-]+/pay/$"))
    order = Order.objects.get(email="vera@example.com")
    expect(page).to_have_url(re.compile(rf"/orders/{order.token}/pay/$"))
    checks.page(page, "pay")
    page.get_by_role("button", name="Pay $48.94 by card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Card payment for order {order.number}"
    )
    checks.page(page, "card")
    page.get_by_role("radio", name=re.compile(r"^Paid")).check()
    page.get_by_role("button", name="Continue").click()

    # The tax invoice.
    expect(page).to_have_url(re.compile(rf"/orders/{order.token}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tax invoice")
    expect(page.locator("body")).to_contain_text("Total includes GST of $4.45")
    expect(page.locator("body")).to_contain_text("9781590173664")
    checks.page(page, "invoice")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (str(order.total.amount), str(order.gst.amount)) == ("48.94", "4.45")

    # The email is the tax invoice too, and its link brings a guest back to the page.
    [email] = [m for m in mail.outbox if m.to == ["vera@example.com"]]
    assert order.number in email.subject
    assert "TAX INVOICE" in email.body
    link = re.search(r"https?://\S+/orders/[\w-]+/", email.body).group(0)
    again = open_page(**DESKTOP, javascript=javascript)
    again.goto(live_server.url + urlsplit(link).path)
    expect(again.get_by_role("heading", level=1)).to_have_text("Tax invoice")

    assert not checks.problems, "axe-core:\n" + "\n".join(checks.problems)
    errors = checks.html_errors(vnu_command)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
