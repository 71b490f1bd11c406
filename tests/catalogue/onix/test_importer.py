"""Importing ONIX into the catalogue (catalogue.onix.import_onix): upsert by ISBN, one
transaction per product, skipped records, deletions, refusals, and a second import that
changes nothing."""

import datetime
import functools
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money

from catalogue import bulk_insert
from catalogue.book_data import Problem
from catalogue.models import Author, Availability, Book, Contribution, Imprint, Review, Subject
from catalogue.onix import ImportReport, OnixRefused, import_onix
from catalogue.sync import ExistingBooks
from catalogue.version import catalogue_version
from tests.catalogue.onix.onix_fixtures import (
    BAD_RECORD_PROBLEMS,
    BAD_RECORD_TITLES,
    DESCRIPTIVE,
    fixture,
    isbn,
    message,
    product,
)
from tests.factories import AuthorFactory, BookFactory, ImprintFactory

pytestmark = pytest.mark.django_db

SHARED_ONIX = Path(__file__).resolve().parents[4] / "shared" / "onix"
needs_shared = pytest.mark.skipif(
    not SHARED_ONIX.is_dir(),
    reason=f"the shared ONIX samples are not here ({SHARED_ONIX} is absent)",
)
TODAY = datetime.date(2025, 6, 1)


def run(data: bytes | Path, **kwargs) -> ImportReport:
    source = data if isinstance(data, Path) else io.BytesIO(data)
    return import_onix(source, today=TODAY, **kwargs)


def counts(report: ImportReport) -> tuple[int, int, int, int, int]:
    return (report.created, report.updated, report.unchanged, report.hidden, report.skipped)


def catalogue_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Book, Author, Contribution, Review, Imprint, Subject)
    }


# --- Creating and matching -----------------------------------------------------------


def test_import_creates_a_book_with_everything_the_feed_says():
    report = run(fixture("two_authors.xml"))

    assert counts(report) == (1, 0, 0, 0, 0)
    book = Book.objects.get(isbn="9781920000011")
    assert (book.title, book.subtitle, book.slug) == (
        "The Long Winter",
        "A Novel",
        "the-long-winter",
    )
    assert (book.format, book.product_form, book.pages) == ("hardback", "BB", 312)
    assert book.published == datetime.date(2021, 3, 4)
    assert book.rrp == Money(Decimal("34.99"), "AUD")
    assert book.stock == 12
    assert book.is_visible
    assert book.imprint.name == "Harbour Editions"
    assert book.imprint.publisher == "Harbour Publishing"
    assert book.description == (
        "<p>A ferry stops running and a town <em>waits</em>.</p>"
        "<p>Then the <strong>ice</strong> comes.</p>"
    )
    credits = [
        (c.position, c.author.name, c.role) for c in book.contributions.select_related("author")
    ]
    assert credits == [
        (0, "Clara Haddad", "author"),
        (1, "Farid Ito", "author"),
        (2, "Greta Jensen", "translator"),
        (3, "Otto Dimitrov", "introduction"),
    ]
    assert [(r.position, r.source, r.quote) for r in book.reviews.all()] == [
        (0, "The Saturday Paper", "‘Cold, clear and unforgettable.’"),
        (1, "Australian Book Review", "‘A book to read by the fire.’"),
    ]
    assert sorted(s.name for s in book.subjects.all()) == [
        "Fiction",
        "Tasmania",
        "translated fiction",
        "winter",
    ]


def test_new_authors_get_sort_names_and_biographies():
    run(fixture("two_authors.xml"))

    haddad = Author.objects.get(slug="clara-haddad")
    ito = Author.objects.get(slug="farid-ito")
    assert (haddad.name, haddad.sort_name) == ("Clara Haddad", "Haddad, Clara")
    assert haddad.biography == "Clara Haddad lives in Fremantle."
    assert (ito.sort_name, ito.biography) == (
        "Ito, Farid",
        "Farid Ito was born in Hobart.\n\nHe writes slowly.",
    )


def test_an_existing_author_is_matched_by_name_and_keeps_their_biography():
    haddad = AuthorFactory(name="Clara Haddad", slug="clara-haddad", biography="Our own words.")
    ito = AuthorFactory(name="Farid Ito", slug="farid-ito", biography="")

    run(fixture("two_authors.xml"))

    haddad.refresh_from_db()
    ito.refresh_from_db()
    assert haddad.biography == "Our own words."
    assert ito.biography.startswith("Farid Ito was born in Hobart.")
    assert Author.objects.filter(name="Clara Haddad").count() == 1
    book = Book.objects.get(isbn="9781920000011")
    assert book.authors == [haddad, ito]


def test_an_existing_imprint_is_matched_by_name_whatever_its_slug():
    imprint = ImprintFactory(name="Harbour Editions", slug="harbour", publisher="")

    run(fixture("two_authors.xml"))

    assert Imprint.objects.filter(name="Harbour Editions").count() == 1
    assert Book.objects.get(isbn="9781920000011").imprint == imprint


def test_an_existing_book_is_updated_by_isbn():
    book = BookFactory(isbn="9781920000011", title="Old Title", stock=3, is_visible=True)

    report = run(fixture("two_authors.xml"))

    assert counts(report) == (0, 1, 0, 0, 0)
    book.refresh_from_db()
    assert (book.title, book.stock, book.slug) == ("The Long Winter", 12, "the-long-winter")
    assert Book.objects.count() == 1


def test_an_import_leaves_the_stock_when_the_feed_has_no_count():
    book = BookFactory(isbn=isbn(1), stock=7)

    run(message(product(isbn13=isbn(1))))  # available (21), no OnHand

    book.refresh_from_db()
    assert book.stock == 7


def test_a_book_without_an_australian_price_cannot_be_bought():
    supply_elsewhere = (
        "<ProductSupply><SupplyDetail><ProductAvailability>21</ProductAvailability><Price>"
        "<PriceType>02</PriceType><PriceAmount>9.99</PriceAmount><CurrencyCode>GBP</CurrencyCode>"
        "</Price></SupplyDetail></ProductSupply>"
    )
    BookFactory(isbn=isbn(1), rrp=Money(Decimal("10"), "AUD"))

    run(message(product(isbn13=isbn(1), supply=supply_elsewhere)))

    book = Book.objects.get(isbn=isbn(1))
    assert book.rrp is None
    assert book.availability == Availability.NOT_FOR_SALE
    assert not book.can_be_bought


def test_a_staff_slug_survives_while_the_title_stays():
    BookFactory(isbn=isbn(1), title="An Ordinary Book", slug="our-own-slug")

    run(message(product(isbn13=isbn(1))))

    assert Book.objects.get(isbn=isbn(1)).slug == "our-own-slug"


def test_a_block_update_for_a_book_the_shop_lacks_is_skipped_and_the_rest_import():
    update = product(ref="p2", notification="04", isbn13=isbn(2), descriptive="")
    feed = message(product(ref="p1", isbn13=isbn(1)), update, product(ref="p3", isbn13=isbn(3)))

    report = run(feed)

    assert counts(report) == (2, 0, 0, 0, 1)
    assert [(p.record, p.field) for p in report.problems] == [("p2", "DescriptiveDetail")]
    assert "needs a title" in report.problems[0].reason
    assert sorted(Book.objects.values_list("isbn", flat=True)) == [isbn(1), isbn(3)]


def test_a_batch_of_new_books_is_written_in_a_few_statements_each_row_on_its_own_book():
    """New books go in with one INSERT per table (two for the books on SQLite, which takes
    999 values to a statement), no savepoint per product; the credits, praise and
    subjects still land on the right book."""
    n_books = 70

    def descriptive(n: int) -> str:
        keyword = (
            "<Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier>"
            f"<SubjectHeadingText>topic {n}</SubjectHeadingText></Subject>"
        )
        return (
            DESCRIPTIVE.format(title=f"Book {n}")
            .replace("Lovelace", f"Lovelace {n}")
            .replace("</DescriptiveDetail>", f"{keyword}</DescriptiveDetail>")
        )

    def collateral(n: int) -> str:
        return (
            "<CollateralDetail><TextContent><TextType>06</TextType>"
            f"<Text>Quote {n}</Text><SourceTitle>Paper {n}</SourceTitle></TextContent>"
            "</CollateralDetail>"
        )

    feed = message(
        *(
            product(
                ref=f"p{n}", isbn13=isbn(n), descriptive=descriptive(n), collateral=collateral(n)
            )
            for n in range(n_books)
        )
    )

    with CaptureQueriesContext(connection) as queries:
        report = run(feed)

    assert counts(report) == (n_books, 0, 0, 0, 0)
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    book_inserts = [sql for sql in statements if sql.startswith('INSERT INTO "CATALOGUE_BOOK" ')]
    assert len(book_inserts) == (2 if connection.vendor == "sqlite" else 1)
    for table in ("CATALOGUE_CONTRIBUTION", "CATALOGUE_REVIEW", "CATALOGUE_BOOK_SUBJECTS"):
        assert len([sql for sql in statements if sql.startswith(f'INSERT INTO "{table}" ')]) == 1
    assert len([sql for sql in statements if sql.startswith("SAVEPOINT")]) == 1  # the batch's
    for book in Book.objects.prefetch_related("contributions__author", "reviews", "subjects"):
        n = int(book.title.removeprefix("Book "))
        assert book.isbn == isbn(n)
        assert [s.name for s in book.subjects.all()] == [f"topic {n}"]
        assert [c.author.name for c in book.contributions.all()] == [f"Ada Lovelace {n}"]
        assert [(r.quote, r.source) for r in book.reviews.all()] == [(f"Quote {n}", f"Paper {n}")]


def test_the_same_isbn_twice_in_one_feed_is_created_then_updated():
    report = run(message(product(ref="a", title="First Go"), product(ref="b", title="Second Go")))

    assert counts(report) == (1, 1, 0, 0, 0)
    assert Book.objects.get().title == "Second Go"


# --- Changing and not changing -------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing():
    run(fixture("two_authors.xml"))
    run(fixture("prices.xml"))
    before = catalogue_rows()
    stamps = dict(Book.objects.values_list("isbn", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        report = run(fixture("two_authors.xml"))
        second = run(fixture("prices.xml"))

    assert counts(report) == (0, 0, 1, 0, 0)
    assert counts(second) == (0, 0, 11, 0, 0)
    assert catalogue_rows() == before
    assert dict(Book.objects.values_list("isbn", "updated_at")) == stamps
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))] == []
    # One savepoint per batch (the test runs in a transaction), none for each product.
    assert len([sql for sql in statements if sql.startswith("SAVEPOINT")]) == 2


def test_a_changed_feed_changes_the_book_and_its_credits_praise_and_subjects():
    run(fixture("two_authors.xml"))
    data = fixture("two_authors.xml").read_bytes()
    data = data.replace(b"<PriceAmount>34.99</PriceAmount>", b"<PriceAmount>29.99</PriceAmount>")
    data = data.replace(
        b"<SequenceNumber>4</SequenceNumber>", b"<SequenceNumber>0</SequenceNumber>"
    )
    data = data.replace(
        b"<ContributorRole>B06</ContributorRole>", b"<ContributorRole>B99</ContributorRole>"
    )
    data = data.replace(b"<SourceTitle>Australian Book Review</SourceTitle>", b"")
    data = data.replace(b"winter; Tasmania; translated fiction", b"winter; Hobart")

    report = run(data)

    assert counts(report) == (0, 1, 0, 0, 0)
    book = Book.objects.get(isbn="9781920000011")
    assert book.rrp == Money(Decimal("29.99"), "AUD")
    assert [(c.author.name, c.role) for c in book.contributions.select_related("author")] == [
        ("Otto Dimitrov", "introduction"),
        ("Clara Haddad", "author"),
        ("Farid Ito", "author"),
    ]
    assert [r.source for r in book.reviews.all()] == ["The Saturday Paper"]
    assert sorted(s.name for s in book.subjects.all()) == ["Fiction", "Hobart", "winter"]
    assert Author.objects.filter(name="Greta Jensen").exists()  # authors are never deleted


def test_rows_beyond_one_statement_s_worth_go_in_several():
    data = fixture("two_authors.xml").read_bytes()
    data = data.replace(b"winter; Tasmania; translated fiction", b"one; two; three; four; five")

    run(data, insert_rows=functools.partial(bulk_insert.insert_rows, rows_per_statement=2))

    book = Book.objects.get(isbn="9781920000011")
    assert sorted(s.name for s in book.subjects.all()) == [
        "Fiction",
        "five",
        "four",
        "one",
        "three",
        "two",
    ]
    assert book.contributions.count() == 4


def test_a_block_update_leaves_what_it_does_not_send():
    run(fixture("two_authors.xml"))
    update = product(
        ref="fixture.two-authors",
        notification="04",
        isbn13="9781920000011",
        descriptive="",
        collateral="",
        publishing="",
    )

    report = run(message(update))

    assert counts(report) == (0, 1, 0, 0, 0)
    book = Book.objects.get(isbn="9781920000011")
    assert book.rrp == Money(Decimal("29.99"), "AUD")  # the update's price
    assert book.title == "The Long Winter"
    assert book.description.startswith("<p>A ferry stops running")
    assert book.reviews.count() == 2
    assert book.contributions.count() == 4


def test_search_text_is_what_the_model_computes():
    run(fixture("two_authors.xml"))
    run(fixture("prices.xml"))

    assert Book.objects.refresh_search_text() == 0  # nothing to correct
    assert list(Book.objects.search("haddad jensen").values_list("isbn", flat=True)) == [
        "9781920000011"
    ]


def test_search_text_uses_the_name_the_shop_has_for_an_author():
    AuthorFactory(name="Clara Haddad.", slug="clara-haddad")

    run(fixture("two_authors.xml"))

    assert Book.objects.refresh_search_text() == 0
    assert "haddad." in Book.objects.get().search_text


def test_an_import_that_changes_the_catalogue_bumps_its_version():
    version = catalogue_version()

    run(fixture("two_authors.xml"))

    assert catalogue_version() > version


# --- Deleting ------------------------------------------------------------------------


def test_notification_05_hides_the_book_and_ignores_one_the_shop_lacks():
    run(fixture("two_authors.xml"))

    report = run(fixture("notification_05.xml"))

    assert counts(report) == (0, 0, 1, 1, 0)
    book = Book.objects.get(isbn="9781920000011")
    assert not book.is_visible
    assert not Book.objects.filter(isbn="9781920000028").exists()
    assert counts(run(fixture("notification_05.xml"))) == (0, 0, 2, 0, 0)


def test_a_hidden_book_stays_hidden_when_the_feed_sends_it_again():
    run(fixture("two_authors.xml"))
    run(fixture("notification_05.xml"))

    run(fixture("two_authors.xml"))

    assert not Book.objects.get(isbn="9781920000011").is_visible


# --- Skipping ------------------------------------------------------------------------


def test_bad_records_in_the_middle_are_skipped_and_the_rest_imported():
    report = run(fixture("bad_record_in_middle.xml"))

    assert counts(report) == (3, 0, 0, 0, 3)
    assert sorted(Book.objects.values_list("title", flat=True)) == BAD_RECORD_TITLES
    assert [(p.record, p.field, p.reason) for p in report.problems] == BAD_RECORD_PROBLEMS
    assert str(report).splitlines()[1] == (
        "  fixture.bad-check-digit: ProductIdentifier: 9781920000012: ISBN check digit is wrong."
    )
    assert Book.objects.get(title="Second Good Book").published == datetime.date(2020, 3, 1)


def refusing_credits_of_second_book(model, fields, rows, returning=()):
    """An `insert_rows` with which the database refuses the credits of isbn(2), written
    after the book itself, whether they go in alone or with the rest of the batch's."""
    second = Book.objects.filter(isbn=isbn(2)).values_list("pk", flat=True).first()
    if model is Contribution and any(row[0] == second for row in rows):
        raise IntegrityError("refused for the test")
    return bulk_insert.insert_rows(model, fields, rows, returning)


@pytest.mark.django_db(transaction=True)  # the import's own transactions, committed
def test_each_product_is_its_own_transaction():
    """A product the database refuses is rolled back whole; the others stay."""
    feed = message(*(product(ref=f"p{n}", isbn13=isbn(n), title=f"Book {n}") for n in (1, 2, 3)))

    report = run(feed, insert_rows=refusing_credits_of_second_book)

    assert counts(report) == (2, 0, 0, 0, 1)
    assert [(p.record, p.field, p.reason) for p in report.problems] == [
        ("p2", "database", "refused for the test")
    ]
    assert sorted(Book.objects.values_list("isbn", flat=True)) == [isbn(1), isbn(3)]
    assert not Contribution.objects.filter(book__isbn=isbn(2)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_savepoint_cannot_be_rolled_back_is_written_again(monkeypatch):
    """A product's savepoint that cannot be rolled back leaves the batch's transaction
    unusable: nothing of it is committed, and the batch is written again, a commit per
    product."""

    def broken_rollback(self, sid):
        raise DatabaseError("connection lost for the test")

    monkeypatch.setattr(type(connections["default"]), "savepoint_rollback", broken_rollback)
    feed = message(*(product(ref=f"p{n}", isbn13=isbn(n), title=f"Book {n}") for n in (1, 2, 3)))

    report = run(feed, insert_rows=refusing_credits_of_second_book)

    assert counts(report) == (2, 0, 0, 0, 1)
    assert [(p.record, p.reason) for p in report.problems] == [("p2", "refused for the test")]
    assert sorted(Book.objects.values_list("isbn", flat=True)) == [isbn(1), isbn(3)]


@pytest.mark.django_db(transaction=True)
def test_a_batch_refused_at_its_commit_is_written_again_a_product_at_a_time():
    """Foreign keys are checked when a transaction commits: an author deleted after the
    batch looked it up fails the batch's commit. The batch is written again, a commit per
    product, and only the product that credits that author is lost."""

    def delete_then_insert(model, fields, rows, returning=()):
        # Whenever the import writes, the author it looked up is gone (as if another
        # process deleted it); a rolled-back attempt brings it back, so it goes again.
        Author.objects.filter(name="Grace Hopper").delete()
        return bulk_insert.insert_rows(model, fields, rows, returning)

    hopper = (
        DESCRIPTIVE.format(title="Book 2").replace("Ada", "Grace").replace("Lovelace", "Hopper")
    )
    feed = message(
        product(ref="p1", isbn13=isbn(1), title="Book 1"),
        product(ref="p2", isbn13=isbn(2), descriptive=hopper),
        product(ref="p3", isbn13=isbn(3), title="Book 3"),
    )

    report = run(feed, insert_rows=delete_then_insert)

    assert counts(report) == (2, 0, 0, 0, 1)
    assert [(p.record, p.field) for p in report.problems] == [("p2", "database")]
    assert sorted(Book.objects.values_list("isbn", flat=True)) == [isbn(1), isbn(3)]
    assert Contribution.objects.filter(book__isbn__in=[isbn(1), isbn(3)]).count() == 2


def temp_store() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite setting")
@pytest.mark.django_db(transaction=True)  # as in production: not inside a transaction
def test_on_sqlite_an_import_keeps_temporary_files_in_memory_then_puts_the_setting_back():
    seen = []
    before = temp_store()

    report = run(message(product()), progress=lambda done, fraction: seen.append(temp_store()))

    assert counts(report) == (1, 0, 0, 0, 0)
    assert seen == [2]  # MEMORY
    assert temp_store() == before != 2


def test_a_row_the_database_refuses_is_reported_as_a_database_problem():
    """A book created by someone else after the batch looked (its ISBN taken meanwhile):
    the database refuses that product, and only that one is rolled back and reported."""
    BookFactory(isbn=isbn(2), title="Created meanwhile")
    feed = message(*(product(ref=f"p{n}", isbn13=isbn(n), title=f"Book {n}") for n in (1, 2, 3)))

    report = run(feed, read_existing=lambda isbns: ExistingBooks())  # the book is not seen

    assert counts(report) == (2, 0, 0, 0, 1)
    [problem] = report.problems
    assert (problem.record, problem.field) == ("p2", "database")
    assert "isbn" in problem.reason.lower()
    assert Book.objects.get(isbn=isbn(2)).title == "Created meanwhile"
    assert Book.objects.filter(isbn__in=[isbn(1), isbn(3)]).count() == 2


def test_the_report_keeps_a_bounded_number_of_problem_lines():
    report = ImportReport(max_problems_kept=2)
    for n in range(5):
        report.skip([Problem(f"bad{n}", "ProductIdentifier", "ISBN check digit is wrong.")])

    assert report.skipped == 5
    assert len(report.problems) == 2
    assert report.lines()[-1] == "  ... and 3 more problems"


# --- Refusing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["truncated.xml", "xxe.xml", "entity_bomb.xml", "onix21.xml", "not_onix.xml", "not_xml.txt"],
)
def test_a_refused_file_imports_nothing(name):
    with pytest.raises(OnixRefused):
        run(fixture(name))

    assert Book.objects.count() == 0
    assert Author.objects.count() == 0


def test_an_external_entity_never_reaches_the_catalogue():
    with pytest.raises(OnixRefused):
        run(fixture("xxe.xml"))

    assert not Book.objects.filter(title__contains="root:").exists()


# --- The shared samples --------------------------------------------------------------


@needs_shared
def test_the_shared_samples_import():
    full = run(SHARED_ONIX / "full_sample.xml")
    short = run(SHARED_ONIX / "short.xml")
    again = run(SHARED_ONIX / "short.xml")
    preorder = run(SHARED_ONIX / "preorder-embargo-date.xml")

    assert counts(full) == (1, 0, 0, 0, 0)
    assert counts(short) == (0, 1, 0, 0, 0)  # its description and keywords differ a little
    assert counts(again) == (0, 0, 1, 0, 0)
    assert counts(preorder) == (0, 0, 0, 0, 1)
    assert str(preorder.problems[0]) == (
        "fr.xxxxxxxx-xxxxx.onix.420000: ProductIdentifier: "
        "9780000000000: ISBN check digit is wrong."
    )
    book = Book.objects.get(isbn="9780007232833")
    assert book.title == "Roseanna"
    assert book.author_names == "Maj Sjöwall, Per Wahlöö"
    assert [c.credit for c in book.contributors()] == ["", "", "Translated by", "Introduction by"]
    assert book.imprint.name == "HarperPerennial"
    assert book.published == datetime.date(2006, 8, 7)
    assert book.pages == 245
    assert book.rrp is None
