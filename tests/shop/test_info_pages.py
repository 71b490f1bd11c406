"""The information pages (shop.pages): Delivery, Returns, Privacy and Contact, written by
staff in admin as flatpages, served at their own addresses in the shop's layout, their HTML
cleaned so that nothing staff paste can put a script on a customer's page; the footer that
links to them from every page; and the sitemap, which still lists the host it is asked on."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse

from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket, DeliveryMethod
from shop.pages import INFO_PAGES, page_html_clean
from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import aud

pytestmark = pytest.mark.django_db

PATHS = {
    "delivery": "/delivery/",
    "returns": "/returns/",
    "privacy": "/privacy/",
    "contact": "/contact/",
}
FOOTER_LINKS = [
    ("Delivery", "/delivery/"),
    ("Returns", "/returns/"),
    ("Privacy", "/privacy/"),
    ("Contact us", "/contact/"),
]
ADMIN_ADD = reverse("admin:flatpages_flatpage_add")


def make_page(url: str, title: str = "A page", content: str = "<p>Text.</p>", **fields):
    page = FlatPage.objects.create(url=url, title=title, content=content, **fields)
    page.sites.add(settings.SITE_ID)
    return page


def content_of(response):
    return parse(response).find("div", css_class="info-page__content")


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("staff", "staff@example.com", "pw"))
    return client


# --- Served at their addresses, in the shop's layout ------------------------------------


def test_the_four_pages_have_their_own_addresses():
    assert {page.name: page.url for page in INFO_PAGES} == PATHS
    assert {name: reverse(name) for name in PATHS} == PATHS


@pytest.mark.parametrize(("name", "url"), PATHS.items())
def test_each_page_is_served_at_its_address_in_the_shops_layout(client, name, url):
    make_page(url, title=f"About {name}", content=f"<h2>All about {name}</h2><p>Read on.</p>")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = parse(response)
    assert page.find("a", css_class="skip-link").get("href") == "#content"
    assert page.find("header", css_class="site-header").find("a", css_class="basket-link")
    assert b"<!--hole:" not in response.content  # the header's per-visitor parts filled in
    assert page.find("title").text() == f"About {name} — Bookshop"
    article = page.find("main").find("article", css_class="info-page")
    assert article.find("h1").text() == f"About {name}"
    assert content_of(response).find("h2").text() == f"All about {name}"
    assert page.find("footer", css_class="site-footer")


def test_a_page_is_read_in_one_query(client, django_assert_num_queries):
    make_page("/returns/", title="Returns")
    client.get("/returns/")  # the shop's Site is read once per process, then kept

    with django_assert_num_queries(1):
        response = client.get("/returns/")

    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/returns/", "/shipping/", "/about/", "/delivery/extra/"])
def test_a_missing_page_or_another_flatpage_address_is_the_shops_404(client, url):
    make_page("/about/", title="About")  # no address of its own: never served

    response = client.get(url)

    assert response.status_code == 404
    assert parse(response).find("h1").text() == "We can’t find that page"


def test_a_page_on_another_site_is_not_served(client):
    other = Site.objects.create(domain="other.example", name="Other")
    page = FlatPage.objects.create(url="/privacy/", title="Privacy", content="<p>Other.</p>")
    page.sites.add(other)

    assert client.get("/privacy/").status_code == 404


def test_a_page_answers_only_get_and_head(client):
    make_page("/contact/", title="Contact us")

    assert client.head("/contact/").status_code == 200
    assert Client(enforce_csrf_checks=False).post("/contact/").status_code == 405


def test_a_pages_title_is_text_not_html(client):
    make_page("/privacy/", title="Privacy & <em>you</em>")

    response = client.get("/privacy/")

    page = parse(response)
    assert page.find("h1").text() == "Privacy & <em>you</em>"
    assert page.find("title").text() == "Privacy & <em>you</em> — Bookshop"
    assert b"<em>you</em>" not in response.content


# --- Made safe: cleaned on save in admin and again when shown ---------------------------

HOSTILE = (
    "<h2>Returns</h2>"
    '<p onclick="steal()">Within <strong>30 days</strong>.<script>alert("x")</script></p>'
    "<style>body { display: none }</style>"
    '<iframe src="https://evil.example/"></iframe>'
    '<p><a href="javascript:steal()">click</a> or <a href="/contact/" style="color: red">'
    "contact us</a></p>"
    '<img src="https://evil.example/pixel.gif" onerror="steal()">'
)
CLEANED = (
    "<h2>Returns</h2><p>Within <strong>30 days</strong>.</p>"
    '<p><a rel="noopener noreferrer">click</a> or '
    '<a href="/contact/" rel="noopener noreferrer">contact us</a></p>'
)


def test_page_html_keeps_headings_paragraphs_lists_tables_and_links_only():
    assert page_html_clean(HOSTILE) == CLEANED
    kept = (
        "<h3>Hours</h3><ul><li><em>Mon</em></li></ul><address>12 Example Lane</address>"
        '<table><thead><tr><th scope="col">Day</th></tr></thead>'
        "<tbody><tr><td>9–5</td></tr></tbody></table>"
        '<p><a href="mailto:hello@bookshop.example" rel="noopener noreferrer">mail</a>'
        ' <a href="tel:+61255501234" rel="noopener noreferrer">call</a></p>'
    )
    assert page_html_clean(kept) == kept


def test_a_script_staff_paste_in_admin_is_removed_when_the_page_is_saved(staff_client):
    response = staff_client.post(
        ADMIN_ADD,
        {
            "url": "/returns/",
            "title": "Returns",
            "content": HOSTILE,
            "sites": [settings.SITE_ID],
            "template_name": "",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert FlatPage.objects.get(url="/returns/").content == CLEANED
    served = Client().get("/returns/")
    assert served.status_code == 200
    assert b"<script" not in served.content
    assert b"steal()" not in served.content
    assert b"evil.example" not in served.content
    assert content_of(served).find("strong").text() == "30 days"


def test_admin_tells_staff_what_html_a_page_may_hold(staff_client):
    response = staff_client.get(ADMIN_ADD)

    assert response.status_code == 200
    assert b"is removed on save" in response.content


def test_a_script_written_to_the_database_another_way_is_not_served(client):
    make_page("/privacy/", title="Privacy", content=HOSTILE)  # not through admin

    response = client.get("/privacy/")

    assert b"<script" not in response.content
    assert b"steal()" not in response.content
    assert b"<iframe" not in response.content
    assert content_of(response).find("h2").text() == "Returns"


# --- The Delivery page's methods and prices come from admin -----------------------------


@pytest.fixture
def delivery_methods():
    DeliveryMethod.objects.create(
        name="Standard", price=aud("8.95"), free_above=aud("80.00"), estimated_days=5
    )
    DeliveryMethod.objects.create(name="Express", price=aud("14.95"), estimated_days=2, position=1)
    DeliveryMethod.objects.create(
        name="Click & Collect",
        price=aud("0.00"),
        estimated_days=0,
        is_click_and_collect=True,
        position=2,
    )
    DeliveryMethod.objects.create(
        name="Retired courier", price=aud("20.00"), estimated_days=1, active=False
    )
    make_page("/delivery/", title="Delivery", template_name="flatpages/delivery.html")


def delivery_rows(client) -> list[list[str]]:
    table = parse(client.get("/delivery/")).find("table", css_class="delivery-methods__table")
    return [[cell.text() for cell in row.find_all()] for row in table.find("tbody").find_all("tr")]


def test_the_delivery_page_lists_the_methods_checkout_offers_with_their_prices(
    client, delivery_methods
):
    assert delivery_rows(client) == [
        ["Standard", "$8.95, free on orders over $80.00", "Within 5 business days of dispatch"],
        ["Express", "$14.95", "Within 2 business days of dispatch"],
        ["Click & Collect", "Free", "Collect from the shop once we email you that it is ready"],
    ]
    page = parse(client.get("/delivery/"))
    assert "usually dispatched within 2 business days" in page.find("main").text()


def test_a_price_staff_change_in_admin_is_on_the_delivery_page_at_once(client, delivery_methods):
    DeliveryMethod.objects.filter(name="Express").update(price=Decimal("16.50"))

    assert delivery_rows(client)[1][:2] == ["Express", "$16.50"]


# --- The footer on every page -----------------------------------------------------------


def footer_links(response) -> list[tuple[str, str]]:
    footer = parse(response).find("footer", css_class="site-footer")
    return [(a.text(), a.get("href")) for a in footer.find_all("a")]


def basket_client() -> Client:
    client = Client()
    basket = Basket.objects.create()
    basket_services.basket_add(basket=basket, book_id=BookFactory().pk, quantity=1)
    session = client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()
    return client


@pytest.mark.parametrize("page", ["home", "listing", "book", "basket", "info-page", "404"])
def test_every_page_links_to_the_four_pages_in_its_footer(client, page):
    book = BookFactory()
    make_page("/contact/", title="Contact us")
    url = {
        "home": "/",
        "listing": "/books/",
        "book": book.get_absolute_url(),
        "basket": "/basket/",
        "info-page": "/contact/",
        "404": "/no-such-page/",
    }[page]

    response = (basket_client() if page == "basket" else client).get(url)

    links = footer_links(response)
    assert [link for link in links if link in FOOTER_LINKS] == FOOTER_LINKS
    if page == "basket":
        assert parse(response).find_all("li", css_class="basket-line")


def test_the_footer_links_lead_to_the_pages(client):
    for _, url in FOOTER_LINKS:
        make_page(url, title=url.strip("/").title())

    for _, url in FOOTER_LINKS:
        assert client.get(url).status_code == 200


# --- sitemap.xml keeps the address it is asked at --------------------------------------


def test_the_sitemap_lists_the_host_it_is_asked_at_not_the_sites_domain(client):
    Site.objects.filter(pk=settings.SITE_ID).update(domain="elsewhere.example")
    book = BookFactory()

    response = client.get("/sitemap.xml", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert f"<loc>http://localhost{book.get_absolute_url()}</loc>".encode() in response.content
    assert b"elsewhere.example" not in response.content


@pytest.mark.parametrize("page", ["2", "nine"])
def test_a_sitemap_page_that_is_not_there_is_a_404(client, page):
    BookFactory()

    assert client.get("/sitemap.xml", {"p": page}).status_code == 404


def test_the_sitemap_answers_only_get_and_head(client):
    assert client.post("/sitemap.xml").status_code == 405
