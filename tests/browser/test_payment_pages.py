"""The pay page in each of its states, and the dummy provider's form, are valid HTML as
the Nu HTML checker sees them (rendered by the test client: no browser needed)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from shop.models import Order, OrderStatus
from tests.browser.test_html_validity import describe
from tests.shop.payments.conftest import (  # noqa: F401 - fixtures
    bank_details,
    book,
    form_url,
    methods,
    order,
    pay_by_card,
    pay_url,
    start_card_payment,
)

pytestmark = pytest.mark.django_db


def test_payment_pages_are_valid_html(
    order: Order,  # noqa: F811
    bank_details,  # noqa: F811
    vnu_command: list[str],
    tmp_path: Path,
) -> None:
    client = Client()
    pages = {"pay": client.get(pay_url(order))}
    payment = start_card_payment(client, order)
    pages["card-form"] = client.get(form_url(payment))
    pages["card-form-error"] = client.post(form_url(payment), {"outcome": "nonsense"})
    client.post(form_url(payment), {"outcome": PaymentStatus.REJECTED})
    pages["declined"] = client.get(payment.get_failure_url())
    client.post(reverse("shop:order-pay-bank-transfer", args=[order.token]))
    pages["bank-transfer"] = client.get(pay_url(order))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    pages["cancelled"] = client.get(pay_url(order))

    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    checker = subprocess.run(
        [*vnu_command, *files], capture_output=True, text=True, timeout=120, check=False
    )
    report = json.loads(checker.stderr or checker.stdout)
    errors = [message for message in report["messages"] if message.get("type") != "info"]
    assert not errors, "\n".join(describe(message) for message in errors)
