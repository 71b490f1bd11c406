"""Which card provider the settings choose: Stripe with its keys, the dummy provider only
under local development, none in production without keys."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
STRIPE_VARIABLES = {"STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_WEBHOOK_SECRET"}


def card_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "PAYMENT_HOST", "ALLOWED_HOSTS", *STRIPE_VARIABLES}
    }
    clean.update({"SECRET_KEY": "x" * 50, **env})
    code = (
        "import bookshop.settings as s; "
        "print(s.SHOP_CARD_PAYMENT_VARIANT or '-', sorted(s.PAYMENT_VARIANTS), s.PAYMENT_HOST, "
        "s.PAYMENT_USES_SSL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )


def test_local_development_pays_through_the_dummy_provider() -> None:
    result = card_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dummy", "['dummy']", "127.0.0.1:8000", "False"]


def test_production_without_stripe_offers_no_card_and_never_the_dummy() -> None:
    result = card_settings(ALLOWED_HOSTS="shop.example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["-", "[]", "shop.example.com", "False"]


def test_stripe_keys_choose_stripe() -> None:
    result = card_settings(
        ALLOWED_HOSTS="shop.example.com",
        HTTPS="1",
        STRIPE_SECRET_KEY="sk_test_x",
        STRIPE_PUBLIC_KEY="pk_test_x",
        STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["stripe", "['stripe']", "shop.example.com", "True"]


def test_stripe_without_its_webhook_secret_refuses_to_start() -> None:
    result = card_settings(DEBUG="1", STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLIC_KEY="pk_x")
    assert result.returncode != 0
    assert "need STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET" in result.stderr


def test_stripe_needs_a_host_to_send_customers_back_to() -> None:
    result = card_settings(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    assert result.returncode != 0
    assert "Card payments need PAYMENT_HOST" in result.stderr
