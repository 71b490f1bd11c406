"""Production configuration: deploy checks, security headers, and the shared page cache."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",  # whatever a developer's .env says
    "SECRET_KEY": "k" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "shop.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://shop.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "HTTPS": "1",
    "SHOP_NAME": "Bookshop Pty Ltd",
    "SHOP_ABN": "51 824 753 556",
    "SHOP_ADDRESS": "10 Smith Street\\nFitzroy VIC 3065",
    "SHOP_URL": "https://shop.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests turn off Django's async-safety check for this process; a deployed
    # shop has it on, so the subprocess must not inherit that.
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=clean, capture_output=True, text=True
    )


def test_deploy_check_reports_no_issues_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_complains_without_https_settings():
    env = {**PRODUCTION_ENV, "HTTPS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_redis_url_shares_the_cache_and_sessions_between_app_servers():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);print(s.SESSION_ENGINE);"
        "print(s.CATALOGUE_VERSION_IN_CACHE)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "shop.cache_backend.PooledRedisCache",
        "django.contrib.sessions.backends.cached_db",
        "True",
    ]


# --- Security headers ------------------------------------------------------------------


def storefront_urls(book) -> list[str]:
    author = book.contributions.first().author
    return [
        "/",
        "/books/",
        "/books/?q=conquered",
        book.get_absolute_url(),
        author.get_absolute_url(),
        reverse("shop:basket"),
        "/no-such-page/",
    ]


@pytest.mark.django_db
def test_every_storefront_response_carries_the_security_headers(client, book):
    for url in storefront_urls(book):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
def test_storefront_pages_have_no_inline_script_or_style(client, book):
    for url in storefront_urls(book):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?P<attrs>[^>]*)>", html)
        for attrs in scripts:
            assert 'type="application/ld+json"' in attrs or "src=" in attrs, (url, attrs)
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


@pytest.mark.django_db
def test_admin_keeps_scripts_locked_down(admin_client):
    csp = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_behind_https(client, settings, book):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.CSRF_COOKIE_SECURE = True
    plain = client.get("/", headers={"host": "testserver"})
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    response = client.get(book.get_absolute_url(), headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]
