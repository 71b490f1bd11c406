"""Imported books in the shop: found by keyword search, shown on their page with the
feed's description, credits and praise, and nothing from a feed able to run script."""

import datetime
import io

import pytest
from django.urls import reverse

from catalogue.onix import import_onix
from catalogue.richtext import render_rich_text
from catalogue.templatetags.richtext import as_plain_text
from tests.catalogue.onix.onix_fixtures import fixture, message, product
from tests.factories import BookFactory
from tests.html import facts, listed_titles, parse, section_headed, start_tags

pytestmark = pytest.mark.django_db


def assert_harmless(content: str, where: str = "") -> None:
    """Nothing a feed sent can run: no element from it (<xss>), no event-handler
    attribute, no javascript: link, and no script but the page's own structured data."""
    for element in start_tags(content):
        tag, attrs = element.tag, element.attrs
        assert tag != "xss", where
        assert not [name for name in attrs if name.startswith("on")], (where, tag, attrs)
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), where
        if tag == "script":
            assert attrs == {"type": "application/ld+json"}, where


def imported_book_page(client):
    import_onix(fixture("two_authors.xml"))
    from catalogue.models import Book

    book = Book.objects.get(isbn="9781920000011")
    return book, client.get(book.get_absolute_url())


def test_an_imported_book_is_found_by_keyword_search(client):
    import_onix(fixture("two_authors.xml"))

    for words in ["long winter", "haddad", "jensen", "dimitrov", "9781920000011"]:
        response = client.get(reverse("shop:book-list"), {"q": words}, follow=True)
        if response.redirect_chain:  # an ISBN goes straight to the book
            assert response.redirect_chain[-1][0].endswith("the-long-winter-9781920000011/")
        else:
            assert listed_titles(response) == ["The Long Winter"], words


def test_an_imported_book_page_shows_what_the_feed_said(client):
    _book, response = imported_book_page(client)

    assert response.status_code == 200
    page = parse(response)
    assert page.find("h1").text() == "The Long Winter"
    credits = [li.text() for li in page.find("ul", css_class="contributors").find_all("li")]
    assert credits == [
        "Clara Haddad",
        "Farid Ito",
        "Translated by Greta Jensen",
        "Introduction by Otto Dimitrov",
    ]
    assert facts(page) == [
        ("Published", "4 March 2021"),
        ("ISBN", "9781920000011"),
        ("Imprint", "Harbour Editions"),
        ("Format", "Hardback"),
        ("Pages", "312"),
        ("RRP", "$34.99"),
    ]
    description = (
        response.content.decode().split('class="description"', 1)[1].split("</section>")[0]
    )
    assert "<p>A ferry stops running and a town <em>waits</em>.</p>" in description
    assert "<p>Then the <strong>ice</strong> comes.</p>" in description
    praise = section_headed(page, "Praise for The Long Winter")
    assert [q.text() for q in praise.find_all("blockquote")] == [
        "‘Cold, clear and unforgettable.’",
        "‘A book to read by the fire.’",
    ]


def hostile_feed() -> bytes:
    description = (
        '<p onclick="alert(1)">Safe <em>words</em>.</p><script>alert("XSS")</script>'
        '<img src="x" onerror="alert(2)"/><a href="javascript:alert(3)">link</a>'
    )
    collateral = (
        "<CollateralDetail><TextContent><TextType>03</TextType>"
        f'<Text textformat="05">{description}</Text></TextContent>'
        "<TextContent><TextType>06</TextType><Text textformat=\"02\">&lt;p onmouseover='x()'"
        "&gt;Loved it&lt;script&gt;alert('XSS')&lt;/script&gt;&lt;/p&gt;</Text>"
        "<SourceTitle>&lt;XSS&gt; Weekly</SourceTitle></TextContent></CollateralDetail>"
    )
    descriptive = (
        "<DescriptiveDetail><ProductForm>BC</ProductForm><TitleDetail><TitleType>01</TitleType>"
        "<TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>Title &lt;script"
        "&gt;alert('XSS')&lt;/script&gt;</TitleText></TitleElement></TitleDetail><Contributor>"
        "<ContributorRole>A01</ContributorRole><PersonName>Eve &lt;XSS&gt; Hacker</PersonName>"
        '<BiographicalNote textformat="05"><p onclick="alert(4)">Bio</p><script>alert(5)'
        "</script></BiographicalNote></Contributor></DescriptiveDetail>"
    )
    return message(product(descriptive=descriptive, collateral=collateral))


def test_script_in_a_feed_never_reaches_a_page(client):
    import_onix(io.BytesIO(hostile_feed()))
    from catalogue.models import Author, Book

    book = Book.objects.get()
    author = Author.objects.get()
    for url in [book.get_absolute_url(), author.get_absolute_url(), reverse("shop:book-list")]:
        assert_harmless(client.get(url).content.decode(), url)
    book_page = client.get(book.get_absolute_url()).content.decode()
    assert "<p>Safe <em>words</em>.</p>" in book_page
    assert "Title &lt;script&gt;alert(&#x27;XSS&#x27;)&lt;/script&gt;" in book_page


def test_html_that_reached_the_database_another_way_is_sanitised_again(client):
    book = BookFactory(
        description='<p onclick="alert(1)">Hi</p><script>alert("XSS")</script><p>there</p>'
    )

    content = client.get(book.get_absolute_url()).content.decode()

    assert "<p>Hi</p><p>there</p>" in content
    assert_harmless(content)


def test_a_plain_text_description_keeps_its_paragraphs_and_is_escaped(client):
    book = BookFactory(description="First line\nstill first.\n\nSecond <b>bold?</b> & more.")

    content = client.get(book.get_absolute_url()).content.decode()

    assert "<p>First line<br>still first.</p>" in content
    assert "<p>Second &lt;b&gt;bold?&lt;/b&gt; &amp; more.</p>" in content


def test_rich_text_rendering_rules():
    assert render_rich_text("") == ""
    assert render_rich_text("<p>A <em>b</em></p>") == "<p>A <em>b</em></p>"
    assert render_rich_text("<ul><li>x</li></ul><iframe src=x></iframe>") == "<ul><li>x</li></ul>"
    assert render_rich_text("a < b") == "<p>a &lt; b</p>"
    assert as_plain_text("<p>One <em>two</em>.</p><p>Three.</p>") == "One two.\n\nThree."
    assert as_plain_text("Plain & simple") == "Plain & simple"


def test_a_hidden_book_page_is_gone(client):
    import_onix(fixture("two_authors.xml"))
    import_onix(fixture("notification_05.xml"))
    from catalogue.models import Book

    book = Book.objects.get(isbn="9781920000011")

    assert client.get(book.get_absolute_url()).status_code == 404


def test_a_forthcoming_imported_book_is_a_pre_order(client):
    future = (datetime.date.today() + datetime.timedelta(days=60)).strftime("%Y%m%d")
    publishing = (
        "<PublishingDetail><PublishingDate><PublishingDateRole>01</PublishingDateRole>"
        f"<Date>{future}</Date></PublishingDate></PublishingDetail>"
    )
    import_onix(io.BytesIO(message(product(publishing=publishing))))
    from catalogue.models import Availability, Book

    assert Book.objects.get().availability == Availability.PRE_ORDER
