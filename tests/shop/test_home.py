"""The home page: new releases, coming soon (pre-orders) and a few subject shelves."""

import datetime

import pytest

from shop import views
from tests.factories import BookFactory, SubjectFactory
from tests.html import book_card_titles, parse, section_headed, section_headings
from tests.shop.helpers import days_from_today

pytestmark = pytest.mark.django_db

HOME = "/"


def subject_shelves(page):
    """{subject name: titles} for each subject shelf on the page."""
    return {
        section.find("h2").text(): book_card_titles(section)
        for section in page.find_all("section")
        if (section.get("aria-labelledby") or "").startswith("shelf-")
    }


def test_home_new_releases_are_published_books_newest_first(client):
    BookFactory(title="Last Year", published=days_from_today(-365))
    BookFactory(title="Last Week", published=days_from_today(-7))
    BookFactory(title="Today", published=days_from_today(0))
    BookFactory(title="Long Ago", published=datetime.date(1990, 5, 1))
    BookFactory(title="Next Month", published=days_from_today(30))

    response = client.get(HOME)

    assert response.status_code == 200
    new_releases = section_headed(parse(response), "New releases")
    assert book_card_titles(new_releases) == ["Today", "Last Week", "Last Year", "Long Ago"]


def test_home_coming_soon_lists_pre_orders_soonest_first(client):
    BookFactory(title="In Two Months", published=days_from_today(60))
    BookFactory(title="Tomorrow", published=days_from_today(1))
    BookFactory(title="Out Already", published=days_from_today(-1))

    response = client.get(HOME)

    coming_soon = section_headed(parse(response), "Coming soon")
    assert book_card_titles(coming_soon) == ["Tomorrow", "In Two Months"]
    pre_order_note = coming_soon.find(css_class="availability").text()
    assert pre_order_note.startswith("Pre-order")


def test_home_has_no_coming_soon_shelf_without_pre_orders(client):
    BookFactory(title="Out Already", published=days_from_today(-1))

    response = client.get(HOME)

    assert "Coming soon" not in section_headings(parse(response))


def test_home_shows_subject_shelves_with_their_books(client):
    poetry = SubjectFactory(name="Poetry", slug="poetry")
    history = SubjectFactory(name="History", slug="history")
    BookFactory(title="Odes").subjects.add(poetry)
    BookFactory(title="Sonnets", published=datetime.date(2021, 1, 1)).subjects.add(poetry)
    BookFactory(title="Chronicles").subjects.add(history)

    response = client.get(HOME)

    page = parse(response)
    assert subject_shelves(page) == {"Poetry": ["Sonnets", "Odes"], "History": ["Chronicles"]}
    more = section_headed(page, "Poetry").find("a", href="/books/?subject=poetry")
    assert sorted(book_card_titles(parse(client.get(more.get("href"))))) == ["Odes", "Sonnets"]


def test_home_shows_only_a_few_subject_shelves(client):
    for number in range(views.SHELVES_ON_HOME + 2):
        BookFactory().subjects.add(SubjectFactory(name=f"Subject {number}"))

    response = client.get(HOME)

    assert len(subject_shelves(parse(response))) == views.SHELVES_ON_HOME


def test_home_never_shows_an_empty_subject_shelf(client):
    # The only visible book on the subject is a pre-order: a shelf for it must show that
    # book or not be there at all, never a heading over nothing.
    poetry = SubjectFactory(name="Poetry", slug="poetry")
    BookFactory(title="Forthcoming Poems", published=days_from_today(20)).subjects.add(poetry)
    BookFactory(title="Old Novel").subjects.add(SubjectFactory(name="Fiction", slug="fiction"))

    response = client.get(HOME)

    shelves = subject_shelves(parse(response))
    assert shelves["Fiction"] == ["Old Novel"]
    assert all(titles for titles in shelves.values()), shelves


def test_home_never_shows_hidden_books(client):
    subject = SubjectFactory(name="Poetry", slug="poetry")
    BookFactory(title="Visible Poems").subjects.add(subject)
    BookFactory(title="Hidden New Release", is_visible=False, published=days_from_today(-1))
    BookFactory(title="Hidden Pre-order", is_visible=False, published=days_from_today(10))
    BookFactory(title="Hidden Poems", is_visible=False).subjects.add(subject)
    hidden_only = SubjectFactory(name="Secret Subject", slug="secret")
    BookFactory(title="Hidden Secret", is_visible=False).subjects.add(hidden_only)

    response = client.get(HOME)

    assert b"Hidden" not in response.content
    page = parse(response)
    assert book_card_titles(page) == ["Visible Poems", "Visible Poems"]  # new releases, shelf
    assert "Secret Subject" not in section_headings(page)
