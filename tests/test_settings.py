"""The settings module reads its configuration from the environment, with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bookshop.settings import BASE_DIR, database_from_url, env_bool, env_list

REPO = Path(__file__).resolve().parents[1]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import bookshop.settings in a fresh interpreter with exactly these variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    code = (
        "import bookshop.settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_is_off_by_default_and_hosts_must_be_named():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"
    assert "[]" in result.stdout


def test_local_development_runs_without_a_secret_key():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "['127.0.0.1',",
        "'localhost',",
        "'[::1]']",
        "en-au",
        "Australia/Sydney",
    ]


def test_postgres_url_becomes_a_postgresql_database():
    db = database_from_url("postgres://shop:p%40ss@db.internal:5433/bookshop")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "bookshop",
        "shop",
        "p@ss",
        "db.internal",
        "5433",
    )


def test_sqlite_urls_name_a_file_relative_to_the_project_or_absolute():
    assert database_from_url("sqlite:///shop.db")["NAME"] == str(BASE_DIR / "shop.db")
    assert database_from_url("sqlite:////var/lib/shop.db")["NAME"] == "/var/lib/shop.db"


@pytest.mark.parametrize("url", ["mysql://root@localhost/shop", "postgres://localhost/"])
def test_unsupported_or_incomplete_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_env_bool_reads_the_usual_spellings_and_refuses_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "shop.example.com, www.shop.example.com,")
    assert env_list("HOSTS", []) == ["shop.example.com", "www.shop.example.com"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["a"]) == ["a"]
