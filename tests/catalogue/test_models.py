"""Catalogue models: database constraints, cleaning, QuerySet methods and model behaviour."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Author, Book, BookFormat, Contribution, Imprint, Review
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ContributionFactory,
    ImprintFactory,
    ReviewFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

CONQUERED_CITY = "9781590173664"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- Constraints enforced by the database itself ---------------------------------------------


def test_book_constraints_exist_in_the_database():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, Book._meta.db_table))
    assert {
        "book_stock_not_negative",
        "book_pages_positive",
        "book_rrp_not_negative",
        "book_rrp_in_aud",
    } <= names


def test_contribution_unique_constraint_exists_in_the_database():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, Contribution._meta.db_table))
    assert "contribution_one_per_book_author_role" in names


def test_duplicate_isbn_is_refused_by_the_database():
    BookFactory(isbn=CONQUERED_CITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(isbn=CONQUERED_CITY)
    assert Book.objects.filter(isbn=CONQUERED_CITY).count() == 1


def test_negative_stock_is_refused_by_the_database():
    book = BookFactory(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(stock=-1)
    book.refresh_from_db()
    assert book.stock == 1


def test_zero_stock_is_allowed():
    book = BookFactory(stock=1)
    Book.objects.filter(pk=book.pk).update(stock=0)
    book.refresh_from_db()
    assert book.stock == 0


def test_zero_pages_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(pages=0)
    assert not Book.objects.exists()


def test_unknown_page_count_is_allowed():
    book = BookFactory(pages=None)
    book.refresh_from_db()
    assert book.pages is None


def test_negative_rrp_on_create_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(rrp=Money("-1", "AUD"))
    assert not Book.objects.exists()


def test_negative_rrp_on_update_is_refused_by_the_database():
    book = BookFactory(rrp=Money("29.99", "AUD"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(rrp=Decimal("-1"))
    book.refresh_from_db()
    assert book.rrp == Money("29.99", "AUD")


def test_free_and_unpriced_books_are_allowed():
    free = BookFactory(rrp=Money("0", "AUD"))
    unpriced = BookFactory(rrp=None)
    free.refresh_from_db()
    unpriced.refresh_from_db()
    assert free.rrp == Money("0", "AUD")
    assert unpriced.rrp is None


def test_rrp_in_another_currency_is_refused_by_the_database():
    book = BookFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(rrp_currency="USD")
    book.refresh_from_db()
    assert book.rrp.currency.code == "AUD"


def test_same_author_twice_in_the_same_role_is_refused_by_the_database():
    contribution = ContributionFactory(role=Contribution.Role.AUTHOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            book=contribution.book, author=contribution.author, role=Contribution.Role.AUTHOR
        )
    assert contribution.book.contributions.count() == 1


def test_same_author_in_a_different_role_is_allowed():
    contribution = ContributionFactory(role=Contribution.Role.AUTHOR)
    Contribution.objects.create(
        book=contribution.book,
        author=contribution.author,
        role=Contribution.Role.INTRODUCTION,
        position=1,
    )
    assert contribution.book.contributions.count() == 2


# --- Cleaning the ISBN -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("978-1-59017-366-4", CONQUERED_CITY),
        ("978 1 59017 366 4", CONQUERED_CITY),
        ("0-306-40615-2", "9780306406157"),
        ("080442957x", "9780804429573"),
    ],
)
def test_full_clean_normalises_the_isbn_to_13_digits(typed, stored):
    book = BookFactory.build(isbn=typed, imprint=None)
    book.full_clean()
    assert book.isbn == stored


@pytest.mark.parametrize("wrong", ["9781590173665", "0306406153"])
def test_full_clean_reports_a_wrong_check_digit(wrong):
    book = BookFactory.build(isbn=wrong, imprint=None)
    with pytest.raises(ValidationError) as excinfo:
        book.full_clean()
    assert excinfo.value.message_dict["isbn"] == ["ISBN check digit is wrong."]


def test_full_clean_reports_only_the_check_digit_on_a_hyphenated_wrong_isbn():
    # Hyphens are allowed (help text), so a 17-character entry must not also be told off
    # for being longer than 13 characters.
    book = BookFactory.build(isbn="978-1-59017-366-5", imprint=None)
    with pytest.raises(ValidationError) as excinfo:
        book.full_clean()
    assert excinfo.value.message_dict["isbn"] == ["ISBN check digit is wrong."]


def test_full_clean_reports_a_duplicate_isbn_typed_with_hyphens():
    BookFactory(isbn=CONQUERED_CITY)
    book = BookFactory.build(isbn="978-1-59017-366-4", imprint=None)
    with pytest.raises(ValidationError) as excinfo:
        book.full_clean()
    assert "isbn" in excinfo.value.message_dict


# --- BookQuerySet ------------------------------------------------------------------------------


def test_visible_excludes_hidden_books():
    shown = BookFactory(is_visible=True)
    BookFactory(is_visible=False)
    assert list(Book.objects.visible()) == [shown]


def test_published_and_forthcoming_split_on_today():
    yesterday = BookFactory(title="A yesterday", published=days_from_today(-1))
    today = BookFactory(title="B today", published=days_from_today(0))
    tomorrow = BookFactory(title="C tomorrow", published=days_from_today(1))
    BookFactory(title="D undated", published=None)
    BookFactory(title="E hidden past", published=days_from_today(-1), is_visible=False)
    BookFactory(title="F hidden future", published=days_from_today(1), is_visible=False)

    assert list(Book.objects.published()) == [yesterday, today]
    assert list(Book.objects.forthcoming()) == [tomorrow]


def test_in_stock_excludes_books_with_no_copies():
    one = BookFactory(stock=1)
    BookFactory(stock=0)
    assert list(Book.objects.in_stock()) == [one]


def test_by_author_finds_each_book_once_whatever_the_roles():
    serge = AuthorFactory(name="Victor Serge")
    novel = BookFactory(title="Conquered City")
    memoir = BookFactory(title="Memoirs of a Revolutionary")
    BookFactory(title="Someone else's book")
    ContributionFactory(book=novel, author=serge, role=Contribution.Role.AUTHOR)
    ContributionFactory(book=memoir, author=serge, role=Contribution.Role.AUTHOR)
    ContributionFactory(book=memoir, author=serge, role=Contribution.Role.INTRODUCTION)

    assert list(Book.objects.by_author(serge)) == [novel, memoir]


def make_books_with_contributors(count: int) -> None:
    for _ in range(count):
        book = BookFactory()
        ContributionFactory(book=book, position=0)
        ContributionFactory(book=book, role=Contribution.Role.TRANSLATOR, position=1)
        ReviewFactory(book=book)
        book.subjects.add(SubjectFactory())
    BookFactory(is_visible=False)


@pytest.mark.parametrize("count", [3, 10])
def test_for_listing_costs_the_same_queries_for_any_number_of_books(
    count, django_assert_num_queries
):
    make_books_with_contributors(count)
    # One for the books (with imprints), one for all contributions with their authors.
    with django_assert_num_queries(2):
        books = list(Book.objects.for_listing())
        for book in books:
            str(book.imprint)
            for contribution in book.contributions.all():
                str(contribution.author)
            book.author_names  # noqa: B018
    assert len(books) == count


@pytest.mark.parametrize("count", [3, 10])
def test_for_detail_costs_the_same_queries_for_any_number_of_books(
    count, django_assert_num_queries
):
    make_books_with_contributors(count)
    # Books with imprints, contributions with authors, subjects, reviews.
    with django_assert_num_queries(4):
        books = list(Book.objects.for_detail())
        for book in books:
            str(book.imprint)
            for contribution in book.contributions.all():
                str(contribution.author)
            list(book.subjects.all())
            list(book.reviews.all())
    assert len(books) == count


def test_for_listing_and_for_detail_exclude_hidden_books():
    shown = BookFactory()
    BookFactory(is_visible=False)
    assert list(Book.objects.for_listing()) == [shown]
    assert list(Book.objects.for_detail()) == [shown]


def test_for_listing_keeps_contributors_in_position_order():
    book = BookFactory()
    second = ContributionFactory(book=book, author=AuthorFactory(name="Aaron First"), position=2)
    first = ContributionFactory(book=book, author=AuthorFactory(name="Zoe Last"), position=1)
    (listed,) = Book.objects.for_listing()
    assert list(listed.contributions.all()) == [first, second]


# --- URLs, titles and names --------------------------------------------------------------------


def test_book_url_is_slug_then_isbn():
    book = BookFactory(slug="conquered-city", isbn=CONQUERED_CITY)
    assert book.get_absolute_url() == f"/books/conquered-city-{CONQUERED_CITY}/"


def test_author_url_is_slug():
    author = AuthorFactory(slug="victor-serge")
    assert author.get_absolute_url() == "/authors/victor-serge/"


def test_full_title_adds_the_subtitle_after_a_colon():
    book = BookFactory.build(title="Memoirs", subtitle="A Revolutionary's Life")
    assert book.full_title == "Memoirs: A Revolutionary's Life"


def test_full_title_without_subtitle_is_the_title():
    book = BookFactory.build(title="Conquered City", subtitle="")
    assert book.full_title == "Conquered City"


def test_authors_and_author_names_list_only_authors_in_position_order():
    book = BookFactory()
    ContributionFactory(
        book=book, author=AuthorFactory(name="Richard Greeman"), role="translator", position=0
    )
    ContributionFactory(book=book, author=AuthorFactory(name="Second Writer"), position=2)
    ContributionFactory(book=book, author=AuthorFactory(name="Victor Serge"), position=1)
    ContributionFactory(
        book=book, author=AuthorFactory(name="An Editor"), role="editor", position=3
    )
    book.refresh_from_db()

    assert [a.name for a in book.authors] == ["Victor Serge", "Second Writer"]
    assert book.author_names == "Victor Serge, Second Writer"


def test_author_names_is_empty_without_authors():
    book = BookFactory()
    ContributionFactory(book=book, role=Contribution.Role.TRANSLATOR)
    assert book.authors == []
    assert book.author_names == ""


@pytest.mark.parametrize(
    ("role", "credit"),
    [
        (Contribution.Role.AUTHOR, ""),
        (Contribution.Role.TRANSLATOR, "Translated by"),
        (Contribution.Role.EDITOR, "Edited by"),
        (Contribution.Role.INTRODUCTION, "Introduction by"),
        (Contribution.Role.FOREWORD, "Foreword by"),
        (Contribution.Role.ILLUSTRATOR, "Illustrated by"),
    ],
)
def test_contribution_credit_reads_as_printed(role, credit):
    contribution = ContributionFactory(role=role)
    assert contribution.credit == credit
    # As loaded from the database the role is a plain string; the credit must still be found.
    loaded = Contribution.objects.get(pk=contribution.pk)
    assert type(loaded.role) is str
    assert loaded.credit == credit


@pytest.mark.parametrize(
    ("book_format", "code"),
    [
        (BookFormat.PAPERBACK, "BC"),
        (BookFormat.HARDBACK, "BB"),
        (BookFormat.EBOOK, "ED"),
        (BookFormat.AUDIOBOOK, "AJ"),
        (BookFormat.OTHER, "00"),
    ],
)
def test_onix_product_form_falls_back_to_the_formats_code(book_format, code):
    book = BookFactory(format=book_format, product_form="")
    book.refresh_from_db()
    assert book.onix_product_form == code


def test_onix_product_form_uses_product_form_when_set():
    book = BookFactory(format=BookFormat.PAPERBACK, product_form="BE")
    book.refresh_from_db()
    assert book.onix_product_form == "BE"


@pytest.mark.parametrize(("days", "expected"), [(1, True), (0, False), (-1, False)])
def test_is_forthcoming_only_for_a_date_after_today(days, expected):
    assert BookFactory.build(published=days_from_today(days)).is_forthcoming is expected


def test_undated_book_is_not_forthcoming():
    assert BookFactory.build(published=None).is_forthcoming is False


def test_str_of_each_model():
    imprint = ImprintFactory(name="NYRB Classics")
    subject = SubjectFactory(name="Fiction")
    author = AuthorFactory(name="Victor Serge")
    translator = AuthorFactory(name="Richard Greeman")
    book = BookFactory(title="Conquered City", subtitle="A Novel", imprint=imprint)
    contribution = ContributionFactory(book=book, author=translator, role="translator")
    review = ReviewFactory(book=book, source="Susan Sontag")

    assert str(imprint) == "NYRB Classics"
    assert str(subject) == "Fiction"
    assert str(author) == "Victor Serge"
    assert str(book) == "Conquered City: A Novel"
    assert str(contribution) == "Richard Greeman (Translator)"
    assert str(review) == "Susan Sontag on Conquered City"


# --- Deleting ----------------------------------------------------------------------------------


def test_deleting_an_author_with_contributions_is_refused():
    contribution = ContributionFactory()
    with pytest.raises(ProtectedError):
        contribution.author.delete()
    assert Author.objects.filter(pk=contribution.author.pk).exists()


def test_deleting_an_author_without_contributions_is_allowed():
    author = AuthorFactory()
    author.delete()
    assert not Author.objects.exists()


def test_deleting_an_imprint_with_books_is_refused():
    book = BookFactory()
    with pytest.raises(ProtectedError):
        book.imprint.delete()
    assert Imprint.objects.filter(pk=book.imprint.pk).exists()


def test_deleting_a_book_deletes_its_contributions_and_reviews_but_not_its_authors():
    book = BookFactory()
    ContributionFactory(book=book)
    ReviewFactory(book=book)
    kept = BookFactory()
    ContributionFactory(book=kept)
    ReviewFactory(book=kept)

    book.delete()

    assert Contribution.objects.get().book == kept
    assert Review.objects.get().book == kept
    assert Author.objects.count() == 2
