"""A customer who bought as a guest makes an account in Chromium: signs up, confirms the
address from the email the shop sent, signs in, and finds the earlier order under "Your
account", with the link to its tax invoice."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core import mail

from catalogue.models import Book
from shop.models import DeliveryMethod, Order, OrderStatus
from tests.browser.conftest import CONQUERED_CITY_ISBN, DESKTOP, expect, save_screenshot
from tests.shop.orders.conftest import DETAILS, basket_of, place

if TYPE_CHECKING:
    from playwright.sync_api import Page

EMAIL = "anna@example.com"
PASSWORD = "a-long-and-unusual-passphrase"


def test_sign_up_confirm_sign_in_and_see_the_guest_order(
    open_page: Callable[..., Page], page_paths: dict[str, str], live_server
) -> None:
    book = Book.objects.get(isbn=CONQUERED_CITY_ISBN)
    guest_order = place(
        basket_of((book, 1)),
        DeliveryMethod.objects.get(name="Standard"),
        details=dataclasses.replace(DETAILS, email=EMAIL),
    )
    Order.objects.filter(pk=guest_order.pk).update(status=OrderStatus.PAID)
    page = open_page(**DESKTOP)

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    save_screenshot(page, "account-verification-sent")

    # The confirmation email, and its link.
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email")
    page.get_by_role("button", name="Confirm").click()

    # Confirmed, the customer signs in; "Your account" shows the order bought as a guest.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    order_link = page.get_by_role("link", name=re.compile(guest_order.number))
    expect(order_link).to_be_visible()
    save_screenshot(page, "account-overview-with-guest-order")
    order_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tax invoice")
