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


def test_postgresql_statements_are_prepared_unless_turned_off(monkeypatch):
    monkeypatch.delenv("DATABASE_PREPARED", raising=False)
    options = database_from_url("postgres://shop@db/bookshop")["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}

    monkeypatch.setenv("DATABASE_PREPARED", "off")
    options = database_from_url("postgres://shop@db/bookshop")["OPTIONS"]
    assert options["prepare_threshold"] is None


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


# --- A checkout set up by `make run` ---------------------------------------------------


@pytest.fixture
def checkout(tmp_path):
    """A checkout of the shop as `make run` leaves it: its own manage.py and Makefile (the
    packages and templates are the repository's own), and the `.env` that `make run`
    writes."""
    for name in ["manage.py", "Makefile", "pyproject.toml"]:
        (tmp_path / name).write_bytes((REPO / name).read_bytes())
    for name in ["bookshop", "shop", "catalogue", "jobs", "templates", "static"]:
        (tmp_path / name).symlink_to(REPO / name)
    result = subprocess.run(
        ["make", "--no-print-directory", ".env"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path


def manage_in(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python manage.py ARGS` in `checkout`, as the README writes it: no DEBUG or
    SECRET_KEY in the environment."""
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean["DATABASE_URL"] = f"sqlite:///{checkout / 'db.sqlite3'}"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=checkout,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_the_readmes_commands_run_as_written_after_make_run(checkout):
    assert "DEBUG=1" in (checkout / ".env").read_text()
    migrate = manage_in(checkout, "migrate", "--noinput", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    demo = manage_in(checkout, "load_demo")
    assert demo.returncode == 0, demo.stderr
    assert "Demo catalogue:" in demo.stdout
    feed = REPO / "tests" / "catalogue" / "onix" / "onix_fixtures" / "two_authors.xml"
    onix = manage_in(checkout, "import_onix", str(feed))
    assert onix.returncode == 0, onix.stderr
    assert "created" in onix.stdout


def test_variables_set_in_the_environment_win_over_the_checkouts_env_file(checkout):
    result = manage_in(checkout, "check", "--deploy", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_without_the_env_file_manage_py_still_needs_a_secret_key(checkout):
    (checkout / ".env").unlink()
    result = manage_in(checkout, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_wsgi_application_never_reads_the_env_file(checkout):
    """Production serves through bookshop.wsgi: there SECRET_KEY must be set, whatever
    files lie beside manage.py."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import bookshop.wsgi"],
        cwd=checkout,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
