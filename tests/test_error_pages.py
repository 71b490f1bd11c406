"""Error pages: every bad request a visitor can send gets the shop's own 400 or 404 page,
never a 500 and never Django's debug pages, in production and under `make run` (DEBUG on,
`runserver` serving the static files)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import BookFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent
MANY_PARAMETERS = "&".join(f"p{n}=x" for n in range(1100))


def assert_shop_404(response) -> None:
    assert response.status_code == 404
    page = parse(response)
    header = page.find("header", css_class="site-header")
    assert header.find("a", css_class="basket-link")  # its per-visitor parts filled in
    assert b"<!--hole:" not in response.content
    assert page.find("h1").text() == "We can’t find that page"


def assert_plain_400(response) -> None:
    assert response.status_code == 400
    assert parse(response).find("h1").text() == "We couldn’t understand that request"


@pytest.mark.parametrize("host", ["evil.example", "shop.example.com:8000", "bad host", "[::1"])
@pytest.mark.parametrize("path", ["/", "/books/", "/basket/", "/no-such-page/", "/admin/"])
def test_a_host_the_shop_does_not_serve_gets_a_plain_400(path, host):
    response = Client(raise_request_exception=False).get(path, HTTP_HOST=host)
    assert_plain_400(response)


def test_a_post_with_a_wrong_host_gets_a_plain_400():
    book = BookFactory()
    response = Client(raise_request_exception=False).post(
        "/basket/add/", {"book": book.pk, "quantity": "1"}, HTTP_HOST="evil.example"
    )
    assert_plain_400(response)


def test_more_query_parameters_than_django_reads_get_a_400(client):
    assert_plain_400(client.get(f"/books/?{MANY_PARAMETERS}"))


# --- With DEBUG on, as under `make run` ----------------------------------------------


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.mark.parametrize("path", ["/no-such-page/", "/books/no-such-book-9781590173664/"])
def test_a_missing_page_under_debug_looks_like_the_shops_own(client, debug, path):
    response = client.get(path)
    assert_shop_404(response)
    assert b"URLconf" not in response.content


def test_an_unknown_author_under_debug_is_the_shops_404(client, debug):
    assert_shop_404(client.get("/authors/nobody-at-all/"))


def test_too_many_query_parameters_under_debug_get_the_shops_400(debug):
    response = Client(raise_request_exception=False).get(f"/books/?{MANY_PARAMETERS}")
    assert_plain_400(response)


# --- `runserver`, as `make run` serves the shop --------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def runserver(tmp_path_factory):
    """`manage.py runserver` with DEBUG on, on a database of its own."""
    database = tmp_path_factory.mktemp("runserver") / "db.sqlite3"
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    inherited = {k: v for k, v in os.environ.items() if k not in dropped}
    env = {
        **inherited,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=REPO, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2)  # noqa: S310 - local
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize(
    "path",
    [
        "/static/%2e%2e/%2e%2e/manage.py",
        "/static/%2e%2e/settings.py",
        "/static/..%2f..%2fmanage.py",
        "/static/shop/%2e%2e/%2e%2e/%2e%2e/README.md",
        "/static/no-such-file.css",
    ],
)
def test_runserver_answers_a_bad_static_path_with_a_404(runserver, path):
    status, body = fetch(runserver + path)
    assert status in (400, 404), body[:300]


def test_runserver_still_serves_the_static_files(runserver):
    status, body = fetch(runserver + "/static/shop/css/shop.css")
    assert status == 200
    assert "body" in body


def test_runserver_shows_the_shops_404(runserver):
    status, body = fetch(runserver + "/no-such-page/")
    assert status == 404
    assert "We can’t find that page" in body
    assert 'class="basket-link"' in body
    assert "URLconf" not in body


def test_runserver_answers_too_many_query_parameters_with_a_400(runserver):
    status, body = fetch(f"{runserver}/books/?{MANY_PARAMETERS}")
    assert status == 400
    assert "We couldn’t understand that request" in body
