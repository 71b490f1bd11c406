"""Every page reads the catalogue in a small, fixed number of queries: the same with 10 books
as with 200, and pinned, so a missing select_related or prefetch shows up here first."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from catalogue.models import Author, Book, BookFormat, Contribution, Imprint, Review, Subject
from tests.factories import make_isbn
from tests.html import book_card_titles, parse
from tests.shop.helpers import aud, days_from_today

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 200
FORMATS = [BookFormat.PAPERBACK, BookFormat.HARDBACK, BookFormat.EBOOK]


@dataclass
class Catalogue:
    """A catalogue built in a handful of bulk inserts, that can be grown the same way."""

    imprints: list[Imprint]
    subjects: list[Subject]
    authors: list[Author]
    translator: Author
    books: list[Book] = field(default_factory=list)

    @classmethod
    def create(cls) -> "Catalogue":
        imprints = Imprint.objects.bulk_create(
            Imprint(name=f"Imprint {n}", slug=f"imprint-{n}") for n in range(3)
        )
        subjects = Subject.objects.bulk_create(
            Subject(name=f"Subject {n}", slug=f"subject-{n}") for n in range(5)
        )
        authors = Author.objects.bulk_create(
            Author(name=f"Writer {n}", sort_name=f"{n}, Writer", slug=f"writer-{n}")
            for n in range(5)
        )
        translator = Author.objects.create(
            name="Busy Translator", sort_name="Translator, Busy", slug="busy-translator"
        )
        return cls(imprints, subjects, authors, translator)

    def add_books(self, count: int) -> None:
        start = len(self.books)
        books = Book.objects.bulk_create(self._book(n) for n in range(start, start + count))
        Contribution.objects.bulk_create(
            contribution
            for n, book in enumerate(books, start)
            for contribution in self._credits(n, book)
        )
        Book.subjects.through.objects.bulk_create(
            Book.subjects.through(book_id=book.pk, subject_id=subject.pk)
            for n, book in enumerate(books, start)
            for subject in {self.subjects[n % 5], self.subjects[(n * 3 + 1) % 5]}
        )
        Review.objects.bulk_create(
            Review(book=book, quote=f"Praise {n}.", source=f"Critic {n}", position=n % 3)
            for n, book in enumerate(books, start)
            for _ in range(2)
        )
        # Bulk inserts bypass the admin, so bring keyword search up to date as an import does.
        Book.objects.filter(pk__in=[book.pk for book in books]).refresh_search_text()
        self.books.extend(books)

    def _book(self, n: int) -> Book:
        title = f"Book Number {n:04d}"
        forthcoming = n % 7 == 3
        return Book(
            title=title,
            slug=slugify(title),
            isbn=make_isbn(500_000 + n),
            published=days_from_today(20 + n)
            if forthcoming
            else datetime.date(2000, 1, 1) + datetime.timedelta(days=n * 11),
            imprint=self.imprints[n % 3],
            format=FORMATS[n % 3],
            pages=100 + n,
            rrp=aud(f"{10 + n % 40}.95") if n % 9 != 8 else None,
            description=f"About book {n}.",
            stock=n % 4,
            is_visible=n % 10 != 9,
        )

    def _credits(self, n: int, book: Book) -> list[Contribution]:
        credits = [Contribution(book=book, author=self.authors[n % 5], role="author")]
        if n % 3 == 0:
            credits.append(
                Contribution(book=book, author=self.translator, role="translator", position=1)
            )
        return credits


@pytest.fixture
def catalogue() -> Catalogue:
    catalogue = Catalogue.create()
    catalogue.add_books(SMALL)
    return catalogue


def page_url(catalogue: Catalogue, page_name: str) -> str:
    first_book = catalogue.books[0]
    return {
        "home": "/",
        "listing": "/books/",
        "listing-page-2": "/books/?page=2",
        "listing-search": "/books/?q=book+number",
        "listing-filters": (
            "/books/?format=paperback&format=hardback&subject=subject-1&imprint=imprint-1"
            "&min_price=5&max_price=60&availability=in-stock&sort=price-low"
        ),
        "listing-search-and-filters": "/books/?q=number&format=paperback&sort=title",
        "book": first_book.get_absolute_url(),
        "author": "/authors/writer-0/",
        "author-translator": "/authors/busy-translator/",
        "sitemap": "/sitemap.xml",
    }[page_name]


def render_afresh() -> None:
    """Empty the page cache, so the next request renders its page from the database.
    (Bulk inserts send no signals, so they leave cached pages in place.)"""
    cache.clear()


def count_queries(client, url: str) -> int:
    """How many queries one GET of the URL makes when it renders the page afresh. The page
    must render, and (but for the sitemap) list books, so the count includes reading them."""
    render_afresh()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if not url.endswith(".xml"):
        assert book_card_titles(parse(response)), f"{url} lists no books"
    return len(queries)


# Queries each page makes, whatever the size of the catalogue. Each catalogue page first
# reads the catalogue version (one query, catalogue.version), then what follows.
EXPECTED_QUERIES = {
    # The fullest subjects (kept for hours, counted afresh here) and their names, then for
    # new releases, coming soon and each of three shelves: the books and their contributors.
    "home": 13,
    # Subjects and imprints for the filter form, the count, the page, its contributors.
    "listing": 6,
    "listing-page-2": 6,
    "listing-search": 6,
    "listing-filters": 6,
    "listing-search-and-filters": 6,
    # The book with its imprint; contributors, subjects, reviews; then for its one author
    # the other books and their contributors.
    "book": 7,
    # The author; the count, the page of contributions with books, their contributors.
    "author": 5,
    "author-translator": 5,
    # Per sitemap section (static pages make none): count and items.
    "sitemap": 4,
}


def test_query_counts_are_the_same_with_10_books_as_with_200(client, catalogue):
    urls = {page_name: page_url(catalogue, page_name) for page_name in EXPECTED_QUERIES}
    small = {page_name: count_queries(client, url) for page_name, url in urls.items()}

    catalogue.add_books(LARGE - SMALL)
    large = {page_name: count_queries(client, url) for page_name, url in urls.items()}

    assert Book.objects.count() == LARGE
    assert large == small


# With the test above, a pinned count at one size pins it at every size.
@pytest.mark.parametrize(("page_name", "expected"), EXPECTED_QUERIES.items())
def test_query_count_is_pinned(client, catalogue, django_assert_num_queries, page_name, expected):
    url = page_url(catalogue, page_name)
    render_afresh()

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
