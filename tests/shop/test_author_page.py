"""/authors/<slug>/: the author's biography and every visible book they wrote, translated or
edited, grouped by role and paginated."""

import datetime

import pytest

from catalogue.models import Contribution
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.html import book_card_titles, parse, section_headed, section_headings
from tests.shop.helpers import book_by, bulk_books

pytestmark = pytest.mark.django_db

Role = Contribution.Role


def test_author_page_shows_the_biography_in_paragraphs(client, victor_serge):
    response = client.get(victor_serge.get_absolute_url())

    assert response.status_code == 200
    page = parse(response)
    assert page.find("h1").text() == "Victor Serge"
    paragraphs = [p.text() for p in page.find(css_class="author__bio").find_all("p")]
    assert paragraphs == victor_serge.biography.split("\n\n")


def test_author_biography_markup_is_shown_as_text(client):
    author = AuthorFactory(biography="<script>alert(1)</script>")

    response = client.get(author.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert parse(response).find(css_class="author__bio").text() == "<script>alert(1)</script>"


def test_author_page_lists_all_their_visible_books_and_nothing_else(client, victor_serge):
    book_by(victor_serge, title="Memoirs of a Revolutionary", published=datetime.date(2012, 1, 1))
    book_by(victor_serge, title="Men in Prison", published=datetime.date(2014, 1, 1))
    book_by(victor_serge, title="Hidden Serge", is_visible=False)
    BookFactory(title="Someone Else's Book")

    response = client.get(victor_serge.get_absolute_url())

    page = parse(response)
    assert section_headings(page) == ["Books by Victor Serge"]
    assert book_card_titles(page) == ["Men in Prison", "Memoirs of a Revolutionary"]
    assert b"Hidden Serge" not in response.content


def test_author_page_groups_books_by_role(client, conquered_city, victor_serge, richard_greeman):
    book_by(richard_greeman, title="Greeman On Serge", published=datetime.date(2015, 1, 1))
    memoirs = book_by(victor_serge, title="Memoirs of a Revolutionary")
    ContributionFactory(book=memoirs, author=richard_greeman, role=Role.TRANSLATOR, position=1)
    anthology = BookFactory(title="Revolution Stories")
    ContributionFactory(book=anthology, author=richard_greeman, role=Role.EDITOR)
    hidden = BookFactory(title="Hidden Translation", is_visible=False)
    ContributionFactory(book=hidden, author=richard_greeman, role=Role.TRANSLATOR)

    response = client.get(richard_greeman.get_absolute_url())

    page = parse(response)
    assert section_headings(page) == [
        "Books by Richard Greeman",
        "Translated by Richard Greeman",
        "Edited by Richard Greeman",
    ]
    assert book_card_titles(section_headed(page, "Books by Richard Greeman")) == [
        "Greeman On Serge"
    ]
    assert sorted(book_card_titles(section_headed(page, "Translated by Richard Greeman"))) == [
        "Conquered City",
        "Memoirs of a Revolutionary",
    ]
    assert book_card_titles(section_headed(page, "Edited by Richard Greeman")) == [
        "Revolution Stories"
    ]


def test_author_page_book_cards_name_the_books_authors(client, conquered_city, richard_greeman):
    response = client.get(richard_greeman.get_absolute_url())

    card = parse(response).find("article", css_class="book-card")
    assert card.find(css_class="book-card__authors").text() == "Victor Serge"


def test_author_page_paginates_at_24_books(client, victor_serge):
    bulk_books(25, author=victor_serge)

    first = client.get(victor_serge.get_absolute_url())
    second = client.get(victor_serge.get_absolute_url(), {"page": 2})

    assert len(book_card_titles(parse(first))) == 24
    assert len(book_card_titles(parse(second))) == 1
    next_link = parse(first).find("a", rel="next").get("href")
    assert next_link == "?page=2"


@pytest.mark.parametrize("page_number", ["0", "abc", "999999", "-3"])
def test_author_page_with_a_nonsense_page_number_still_shows_books(
    client, victor_serge, page_number
):
    book_by(victor_serge, title="Men in Prison")

    response = client.get(victor_serge.get_absolute_url(), {"page": page_number})

    assert response.status_code == 200
    assert book_card_titles(parse(response)) == ["Men in Prison"]


def test_author_without_visible_books_shows_a_way_to_browse(client):
    author = AuthorFactory(name="Quiet Author")
    book_by(author, title="Hidden Work", is_visible=False)

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert book_card_titles(parse(response)) == []
    assert b"Hidden Work" not in response.content
    assert parse(response).find("main").find_all("a", href="/books/")
