"""Later listing pages are read backwards from the end; they must hold exactly what reading
forwards would give, in the same order, for every sort."""

import datetime

import pytest
from django.core.paginator import Paginator

from catalogue.models import Book
from shop import listing
from shop.forms import Sort
from shop.pagination import BalancedPaginator
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    # Ties on date and price, missing dates and prices: the awkward cases for reversing.
    for n in range(53):
        BookFactory(
            title=f"Title {n % 17:02d}",
            published=None if n % 9 == 0 else datetime.date(2020, 1 + n % 12, 1),
            rrp=None if n % 7 == 0 else f"{10 + n % 5}.99",
        )


@pytest.mark.parametrize("sort", [Sort.NEWEST, Sort.TITLE, Sort.PRICE_LOW, Sort.PRICE_HIGH])
def test_every_page_read_backwards_matches_reading_forwards(books, sort):
    ordered = listing.filter_books(Book.objects.for_listing(), {"sort": sort}, [], [])
    forwards = Paginator(ordered, 10)
    balanced = BalancedPaginator(ordered, 10)
    assert balanced.num_pages == forwards.num_pages == 6
    for number in forwards.page_range:
        expected = [book.pk for book in forwards.page(number)]
        assert [book.pk for book in balanced.page(number)] == expected, (sort, number)


def test_a_known_count_spares_the_count_query(books, django_assert_num_queries):
    ordered = Book.objects.order_by("title", "id")
    paginator = BalancedPaginator(ordered, 10, count=53)
    with django_assert_num_queries(1):
        assert len(paginator.page(6)) == 3


@pytest.mark.django_db(transaction=True)
def test_the_listing_count_follows_a_new_book_at_once(client):
    BookFactory(title="First")
    assert "1 book" in client.get("/books/?page=1").content.decode()
    BookFactory(title="Second")  # committed: the catalogue version moves on
    assert "2 books" in client.get("/books/?page=1").content.decode()
