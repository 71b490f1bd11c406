"""The book page: everything the publisher's page for Conquered City shows, in the same order,
plus contributor roles, availability and a generated cover when there is no upload."""

import datetime

import pytest
from django.utils.dateformat import format as format_date

from catalogue.models import BookFormat, Contribution
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, ReviewFactory
from tests.html import book_card_titles, facts, parse, section_headed, section_headings
from tests.shop.helpers import CONQUERED_CITY_ISBN, book_by, days_from_today

pytestmark = pytest.mark.django_db


# The facts list on the publisher's page (shared/seed/conquered-city-page.txt), in order.
SEED_FACTS = [
    ("Published", "15 February 2011"),
    ("ISBN", CONQUERED_CITY_ISBN),
    ("Imprint", "NY Review Books"),
    ("Format", "Paperback"),
    ("Pages", "224"),
    ("RRP", "$39.99"),
]


# --- Title, contributors and facts ----------------------------------------------------


def test_book_page_shows_title_subtitle_and_contributors_with_roles(client, conquered_city):
    conquered_city.subtitle = "A Novel"
    conquered_city.save()

    response = client.get(conquered_city.get_absolute_url())

    assert response.status_code == 200
    header = parse(response).find("header", css_class="book__header")
    assert header.find("h1").text() == "Conquered City"
    assert header.find(css_class="book__subtitle").text() == "A Novel"
    credits = [li.text() for li in header.find("ul", css_class="contributors").find_all("li")]
    assert credits == ["Victor Serge", "Translated by Richard Greeman"]


def test_each_contributor_links_to_their_author_page(
    client, conquered_city, victor_serge, richard_greeman
):
    response = client.get(conquered_city.get_absolute_url())

    links = parse(response).find("ul", css_class="contributors").find_all("a")
    assert [(a.text(), a.get("href")) for a in links] == [
        ("Victor Serge", victor_serge.get_absolute_url()),
        ("Richard Greeman", richard_greeman.get_absolute_url()),
    ]
    assert client.get(links[1].get("href")).status_code == 200


def test_book_page_shows_the_facts_as_the_publishers_page_does(client, conquered_city):
    response = client.get(conquered_city.get_absolute_url())

    assert facts(parse(response)) == SEED_FACTS


def test_book_page_facts_leave_out_what_the_book_does_not_have(client):
    book = BookFactory(published=None, imprint=None, pages=None, rrp=None)

    response = client.get(book.get_absolute_url())

    assert facts(parse(response)) == [("ISBN", book.isbn), ("Format", "Paperback")]


def test_book_page_imprint_links_to_its_books(client, conquered_city):
    other = BookFactory(title="Also From NYRB", imprint=conquered_city.imprint)
    BookFactory(title="Elsewhere")

    response = client.get(conquered_city.get_absolute_url())

    href = parse(response).find("dl", css_class="facts").find("a").get("href")
    listing = client.get(href)
    assert sorted(book_card_titles(parse(listing))) == sorted(["Conquered City", other.title])


# --- Availability ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stock", "days", "expected"),
    [
        (5, -10, "In stock"),
        (0, -10, "Out of stock"),
    ],
)
def test_book_page_shows_availability(client, stock, days, expected):
    book = BookFactory(stock=stock, published=days_from_today(days))

    response = client.get(book.get_absolute_url())

    buy = parse(response).find("section", css_class="buy")
    assert buy.find(css_class="availability").text() == expected


def test_pre_order_shows_its_release_date(client):
    release = days_from_today(45)
    book = BookFactory(stock=0, published=release)

    response = client.get(book.get_absolute_url())

    availability = parse(response).find("section", css_class="buy").find(css_class="availability")
    assert availability.text() == f"Pre-order · out {format_date(release, 'j F Y')}"


def test_book_without_a_price_is_not_for_sale(client):
    book = BookFactory(rrp=None)

    response = client.get(book.get_absolute_url())

    buy = parse(response).find("section", css_class="buy")
    assert buy.find(css_class="availability").text() == "Not for sale"
    assert buy.find_all(css_class="buy__price") == []


# --- Cover ----------------------------------------------------------------------------


def test_uploaded_cover_has_alt_text_naming_the_book(client):
    book = BookFactory(title="Conquered City", subtitle="A Novel", cover="covers/cc.jpg")

    response = client.get(book.get_absolute_url())

    cover = parse(response).find(css_class="book__cover").find("img")
    assert cover.get("alt") == "Cover of Conquered City: A Novel"


def test_generated_cover_is_labelled_with_the_book(client, conquered_city):
    response = client.get(conquered_city.get_absolute_url())

    cover = parse(response).find(css_class="book__cover")
    assert cover.find_all("img") == []
    assert cover.find("svg").get("aria-label") == "Cover of Conquered City by Victor Serge"
    assert cover.find("svg").get("role") == "img"


# --- Description and subjects ---------------------------------------------------------


def test_description_is_shown_in_paragraphs(client, conquered_city):
    response = client.get(conquered_city.get_absolute_url())

    description = parse(response).find("section", css_class="description")
    paragraphs = [p.text() for p in description.find_all("p")]
    assert paragraphs == [part.strip() for part in conquered_city.description.split("\n\n")]


def test_description_markup_is_shown_as_text(client):
    book = BookFactory(description='Bold claims.\n\n<script>alert("x")</script><b>loud</b>')

    response = client.get(book.get_absolute_url())

    html = response.content.decode()
    assert '<script>alert("x")' not in html
    assert "<b>loud</b>" not in html
    description = parse(response).find("section", css_class="description")
    assert description.find_all("script") == []
    assert description.find_all("p")[1].text() == '<script>alert("x")</script><b>loud</b>'


def test_subjects_link_to_listings_of_that_subject(client, conquered_city):
    on_subject = BookFactory(title="Other Fiction")
    on_subject.subjects.add(conquered_city.subjects.get(slug="fiction"))
    BookFactory(title="No Subject")

    response = client.get(conquered_city.get_absolute_url())

    links = parse(response).find("ul", css_class="tags").find_all("a")
    assert [a.text() for a in links] == ["Fiction", "Russian history"]
    listing = client.get(links[0].get("href"))
    assert sorted(book_card_titles(parse(listing))) == ["Conquered City", "Other Fiction"]


# --- Also by --------------------------------------------------------------------------


def test_also_by_shows_the_authors_other_visible_books(client, conquered_city, victor_serge):
    book_by(victor_serge, title="Memoirs of a Revolutionary", published=datetime.date(2012, 1, 1))
    book_by(victor_serge, title="Unforgiving Years", published=datetime.date(2008, 1, 1))
    book_by(victor_serge, title="Hidden Serge", is_visible=False)
    book_by(victor_serge, role=Contribution.Role.TRANSLATOR, title="Translated By Serge")
    BookFactory(title="Nothing To Do With Serge")

    response = client.get(conquered_city.get_absolute_url())

    also_by = section_headed(parse(response), "Also by Victor Serge")
    assert book_card_titles(also_by) == ["Memoirs of a Revolutionary", "Unforgiving Years"]


def test_also_by_has_a_see_all_link_to_the_author_page(client, conquered_city, victor_serge):
    book_by(victor_serge, title="Memoirs of a Revolutionary")

    response = client.get(conquered_city.get_absolute_url())

    also_by = section_headed(parse(response), "Also by Victor Serge")
    see_all = [a for a in also_by.find_all("a") if a.text().startswith("See all")]
    assert [a.get("href") for a in see_all] == [victor_serge.get_absolute_url()]


def test_also_by_has_one_strip_per_author(client):
    first, second = AuthorFactory(name="Anna Author"), AuthorFactory(name="Bruno Writer")
    book = BookFactory(title="Joint Work")
    ContributionFactory(book=book, author=first, position=0)
    ContributionFactory(book=book, author=second, position=1)
    book_by(first, title="Anna Alone")
    book_by(second, title="Bruno Alone")

    response = client.get(book.get_absolute_url())

    page = parse(response)
    assert book_card_titles(section_headed(page, "Also by Anna Author")) == ["Anna Alone"]
    assert book_card_titles(section_headed(page, "Also by Bruno Writer")) == ["Bruno Alone"]


def test_no_also_by_strip_when_the_author_has_no_other_visible_book(
    client, conquered_city, victor_serge
):
    book_by(victor_serge, title="Hidden Serge", is_visible=False)

    response = client.get(conquered_city.get_absolute_url())

    headings = section_headings(parse(response))
    assert not [heading for heading in headings if heading.startswith("Also by")]
    assert b"Hidden Serge" not in response.content


def test_translator_gets_no_also_by_strip(client, conquered_city, richard_greeman):
    book_by(richard_greeman, title="Greeman's Own Book")

    response = client.get(conquered_city.get_absolute_url())

    assert "Also by Richard Greeman" not in section_headings(parse(response))


# --- Praise ---------------------------------------------------------------------------


def test_praise_shows_each_quote_with_its_source_in_order(client, conquered_city):
    response = client.get(conquered_city.get_absolute_url())

    praise = section_headed(parse(response), "Praise for Conquered City")
    quotes = [
        (figure.find("blockquote").text(), figure.find("figcaption").text())
        for figure in praise.find_all("figure")
    ]
    assert quotes == [
        ("I know of no other writer like him.", "— John Berger"),
        ("Serge searingly evoked the epochal hopes.", "— Bookforum"),
        ("Faultlessly captures the labyrinth.", "— The Atlantic"),
    ]


def test_praise_source_links_to_the_review_when_it_has_a_url(client):
    book = BookFactory(title="Linked")
    ReviewFactory(book=book, source="Bookforum", url="https://example.com/review")

    response = client.get(book.get_absolute_url())

    link = section_headed(parse(response), "Praise for Linked").find("figcaption").find("a")
    assert (link.text(), link.get("href")) == ("Bookforum", "https://example.com/review")


def test_no_praise_section_without_reviews(client):
    book = BookFactory(title="Unreviewed")

    response = client.get(book.get_absolute_url())

    assert "Praise for Unreviewed" not in section_headings(parse(response))


# --- The order of the page ------------------------------------------------------------


def test_book_page_follows_the_publishers_order(client, conquered_city, victor_serge):
    book_by(victor_serge, title="Memoirs of a Revolutionary")

    response = client.get(conquered_city.get_absolute_url())

    html = response.content.decode()
    landmarks = [
        'class="facts"',
        'class="description"',
        ">Also by Victor Serge<",
        ">Praise for Conquered City<",
    ]
    positions = [html.index(landmark) for landmark in landmarks]
    assert positions == sorted(positions)


def test_book_page_shows_the_format_label(client):
    book = BookFactory(format=BookFormat.HARDBACK)

    response = client.get(book.get_absolute_url())

    assert dict(facts(parse(response)))["Format"] == "Hardback"


# --- Hidden books ---------------------------------------------------------------------


def test_hiding_a_book_takes_it_out_of_the_shop_at_once(
    client, conquered_city, victor_serge, django_capture_on_commit_callbacks
):
    other = book_by(victor_serge, title="Memoirs of a Revolutionary")
    pages_showing_it = [
        "/",
        "/books/",
        "/books/?q=conquered",
        other.get_absolute_url(),
        victor_serge.get_absolute_url(),
    ]
    for url in pages_showing_it:
        assert b"Conquered City" in client.get(url).content, url
    assert client.get(conquered_city.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # as staff's admin save commits
        conquered_city.is_visible = False
        conquered_city.save()

    assert client.get(conquered_city.get_absolute_url()).status_code == 404
    for url in pages_showing_it:
        response = client.get(url)
        assert response.status_code == 200
        assert b"Conquered City" not in response.content, url
