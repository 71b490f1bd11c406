"""Production configuration: deploy checks, security headers, and the shared page cache."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.urls import reverse

from catalogue.version import VERSION_KEY, bump_catalogue_version, catalogue_version
from tests.factories import BookFactory, ContributionFactory, ReviewFactory

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",  # whatever a developer's .env says
    "SECRET_KEY": "k" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "shop.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://shop.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "HTTPS": "1",
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
        "print(s.CACHES['default']['BACKEND']);print(s.SESSION_ENGINE)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "shop.cache_backend.PooledRedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


# --- Security headers ------------------------------------------------------------------


@pytest.fixture
def book(db):
    book = BookFactory(title="Conquered City", slug="conquered-city", isbn="9781590173664")
    ContributionFactory(book=book)
    ReviewFactory(book=book, quote="Searing.", source="Bookforum")
    return book


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


# --- The page cache ----------------------------------------------------------------------


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("staff", "staff@example.com", "pw-for-tests")
    client.force_login(user)
    return client


def authored_book(**fields):
    """A book with an author, as the admin requires of a visible book."""
    return ContributionFactory(**{f"book__{name}": value for name, value in fields.items()}).book


def change_book(staff, book, **changes):
    """Post the admin change form for `book` with its current values and `changes`."""
    response = staff.get(reverse("admin:catalogue_book_change", args=[book.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "rrp":
            data["rrp_0"], data["rrp_1"] = str(value.amount), "AUD"
        elif name == "subjects":
            data[name] = [s.pk for s in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None and name != "cover":
            data[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = management.initial["TOTAL_FORMS"]
        data[f"{prefix}-INITIAL_FORMS"] = management.initial["INITIAL_FORMS"]
        for i, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form.instance.pk if name == "id" else inline_form.initial.get(name)
                if value is not None:
                    data[f"{prefix}-{i}-{name}"] = getattr(value, "pk", value)
    data.update(changes)
    result = staff.post(reverse("admin:catalogue_book_change", args=[book.pk]), data)
    assert result.status_code == 302, result.context["adminform"].form.errors
    return result


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("changes", "expected", "gone"),
    [
        ({"rrp_0": "44.95"}, "$44.95", "$39.99"),
        ({"title": "Conquered City: A Novel"}, "Conquered City: A Novel", None),
    ],
)
def test_a_staff_edit_shows_on_the_very_next_request(client, staff, changes, expected, gone):
    book = authored_book(title="Conquered City", slug="conquered-city", rrp="39.99")
    visitor = type(client)()
    first = visitor.get(book.get_absolute_url()).content.decode()
    assert expected not in first
    change_book(staff, book, **changes)
    after = visitor.get(book.get_absolute_url()).content.decode()
    assert expected in after
    if gone:
        assert gone not in after


@pytest.mark.django_db(transaction=True)
def test_a_new_praise_quote_shows_on_the_very_next_request(client, staff):
    book = authored_book(title="Conquered City", slug="conquered-city")
    visitor = type(client)()
    assert "Praise for" not in visitor.get(book.get_absolute_url()).content.decode()
    change_book(
        staff,
        book,
        **{
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-position": "0",
            "reviews-0-quote": "Faultlessly captures the labyrinth.",
            "reviews-0-source": "The Atlantic",
        },
    )
    html = visitor.get(book.get_absolute_url()).content.decode()
    assert "Faultlessly captures the labyrinth." in html
    assert "The Atlantic" in html


@pytest.mark.django_db(transaction=True)
def test_hiding_a_book_takes_it_off_every_page_at_once(client, staff):
    book = authored_book(title="Conquered City", slug="conquered-city")
    visitor = type(client)()
    assert visitor.get(book.get_absolute_url()).status_code == 200
    assert "Conquered City" in visitor.get("/books/").content.decode()
    change_book(staff, book, is_visible="")
    book.refresh_from_db()
    assert not book.is_visible
    assert visitor.get(book.get_absolute_url()).status_code == 404
    assert "Conquered City" not in visitor.get("/books/").content.decode()


@pytest.mark.django_db
def test_a_cached_page_is_served_without_touching_the_database(
    client, book, django_assert_num_queries
):
    client.get(book.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(book.get_absolute_url())
    assert response.status_code == 200
    assert "Conquered City" in response.content.decode()


@pytest.mark.django_db
def test_each_customer_sees_their_own_basket_count_and_token_on_a_cached_page(client, book):
    shopper = type(client)()
    shopper.post(reverse("shop:basket-add"), {"book": book.pk, "quantity": "2"})
    browser = type(client)()
    browsing = browser.get(book.get_absolute_url()).content.decode()  # cached now
    shopping = shopper.get(book.get_absolute_url()).content.decode()
    count = re.compile(r'class="basket-count">(\d+)<')
    assert count.search(browsing).group(1) == "0"
    assert count.search(shopping).group(1) == "2"
    for html in [browsing, shopping]:
        assert "placeholder-" not in html.replace('placeholder="', "")
        assert "<!--shop:" not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert token != "shop-csrf-token-placeholder"
    assert "Added 2 copies" in shopping  # the message went to the shopper only
    assert "Added 2 copies" not in browsing


@pytest.mark.django_db
def test_a_form_on_a_cached_page_works_for_another_customer(book):
    from django.test import Client

    first = Client(enforce_csrf_checks=True)
    first.get(book.get_absolute_url())  # renders and caches the page
    second = Client(enforce_csrf_checks=True)
    html = second.get(book.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(
        reverse("shop:basket-add"),
        {"book": book.pk, "quantity": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert 'class="basket-count">1<' in second.get("/").content.decode()


@pytest.mark.django_db
def test_the_catalogue_version_moves_on_even_when_the_cache_lost_it():
    first = catalogue_version()
    bump_catalogue_version()
    assert catalogue_version() == first + 1
    caches["default"].delete(VERSION_KEY)
    assert catalogue_version() > first + 1


def redis_cache():
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "bookshop-tests"})
    try:
        cache.get("ping")
    except Exception as error:  # any failure means there is no Redis to test with
        if os.environ.get("BOOKSHOP_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis is required here but not reachable: {error}")
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379: {error}")
    return cache


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_sharing_redis_see_an_edit_at_once(settings, client, staff):
    """Two servers are two processes with their own memory; all they share is Redis. The
    test renders through one cache connection and checks another sees the new version."""
    redis_cache().clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.cache_backend.PooledRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "bookshop-tests",
        }
    }
    book = authored_book(title="Conquered City", slug="conquered-city", rrp="39.99")
    visitor = type(client)()
    assert "$39.99" in visitor.get(book.get_absolute_url()).content.decode()
    other_server = redis_cache()
    before = other_server.get(VERSION_KEY)
    change_book(staff, book, rrp_0="41.00")
    assert other_server.get(VERSION_KEY) == before + 1
    assert "$41.00" in visitor.get(book.get_absolute_url()).content.decode()
    other_server.clear()
