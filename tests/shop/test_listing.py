"""/books/: the listing, keyword and ISBN search, filters, sorting, pagination, and what
happens when the URL carries nonsense."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from catalogue.models import BookFormat
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ImprintFactory,
    SubjectFactory,
    make_isbn,
)
from tests.html import count_in, form_errors, listed_titles, parse, result_count
from tests.shop.helpers import CONQUERED_CITY_ISBN, aud, book_by, bulk_books, days_from_today

pytestmark = pytest.mark.django_db

BOOKS = "/books/"


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def link_named(response, text: str):
    links = [a for a in parse(response).find_all("a") if a.text() == text]
    assert len(links) == 1, f"expected one link {text!r}, found {len(links)}"
    return links[0]


# --- The listing ----------------------------------------------------------------------


def test_listing_shows_visible_books_and_never_hidden_ones(client):
    BookFactory(title="Shown Book")
    BookFactory(title="Withdrawn Book", is_visible=False)

    response = client.get(BOOKS)

    assert response.status_code == 200
    assert listed_titles(response) == ["Shown Book"]


def test_listing_shows_the_result_count(client):
    for _ in range(3):
        BookFactory()
    BookFactory(is_visible=False)

    response = client.get(BOOKS)

    assert count_in(result_count(response)) == 3


def test_listing_paginates_at_24_books_a_page(client):
    bulk_books(25)

    first = client.get(BOOKS)
    second = client.get(BOOKS, {"page": 2})

    assert len(listed_titles(first)) == 24
    assert len(listed_titles(second)) == 1
    assert set(listed_titles(first)).isdisjoint(listed_titles(second))
    assert count_in(result_count(second)) == 25


def test_pagination_links_keep_the_filters(client):
    poetry = SubjectFactory(slug="poetry")
    bulk_books(25, format=BookFormat.HARDBACK, rrp=aud("20.00"), subjects=[poetry])
    bulk_books(3, format=BookFormat.PAPERBACK, rrp=aud("20.00"), subjects=[poetry], first=100)

    response = client.get(
        BOOKS, {"format": "hardback", "subject": "poetry", "sort": "title", "max_price": "50"}
    )

    next_link = parse(response).find("a", rel="next").get("href")
    assert query_of(next_link) == {
        "format": ["hardback"],
        "subject": ["poetry"],
        "sort": ["title"],
        "max_price": ["50"],
        "page": ["2"],
    }
    assert len(listed_titles(client.get(BOOKS + next_link))) == 1


def test_pagination_links_do_not_repeat_the_page_parameter(client):
    bulk_books(49)

    response = client.get(BOOKS, {"page": 2, "sort": "title"})

    page = parse(response)
    for rel, number in [("prev", "1"), ("next", "3")]:
        assert query_of(page.find("a", rel=rel).get("href")) == {
            "sort": ["title"],
            "page": [number],
        }


# --- Keyword search -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lexicon", "title"),
        ("FAMILY", "title"),
        ("memoir", "subtitle"),
        ("ginzburg", "author name"),
        ("natalia ginz", "author name"),
    ],
)
def test_keyword_search_matches_title_subtitle_and_author(client, query, field):
    author = AuthorFactory(name="Natalia Ginzburg")
    book_by(author, title="Family Lexicon", subtitle="A Memoir")
    book_by(AuthorFactory(name="Someone Else"), title="Unrelated", subtitle="Quite")

    response = client.get(BOOKS, {"q": query, "sort": "title"})

    assert listed_titles(response) == ["Family Lexicon"], f"search by {field}"


def test_keyword_search_matches_an_isbn_among_other_words(client):
    author = AuthorFactory(name="Natalia Ginzburg")
    wanted = book_by(author, title="Family Lexicon", isbn=make_isbn(11))
    book_by(author, title="The Little Virtues", isbn=make_isbn(12))

    response = client.get(BOOKS, {"q": f"ginzburg {wanted.isbn}"})

    assert response.status_code == 200
    assert listed_titles(response) == ["Family Lexicon"]


def test_keyword_search_finds_a_book_by_its_translator(client, conquered_city):
    response = client.get(BOOKS, {"q": "greeman"})

    assert listed_titles(response) == ["Conquered City"]


def test_keyword_search_needs_every_word_to_match(client):
    serge = AuthorFactory(name="Victor Serge")
    book_by(serge, title="Conquered City")
    book_by(serge, title="Men in Prison")
    book_by(AuthorFactory(name="Italo Calvino"), title="Invisible Cities")

    response = client.get(BOOKS, {"q": "serge city"})

    assert listed_titles(response) == ["Conquered City"]


def test_keyword_search_needs_every_word_of_a_long_search_to_match(client):
    # Eleven words: the last one rules out the only book the first ten describe.
    BookFactory(title="one two three four five six seven eight nine ten")

    response = client.get(BOOKS, {"q": "one two three four five six seven eight nine ten eleven"})

    assert response.status_code == 200
    assert listed_titles(response) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("garcia marquez", "Love in the Time of Cholera"),
        ("García Márquez", "Love in the Time of Cholera"),
        ("emile zola", "Germinal"),
    ],
)
def test_keyword_search_finds_accented_names_typed_with_or_without_accents(client, query, expected):
    book_by(AuthorFactory(name="Gabriel García Márquez"), title="Love in the Time of Cholera")
    book_by(AuthorFactory(name="Émile Zola"), title="Germinal")
    BookFactory(title="Unrelated")

    response = client.get(BOOKS, {"q": query})

    assert listed_titles(response) == [expected]


def test_keyword_search_never_finds_hidden_books(client, victor_serge):
    book_by(victor_serge, title="Conquered City")
    book_by(victor_serge, title="Conquered Again", is_visible=False)

    response = client.get(BOOKS, {"q": "conquered"})

    assert listed_titles(response) == ["Conquered City"]
    assert count_in(result_count(response)) == 1
    assert b"Conquered Again" not in response.content


def test_keyword_search_ignores_extra_spaces(client):
    BookFactory(title="Conquered City")
    BookFactory(title="Other")

    response = client.get(BOOKS, {"q": "  conquered    city  "})

    assert listed_titles(response) == ["Conquered City"]


def test_search_shows_what_was_searched(client):
    BookFactory(title="Conquered City")

    response = client.get(BOOKS, {"q": "conquered"})

    page = parse(response)
    assert "conquered" in page.find("h1").text()
    assert page.find("input", id="filter-q").get("value") == "conquered"
    assert page.find("input", id="site-search-q").get("value") == "conquered"


def test_search_text_is_escaped_wherever_it_is_shown(client):
    hostile = '<script>alert("x")</script>'

    response = client.get(BOOKS, {"q": hostile})

    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert "&lt;script&gt;" in response.content.decode()


# --- ISBN search ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        CONQUERED_CITY_ISBN,
        "978-1-59017-366-4",
        "978 1 59017 366 4",
        "159017366X",
        "1-59017-366-x",
        "  9781590173664  ",
    ],
)
def test_isbn_search_jumps_to_the_book(client, conquered_city, typed):
    response = client.get(BOOKS, {"q": typed})

    assert response.status_code == 302
    assert response.url == conquered_city.get_absolute_url()


def test_isbn_search_for_a_book_the_shop_does_not_have_says_so(client, conquered_city):
    response = client.get(BOOKS, {"q": "978-0-14-044926-6"})

    assert response.status_code == 200
    assert listed_titles(response) == []
    empty = parse(response).find(css_class="empty").text()
    assert "We don’t have a book with the ISBN 978-0-14-044926-6" in empty


def test_isbn_search_never_jumps_to_a_hidden_book(client, conquered_city):
    conquered_city.is_visible = False
    conquered_city.save()

    response = client.get(BOOKS, {"q": CONQUERED_CITY_ISBN})

    assert response.status_code == 200
    assert listed_titles(response) == []
    assert "We don’t have a book with the ISBN" in parse(response).find(css_class="empty").text()


def test_isbn_search_with_a_wrong_check_digit_does_not_fail(client, conquered_city):
    response = client.get(BOOKS, {"q": "9781590173665"})

    assert response.status_code == 200
    assert listed_titles(response) == []


# --- Filters --------------------------------------------------------------------------


def test_format_filter_allows_several_formats(client):
    BookFactory(title="Hardback Book", format=BookFormat.HARDBACK)
    BookFactory(title="Paperback Book", format=BookFormat.PAPERBACK)
    BookFactory(title="Ebook Book", format=BookFormat.EBOOK)

    one = client.get(BOOKS, {"format": "paperback"})
    two = client.get(BOOKS, {"format": ["hardback", "ebook"], "sort": "title"})

    assert listed_titles(one) == ["Paperback Book"]
    assert listed_titles(two) == ["Ebook Book", "Hardback Book"]


def test_subject_filter_shows_only_books_on_that_subject(client):
    poetry = SubjectFactory(name="Poetry", slug="poetry")
    BookFactory(title="Poems").subjects.add(poetry)
    BookFactory(title="Novel").subjects.add(SubjectFactory(name="Fiction", slug="fiction"))

    response = client.get(BOOKS, {"subject": "poetry"})

    assert listed_titles(response) == ["Poems"]


def test_imprint_filter_shows_only_books_from_that_imprint(client):
    BookFactory(title="NYRB Book", imprint=ImprintFactory(name="NYRB Classics", slug="nyrb"))
    BookFactory(title="Text Book", imprint=ImprintFactory(name="Text Publishing", slug="text"))

    response = client.get(BOOKS, {"imprint": "nyrb"})

    assert listed_titles(response) == ["NYRB Book"]


@pytest.fixture
def priced_books():
    for title, price in [("Ten", "10.00"), ("Twenty", "20.00"), ("Thirty", "30.00")]:
        BookFactory(title=title, rrp=aud(price))
    BookFactory(title="Forty", rrp=aud("40.00"))
    BookFactory(title="Unpriced", rrp=None)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"min_price": "15"}, ["Forty", "Thirty", "Twenty"]),
        ({"max_price": "25"}, ["Ten", "Twenty"]),
        ({"min_price": "15", "max_price": "35"}, ["Thirty", "Twenty"]),
        ({"min_price": "20", "max_price": "30"}, ["Thirty", "Twenty"]),
        ({"min_price": "35", "max_price": "15"}, ["Thirty", "Twenty"]),
    ],
    ids=["min-only", "max-only", "range", "bounds-inclusive", "swapped-bounds"],
)
def test_price_filter_keeps_books_within_the_range(client, priced_books, params, expected):
    response = client.get(BOOKS, {**params, "sort": "title"})

    assert listed_titles(response) == expected


def test_swapped_price_bounds_are_shown_the_right_way_round(client, priced_books):
    response = client.get(BOOKS, {"min_price": "35", "max_price": "15"})

    page = parse(response)
    assert form_errors(response) == []
    assert page.find("input", name="min_price").get("value") == "15"
    assert page.find("input", name="max_price").get("value") == "35"


@pytest.fixture
def books_by_availability():
    BookFactory(title="On The Shelf", stock=4, published=days_from_today(-30))
    BookFactory(title="Coming Next Month", stock=0, published=days_from_today(30))
    BookFactory(title="Sold Out", stock=0, published=days_from_today(-30))


@pytest.mark.parametrize(
    ("availability", "expected"),
    [("in-stock", ["On The Shelf"]), ("pre-order", ["Coming Next Month"])],
)
def test_availability_filter_keeps_only_books_with_that_availability(
    client, books_by_availability, availability, expected
):
    response = client.get(BOOKS, {"availability": availability})

    assert listed_titles(response) == expected


def test_filters_combine_with_search(client):
    serge = AuthorFactory(name="Victor Serge")
    book_by(serge, title="Serge Hardback", format=BookFormat.HARDBACK)
    book_by(serge, title="Serge Paperback", format=BookFormat.PAPERBACK)
    BookFactory(title="Other Hardback", format=BookFormat.HARDBACK)

    response = client.get(BOOKS, {"q": "serge", "format": "hardback"})

    assert listed_titles(response) == ["Serge Hardback"]


def test_each_filter_in_force_has_a_link_that_removes_it(client):
    subject = SubjectFactory(name="Poetry", slug="poetry")
    BookFactory(format=BookFormat.HARDBACK).subjects.add(subject)

    response = client.get(BOOKS, {"format": ["hardback", "ebook"], "subject": "poetry"})

    links = {
        a.text().split("×")[0].strip(): query_of(a.get("href"))
        for a in parse(response).find("ul", css_class="active-filters").find_all("a")
    }
    assert links == {
        "Hardback": {"format": ["ebook"], "subject": ["poetry"]},
        "eBook": {"format": ["hardback"], "subject": ["poetry"]},
        "Subject: Poetry": {"format": ["hardback", "ebook"]},
    }


# --- Sorting --------------------------------------------------------------------------


def test_relevance_puts_an_exact_title_match_first(client):
    BookFactory(title="Down the Road", published=datetime.date(2024, 1, 1))
    BookFactory(title="The Road Home", published=datetime.date(2023, 1, 1))
    BookFactory(title="Essays", subtitle="On the Road", published=datetime.date(2025, 1, 1))
    BookFactory(title="The Road", published=datetime.date(2006, 1, 1))

    response = client.get(BOOKS, {"q": "the road"})

    titles = listed_titles(response)
    assert titles[0] == "The Road"
    assert sorted(titles) == ["Down the Road", "Essays", "The Road", "The Road Home"]


def test_relevance_is_the_default_order_when_searching(client):
    BookFactory(title="Road Stories", published=datetime.date(2024, 1, 1))
    BookFactory(title="Road", published=datetime.date(2001, 1, 1))

    response = client.get(BOOKS, {"q": "road"})

    assert listed_titles(response) == ["Road", "Road Stories"]
    selected = parse(response).find("select", name="sort").find("option", selected="")
    assert selected.get("value") == "relevance"


def test_newest_is_the_default_order_without_a_search(client):
    BookFactory(title="Middle", published=datetime.date(2015, 6, 1))
    BookFactory(title="Newest", published=datetime.date(2024, 6, 1))
    BookFactory(title="Oldest", published=datetime.date(1999, 6, 1))

    assert listed_titles(client.get(BOOKS)) == ["Newest", "Middle", "Oldest"]
    assert listed_titles(client.get(BOOKS, {"sort": "relevance"})) == [
        "Newest",
        "Middle",
        "Oldest",
    ]


def test_sort_by_title_orders_books_alphabetically(client):
    for title in ["Cicada", "Atlas", "Birds"]:
        BookFactory(title=title)

    response = client.get(BOOKS, {"sort": "title"})

    assert listed_titles(response) == ["Atlas", "Birds", "Cicada"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price-low", ["Ten", "Twenty", "Thirty", "Forty", "Unpriced"]),
        ("price-high", ["Forty", "Thirty", "Twenty", "Ten", "Unpriced"]),
    ],
)
def test_sort_by_price_puts_books_without_a_price_last(client, priced_books, sort, expected):
    response = client.get(BOOKS, {"sort": sort})

    assert listed_titles(response) == expected


def test_newest_sort_overrides_relevance_when_searching(client):
    BookFactory(title="Road", published=datetime.date(2001, 1, 1))
    BookFactory(title="Road Stories", published=datetime.date(2024, 1, 1))

    response = client.get(BOOKS, {"q": "road", "sort": "newest"})

    assert listed_titles(response) == ["Road Stories", "Road"]


# --- Empty results --------------------------------------------------------------------


def test_empty_search_says_what_was_searched_and_offers_a_wider_search(client):
    BookFactory(title="The Case of Comrade Tulayev", format=BookFormat.PAPERBACK)

    response = client.get(BOOKS, {"q": "tulayev", "format": "audiobook"})

    assert listed_titles(response) == []
    assert count_in(result_count(response)) == 0
    assert "“tulayev”" in parse(response).find(css_class="empty").text()
    wider = link_named(response, "Search again without the filters").get("href")
    assert query_of(wider) == {"q": ["tulayev"]}
    assert listed_titles(client.get(BOOKS + wider)) == ["The Case of Comrade Tulayev"]
    assert link_named(response, "Browse all books").get("href") == reverse("shop:book-list")


def test_empty_filter_result_offers_a_link_without_the_filters(client):
    BookFactory(title="Paperback", format=BookFormat.PAPERBACK)

    response = client.get(BOOKS, {"format": "audiobook", "min_price": "1"})

    assert listed_titles(response) == []
    wider = link_named(response, "Search again without the filters").get("href")
    assert query_of(wider) == {}
    assert listed_titles(client.get(BOOKS + wider)) == ["Paperback"]


# --- Nonsense in the URL --------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "reported_field"),
    [
        ({"sort": "cheapest-first"}, "Sort"),
        ({"page": "0"}, None),
        ({"page": "-1"}, None),
        ({"page": "999999"}, None),
        ({"page": "abc"}, None),
        ({"page": "9" * 5000}, None),
        ({"min_price": "cheap"}, "From $"),
        ({"max_price": "abc"}, "To $"),
        ({"min_price": "-5"}, "From $"),
        ({"max_price": "-0.01"}, "To $"),
        ({"min_price": "NaN"}, "From $"),
        ({"max_price": "Infinity"}, "To $"),
        ({"min_price": "1e999999"}, "From $"),
        ({"format": "scroll"}, "Format"),
        ({"availability": "whenever"}, "Availability"),
        ({"subject": "not a slug!"}, "Subject"),
        ({"q": "x" * 5000}, "Search"),
        ({"q": "nul\x00byte"}, "Search"),
    ],
)
def test_nonsense_parameters_still_show_books_with_a_message(client, params, reported_field):
    BookFactory(title="Still Here")

    response = client.get(BOOKS, params)

    assert response.status_code == 200
    assert listed_titles(response) == ["Still Here"]
    errors = form_errors(response)
    if reported_field is None:
        assert errors == []
    else:
        assert [error.split(": ")[0] for error in errors] == [reported_field]


@pytest.mark.parametrize("params", [{"subject": "no-such-subject"}, {"imprint": "no-such-imprint"}])
def test_unknown_subject_or_imprint_slug_shows_a_way_back(client, params):
    BookFactory(title="Still Here")

    response = client.get(BOOKS, params)

    assert response.status_code == 200
    wider = link_named(response, "Search again without the filters").get("href")
    assert listed_titles(client.get(BOOKS + wider)) == ["Still Here"]


def test_a_search_of_only_spaces_lists_every_book(client):
    BookFactory(title="Still Here")

    response = client.get(BOOKS, {"q": "     "})

    assert response.status_code == 200
    assert listed_titles(response) == ["Still Here"]
    assert parse(response).find("h1").text() == "Books"


@pytest.mark.parametrize(
    "query_string",
    [
        "sort=title&sort=bogus&sort=price-low",
        "page=1&page=2&page=x",
        "q=a&q=b",
        "min_price=1&min_price=x",
        "subject=a&subject=b",
        "imprint=a&imprint=b",
        "availability=in-stock&availability=pre-order",
        "format=hardback&format=hardback",
    ],
)
def test_repeated_parameters_do_not_break_the_listing(client, query_string):
    BookFactory(title="Still Here")

    response = client.get(f"{BOOKS}?{query_string}")

    assert response.status_code == 200
    assert parse(response).find("section", css_class="listing__results")


def test_a_page_past_the_end_shows_the_last_page(client):
    bulk_books(25)

    response = client.get(BOOKS, {"page": 999999})

    assert len(listed_titles(response)) == 1
    assert parse(response).find("span", aria_current="page").text() == "2"


# --- Methods --------------------------------------------------------------------------


def test_post_to_the_listing_is_not_allowed(client):
    response = client.post(BOOKS, {"q": "anything"})

    assert response.status_code == 405
    assert "POST" not in response["Allow"]
