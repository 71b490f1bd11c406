"""The shop's identity on its tax invoices and email (SHOP_*): required in production,
demo values for local development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from shop.checks import shop_abn_check

REPO = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "production-secret-key-" + "k" * 40,
    "SHOP_NAME": "Serge & Co Books Pty Ltd",
    "SHOP_ABN": "51 824 753 556",
    "SHOP_ADDRESS": "Shop 2, 10 Smith Street\nFitzroy VIC 3065",
    "SHOP_URL": "https://shop.example.com/",
}
PRINT = "s.SHOP_NAME, s.SHOP_ABN, s.SHOP_ADDRESS, s.SHOP_EMAIL, s.SHOP_PHONE, s.SHOP_URL"


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Import bookshop.settings in a fresh interpreter with only these SHOP_* variables."""
    dropped = {"DEBUG", "SECRET_KEY"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SHOP_")}
    clean.update(env)
    code = f"import bookshop.settings as s; print(repr(({expression})))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )


def test_production_takes_the_shops_identity_from_the_environment():
    result = settings_value(PRINT, **PRODUCTION, SHOP_EMAIL="orders@serge.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        (
            "Serge & Co Books Pty Ltd",
            "51 824 753 556",
            "Shop 2, 10 Smith Street\nFitzroy VIC 3065",
            "orders@serge.example",
            "",  # SHOP_PHONE is optional
            "https://shop.example.com",
        )
    )


@pytest.mark.parametrize("name", ["SHOP_NAME", "SHOP_ABN", "SHOP_ADDRESS", "SHOP_URL"])
def test_production_without_the_shops_identity_is_refused(name):
    env = {key: value for key, value in PRODUCTION.items() if key != name}
    result = settings_value(PRINT, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be set when DEBUG is off" in result.stderr


def test_a_blank_value_counts_as_missing():
    result = settings_value(PRINT, **{**PRODUCTION, "SHOP_ABN": "   "})
    assert result.returncode != 0
    assert "SHOP_ABN must be set when DEBUG is off" in result.stderr


def test_local_development_falls_back_to_demo_values():
    result = settings_value(PRINT, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        (
            "Bookshop Demo Pty Ltd",
            "53 004 085 616",
            "1 Demo Lane\nMelbourne VIC 3000",
            "orders@bookshop.example",
            "(03) 9000 0000",
            "http://127.0.0.1:8000",
        )
    )


def test_local_development_links_to_the_port_make_run_serves():
    result = settings_value("s.SHOP_URL, s.PAYMENT_HOST", DEBUG="1", PORT="8123")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(("http://127.0.0.1:8123", "127.0.0.1:8123"))


def test_an_address_may_give_its_lines_with_a_written_newline():
    address = r" 10 Smith St \n Fitzroy VIC "
    result = settings_value("s.SHOP_ADDRESS", DEBUG="1", SHOP_ADDRESS=address)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr("10 Smith St\nFitzroy VIC")


@pytest.mark.parametrize(
    "url", ["shop.example.com", "ftp://shop.example.com", "https://", "https://x.example/shop"]
)
def test_shop_url_must_be_the_shops_address(url):
    result = settings_value("s.SHOP_URL", DEBUG="1", SHOP_URL=url)
    assert result.returncode != 0
    assert "SHOP_URL must be the shop's address" in result.stderr


def test_the_system_checks_refuse_an_abn_whose_check_digits_are_wrong(settings):
    assert shop_abn_check() == []
    settings.SHOP_ABN = "53 004 085 617"
    errors = shop_abn_check()
    assert [error.id for error in errors] == ["shop.E001"]
    assert "53 004 085 617" in errors[0].msg
    assert "shop.E001" in [message.id for message in run_checks()]


def test_the_deploy_check_refuses_a_wrong_abn():
    env = {**PRODUCTION, "SHOP_ABN": "12 345 678 901", "ALLOWED_HOSTS": "shop.example.com"}
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=clean, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "shop.E001" in result.stderr + result.stdout
