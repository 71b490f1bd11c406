"""What every page carries (skip link, header, footer, title, description, canonical link)
and what search engines read: sitemap.xml, robots.txt, JSON-LD and Open Graph tags."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import BookFormat
from tests.factories import AuthorFactory, BookFactory, SubjectFactory
from tests.html import canonical, json_ld, meta_content, parse
from tests.shop.helpers import aud, book_by, bulk_books, days_from_today

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary", "iframe"}


@pytest.fixture
def page_urls(conquered_city, victor_serge):
    return {
        "home": "/",
        "listing": "/books/",
        "search": "/books/?q=serge",
        "book": conquered_city.get_absolute_url(),
        "author": victor_serge.get_absolute_url(),
        "not-found": "/no-such-page/",
    }


PAGES = ["home", "listing", "search", "book", "author", "not-found"]


def first_focusable(body):
    for element in body.iter():
        if element is body:
            continue
        if element.tag == "a" and element.get("href") is not None:
            return element
        if element.tag in FOCUSABLE - {"a"} and element.get("type") != "hidden":
            return element
        if element.get("tabindex") not in (None, "-1"):
            return element
    return None


# --- Every page -----------------------------------------------------------------------


@pytest.mark.parametrize("page_name", PAGES)
def test_skip_to_content_link_is_the_first_focusable_element(client, page_urls, page_name):
    page = parse(client.get(page_urls[page_name]))

    body = page.find("body")
    skip = first_focusable(body)
    assert skip is body.find("a")
    assert (skip.text(), skip.get("href")) == ("Skip to content", "#content")
    assert len(page.find_all(id="content")) == 1


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_has_the_shop_header_with_a_search_box_and_a_footer(
    client, page_urls, page_name
):
    page = parse(client.get(page_urls[page_name]))

    header = page.find("header", css_class="site-header")
    shop_name = header.find("a", href=reverse("shop:home")).text()
    assert shop_name
    assert page.find("head").find("title").text().endswith(shop_name)
    search = header.find("form", role="search")
    assert search.get("action") == reverse("shop:book-list")
    assert search.get("method") == "get"
    assert search.find("input", name="q").get("type") == "search"
    assert search.find("label", for_=search.find("input", name="q").get("id"))
    assert page.find("footer").text()


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_has_a_title_description_and_one_canonical_link(client, page_urls, page_name):
    response = client.get(page_urls[page_name])

    page = parse(response)
    assert len(page.find("head").find_all("title")) == 1
    assert page.find("head").find("title").text()
    assert len(page.find_all("meta", name="description")) == 1
    assert meta_content(page, name="description")
    assert canonical(response).startswith(f"{SITE}/")


def test_each_kind_of_page_has_its_own_title(client, page_urls):
    titles = {
        name: parse(client.get(url)).find("head").find("title").text()
        for name, url in page_urls.items()
    }

    assert len(set(titles.values())) == len(titles), titles
    assert titles["book"].startswith("Conquered City by Victor Serge")
    assert titles["author"].startswith("Victor Serge")
    assert "serge" in titles["search"]


def test_book_page_description_comes_from_the_book(client, conquered_city):
    page = parse(client.get(conquered_city.get_absolute_url()))

    first_words = " ".join(conquered_city.description.split()[:8])
    assert meta_content(page, name="description").startswith(first_words)


def test_author_page_description_comes_from_the_biography(client, victor_serge):
    page = parse(client.get(victor_serge.get_absolute_url()))

    assert meta_content(page, name="description").startswith("Born in Brussels")


# --- Canonical links ------------------------------------------------------------------


def test_book_canonical_is_its_canonical_url_even_with_query_parameters(client, conquered_city):
    response = client.get(conquered_city.get_absolute_url(), {"utm_source": "x", "ref": "y"})

    assert canonical(response) == SITE + conquered_city.get_absolute_url()


def test_home_canonical_drops_query_parameters(client):
    assert canonical(client.get("/", {"utm_source": "newsletter"})) == f"{SITE}/"


def test_listing_canonical_keeps_the_filters_in_one_order(client):
    SubjectFactory(slug="poetry")

    response = client.get("/books/", {"subject": "poetry", "format": ["hardback", "ebook"]})
    reordered = client.get("/books/", {"format": ["hardback", "ebook"], "subject": "poetry"})

    expected = f"{SITE}/books/?format=hardback&format=ebook&subject=poetry"
    assert canonical(response) == expected
    assert canonical(reordered) == expected


def test_listing_canonical_leaves_out_parameters_that_are_not_filters(client):
    SubjectFactory(slug="poetry")

    response = client.get(
        "/books/", {"subject": "poetry", "utm_source": "newsletter", "fbclid": "abc123"}
    )

    assert canonical(response) == f"{SITE}/books/?subject=poetry"


def test_listing_canonical_names_the_page_after_the_first(client):
    bulk_books(30, format=BookFormat.HARDBACK)

    second = client.get("/books/", {"format": "hardback", "page": "2"})
    first = client.get("/books/", {"format": "hardback", "page": "1"})

    assert canonical(second) == f"{SITE}/books/?format=hardback&page=2"
    assert canonical(first) == f"{SITE}/books/?format=hardback"


def test_author_canonical_is_the_author_url(client, victor_serge):
    response = client.get(victor_serge.get_absolute_url(), {"utm_source": "x"})

    assert canonical(response) == SITE + victor_serge.get_absolute_url()


# --- Open Graph -----------------------------------------------------------------------


def test_book_page_has_open_graph_tags(client, conquered_city):
    conquered_city.subtitle = "A Novel"
    conquered_city.save()

    response = client.get(conquered_city.get_absolute_url(), {"utm_source": "x"})

    page = parse(response)
    assert meta_content(page, property="og:type") == "book"
    assert meta_content(page, property="og:title") == "Conquered City: A Novel"
    assert meta_content(page, property="og:url") == SITE + conquered_city.get_absolute_url()
    assert meta_content(page, property="og:url") == canonical(response)


# --- JSON-LD --------------------------------------------------------------------------


def test_book_json_ld_describes_the_book_and_its_offer(client, conquered_city):
    data = json_ld(client.get(conquered_city.get_absolute_url()))

    url = SITE + conquered_city.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Book"
    assert data["name"] == "Conquered City"
    assert data["url"] == url
    assert data["isbn"] == "9781590173664"
    assert data["bookFormat"] == "https://schema.org/Paperback"
    assert data["numberOfPages"] == 224
    assert data["author"] == [{"@type": "Person", "name": "Victor Serge"}]
    assert data["translator"] == [{"@type": "Person", "name": "Richard Greeman"}]
    assert data["publisher"] == {"@type": "Organization", "name": "NY Review Books"}
    assert data["datePublished"] == "2011-02-15"
    assert data["offers"]["@type"] == "Offer"
    assert data["offers"]["price"] == "39.99"
    assert data["offers"]["priceCurrency"] == "AUD"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


@pytest.mark.parametrize(
    ("stock", "published_in_days", "availability"),
    [
        (2, -30, "https://schema.org/InStock"),
        (0, -30, "https://schema.org/OutOfStock"),
        (0, None, "https://schema.org/OutOfStock"),
        (9, 60, "https://schema.org/PreOrder"),
        (0, 1, "https://schema.org/PreOrder"),
    ],
    ids=["in-stock", "out-of-stock", "undated-out-of-stock", "pre-order", "pre-order-no-stock"],
)
def test_book_json_ld_offer_availability(client, stock, published_in_days, availability):
    published = None if published_in_days is None else days_from_today(published_in_days)
    book = BookFactory(stock=stock, published=published)

    offers = json_ld(client.get(book.get_absolute_url()))["offers"]

    assert offers["availability"] == availability


def test_pre_order_json_ld_says_when_it_can_be_bought(client):
    release = days_from_today(60)
    book = BookFactory(published=release)

    offers = json_ld(client.get(book.get_absolute_url()))["offers"]

    assert offers["availabilityStarts"] == release.isoformat()


def test_book_json_ld_price_has_two_decimals(client):
    book = BookFactory(rrp=aud("25"))

    offers = json_ld(client.get(book.get_absolute_url()))["offers"]

    assert offers["price"] == "25.00"
    assert Decimal(offers["price"]) == book.rrp.amount


def test_book_without_a_price_has_no_offer_in_json_ld(client):
    book = BookFactory(rrp=None)

    data = json_ld(client.get(book.get_absolute_url()))

    assert data["isbn"] == book.isbn
    assert "offers" not in data


@pytest.mark.parametrize(
    "title",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT ><img src=x onerror=alert(1)>",
        "<!-- <script> & \u2028 \"quoted\" 'single'",
    ],
)
def test_title_cannot_break_out_of_the_json_ld_script(client, title):
    book = BookFactory(title=title, slug="hostile", description=title)

    response = client.get(book.get_absolute_url())

    page = parse(response)
    assert len(page.find_all("script")) == 1
    assert page.find_all("img") == []
    data = json_ld(response)
    assert data["name"] == title
    assert data["description"] == title


# --- sitemap.xml and robots.txt -------------------------------------------------------


def sitemap_locations(response) -> set[str]:
    root = ET.fromstring(response.content)  # noqa: S314 - the shop's own sitemap
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in root.findall("s:url/s:loc", namespace)}


def test_sitemap_lists_pages_visible_books_and_their_authors(client, conquered_city):
    hidden = BookFactory(title="Hidden", slug="hidden", is_visible=False)
    ghost = AuthorFactory(name="Ghost Writer", slug="ghost-writer")
    book_by(ghost, title="Ghostly", is_visible=False)
    extra = BookFactory(title="Another Book")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert sitemap_locations(response) == {
        f"{SITE}/",
        f"{SITE}/books/",
        SITE + conquered_city.get_absolute_url(),
        SITE + extra.get_absolute_url(),
        f"{SITE}/authors/victor-serge/",
        f"{SITE}/authors/richard-greeman/",
    }
    assert hidden.isbn.encode() not in response.content
    assert b"ghost-writer" not in response.content


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert client.get(f"{SITE}/sitemap.xml").status_code == 200
