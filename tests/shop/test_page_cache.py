"""The page cache (shop.page_cache) and the holes filled per visitor (shop.holes)."""

import os
import re
import subprocess
import sys
from urllib.request import urlopen

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from catalogue.version import bump_catalogue_version, catalogue_version
from tests.factories import BookFactory, ContributionFactory
from tests.shop.test_production import REPO, storefront_urls


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
def test_a_cached_page_costs_one_query_the_catalogue_version(
    client, book, django_assert_num_queries
):
    client.get(book.get_absolute_url())
    with django_assert_num_queries(1):
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
        assert "<!--hole:" not in html
        assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
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


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_version_moves_on_even_when_its_row_was_lost():
    first = catalogue_version()
    bump_catalogue_version()
    assert catalogue_version() == first + 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalogue_version")
    assert catalogue_version() > first + 1


def test_a_price_change_in_one_process_shows_in_another_at_once(live_server, client):
    """Each process has its own local-memory cache; the version they share is the
    database's. The live server renders the page, another process changes the price."""
    book = authored_book(title="Conquered City", slug="conquered-city", rrp="39.99")
    url = live_server.url + book.get_absolute_url()
    assert "$39.99" in urlopen(url).read().decode()  # noqa: S310 - the test's own server
    code = (
        "from catalogue.models import Book; from djmoney.money import Money;"
        f"b = Book.objects.get(pk={book.pk}); b.rrp = Money('44.95', 'AUD'); b.save()"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    name = connection.settings_dict["NAME"]
    env["DATABASE_URL"] = (
        f"sqlite:///{name}" if connection.vendor == "sqlite" else os.environ["DATABASE_URL"]
    )
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    html = urlopen(url).read().decode()  # noqa: S310
    assert "$44.95" in html
    assert "$39.99" not in html


def redis_cache():
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "bookshop-tests"})
    try:
        cache.get("ping")
    except Exception as error:  # any failure means there is no Redis to test with
        if os.environ.get("BOOKSHOP_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis is required here but not reachable: {error}")
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379: {error}")
    return cache


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_sharing_redis_see_an_edit_at_once(settings, client, staff):
    redis_cache().clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": "bookshop-tests",
        }
    }
    book = authored_book(title="Conquered City", slug="conquered-city", rrp="39.99")
    visitor = type(client)()
    assert "$39.99" in visitor.get(book.get_absolute_url()).content.decode()
    change_book(staff, book, rrp_0="41.00")
    assert "$41.00" in visitor.get(book.get_absolute_url()).content.decode()
    redis_cache().clear()


@pytest.fixture
def shared_cache(settings):
    """Redis as the shop's cache, as with REDIS_URL: the catalogue version lives there."""
    redis_cache().clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.cache_backend.PooledRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": "bookshop-tests",
        }
    }
    settings.CATALOGUE_VERSION_IN_CACHE = True
    yield redis_cache()
    redis_cache().clear()


@pytest.mark.django_db(transaction=True)
def test_with_a_shared_cache_an_edit_bumps_the_version_every_server_reads(
    shared_cache, client, staff, django_assert_num_queries
):
    """Two servers are two processes; all they share is Redis. One renders, the other's
    connection sees the version move on, and a cached page costs no query at all."""
    book = authored_book(title="Conquered City", slug="conquered-city", rrp="39.99")
    visitor = type(client)()
    assert "$39.99" in visitor.get(book.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):
        assert "$39.99" in visitor.get(book.get_absolute_url()).content.decode()
    before = shared_cache.get("catalogue:version")
    change_book(staff, book, rrp_0="41.00")
    assert shared_cache.get("catalogue:version") == before + 1
    assert "$41.00" in visitor.get(book.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_version_lost_from_the_shared_cache_starts_again_from_the_clock(shared_cache):
    first = catalogue_version()
    bump_catalogue_version()
    assert catalogue_version() == first + 1
    shared_cache.delete("catalogue:version")
    assert catalogue_version() > first + 1


# --- What is kept, and under which key --------------------------------------------------


def stored_keys() -> list[str]:
    return sorted(key for key in cache._cache if ":page:" in key)  # locmem's own dict


@pytest.mark.django_db
def test_page_keys_are_the_readable_canonical_url(client, book):
    client.get("/books/", {"utm_source": "x1", "sort": "title", "q": "conquered  city"})
    client.get("/books/", {"q": "conquered city", "sort": "title", "fbclid": "y"})
    client.get(book.get_absolute_url(), {"ref": "z"})
    assert stored_keys() == [
        ":1:page:http://testserver/books/?q=conquered+city&sort=title",
        ":1:page:http://testserver/books/conquered-city-9781590173664/",
    ]


@pytest.mark.django_db
def test_tracking_tags_do_not_fill_the_cache(client, book):
    for n in range(50):
        assert client.get("/books/", {"utm_source": f"x{n}"}).status_code == 200
    assert stored_keys() == [":1:page:http://testserver/books/"]


@pytest.mark.django_db
def test_a_long_url_gets_a_key_short_enough_for_memcached(client, book):
    client.get("/books/", {"q": "conquered " * 19})
    (key,) = stored_keys()
    assert len(key) <= 200
    assert key.startswith(":1:page:http://testserver/books/?q=conquered")


@pytest.mark.django_db
def test_redirects_and_missing_pages_are_not_kept(client, book):
    assert client.get("/books/wrong-slug-9781590173664/").status_code == 301
    assert client.get("/authors/nobody/").status_code == 404
    assert client.get("/books/", {"q": "9781590173664"}).status_code == 302
    assert stored_keys() == []


class BrokenCache:
    """A cache that refuses every read and write, as a full or unreachable Redis does."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("cache unavailable")

        return refuse


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/", "/books/", "/books/?q=conquered", "book", "author"])
def test_pages_are_served_uncached_when_the_cache_fails(client, book, monkeypatch, page, caplog):
    from shop import page_cache

    urls = {"book": book.get_absolute_url(), "author": storefront_urls(book)[4]}
    monkeypatch.setattr(page_cache, "cache", BrokenCache())
    response = client.get(urls.get(page, page))
    assert response.status_code == 200
    assert "Cache " in caplog.text


# --- Nothing of one visitor's reaches another -------------------------------------------


@pytest.mark.django_db
def test_the_next_visitor_signs_in_back_to_their_own_page(client, book):
    type(client)().get("/books/", {"utm_source": "newsletter"})
    html = type(client)().get("/books/").content.decode()
    assert 'href="/accounts/login/?next=/books/"' in html
    assert "newsletter" not in html


PLACEHOLDERS = ["<!--hole:csrf-input-->", "shop-csrf-token-placeholder"]


def tokens_outside_the_csrf_inputs(html: str) -> list[str]:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if found is None:
        return []
    token = found.group(1)
    rest = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', "", html)
    return [token] if token in rest else []


@pytest.mark.django_db
@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_a_search_for_the_csrf_hole_gets_no_token(client, book, text):
    for _ in range(2):  # rendered, then cached
        html = type(client)().get("/books/", {"q": f"conquered {text}"}).content.decode()
        assert f'value="{escape(f"conquered {text}")}"' in html
        assert tokens_outside_the_csrf_inputs(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_a_book_titled_with_the_csrf_hole_gets_no_token(client, text):
    book = BookFactory(title=f"Conquered City {text}", slug="conquered-city", rrp="39.99")
    ContributionFactory(book=book)
    for url in ["/", "/books/", book.get_absolute_url()]:
        for _ in range(2):
            html = type(client)().get(url).content.decode()
            assert tokens_outside_the_csrf_inputs(html) == [], url
