"""From an ONIX product to what the catalogue holds, continued: subjects, price,
availability and stock, notification types (no database)."""

import io
from decimal import Decimal

import pytest

from catalogue.book_data import BookData
from catalogue.onix import (
    OnixReader,
    map_product,
)
from tests.catalogue.onix.mapping_helpers import (
    TITLE,
    TODAY,
    aud,
    descriptive,
    mapped,
    one,
    problems,
    supply,
    supply_detail,
)
from tests.catalogue.onix.onix_fixtures import (
    COLLATERAL,
    PUBLISHING,
    fixture,
    isbn,
    product,
)

# --- Subjects ------------------------------------------------------------------------


def subject(scheme: str, *, code: str = "", heading: str = "", main: bool = False) -> str:
    return (
        "<Subject>"
        + ("<MainSubject/>" if main else "")
        + f"<SubjectSchemeIdentifier>{scheme}</SubjectSchemeIdentifier>"
        + (f"<SubjectCode>{code}</SubjectCode>" if code else "")
        + (f"<SubjectHeadingText>{heading}</SubjectHeadingText>" if heading else "")
        + "</Subject>"
    )


def test_subjects_are_keywords_and_main_subjects():
    subjects = "".join(
        [
            subject("10", code="POE000000", main=True),
            subject("93", code="FBA", main=True),
            subject("12", code="HBJ", main=True),
            subject("93", code="DNB"),  # not a main subject: left out
            subject("22", heading="Australian Poetry", main=True),
            subject("20", heading="landscape; Poetry;  memory ;"),
        ]
    )
    book = one(descriptive=descriptive(TITLE + subjects))

    assert [(s.name, s.slug) for s in book.descriptive.subjects] == [
        ("Poetry", "poetry"),
        ("Fiction", "fiction"),
        ("History", "history"),
        ("Australian Poetry", "australian-poetry"),
        ("landscape", "landscape"),
        ("memory", "memory"),
    ]


# --- Price ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def priced() -> dict[str, BookData]:
    """prices.xml, one product per price rule, by RecordReference."""
    records = OnixReader(io.BytesIO(fixture("prices.xml").read_bytes()))
    return {r.reference: map_product(r, today=TODAY) for r in records}


@pytest.mark.parametrize(
    ("reference", "rrp"),
    [
        ("price.au-including-gst", "32.99"),
        ("price.au-excluding-gst", "30.00"),  # 27.27 + 10% GST = 29.997
        ("price.world", "24.99"),
        ("price.world-except-au", None),
        ("price.au-beats-world", "35.00"),
        ("price.default-currency", "19.95"),
        ("price.dated", "22.00"),  # 20.00 ended, 25.00 not yet in force
        ("price.library-price-ignored", "20.00"),  # the consumer price, 18.18 + GST
        ("price.market-excludes-au", None),
        ("price.none-for-au", None),
        ("price.rounds-half-up", "10.07"),  # 9.15 + GST = 10.065
    ],
)
def test_rrp_is_the_australian_price_in_aud_including_gst(priced, reference, rrp):
    assert priced[reference].supply.rrp == (Decimal(rrp) if rrp else None)


def test_each_product_reads_its_own_territories():
    """Territories are shared between products that send the same one: a product with
    another never gets it."""

    def priced_for(countries: str) -> str:
        price = aud().replace(
            "</Price>",
            f"<Territory><CountriesIncluded>{countries}</CountriesIncluded></Territory></Price>",
        )
        return supply(supply_detail(prices=price), market=countries)

    books = mapped(
        product(ref="au", supply=priced_for("AU")),
        product(ref="nz", supply=priced_for("NZ")),
        product(ref="au-again", supply=priced_for("AU")),
        product(ref="au-nz", supply=priced_for("NZ AU")),
    )

    assert [b.supply.rrp for b in books] == [
        Decimal("29.99"),
        None,
        Decimal("29.99"),
        Decimal("29.99"),
    ]


def test_an_unreadable_australian_price_skips_the_product():
    assert problems(supply=supply(supply_detail(prices=aud("12,99")))) == [
        ("fixture-1", "PriceAmount", "'12,99' is not an amount")
    ]


# --- Availability and stock ----------------------------------------------------------


@pytest.mark.parametrize(
    ("availability", "on_hand", "stock"),
    [
        ("21", "", None),  # available: the shop's own count stands
        ("21", "14", 14),
        ("20", "0", 0),
        ("10", "", None),  # not yet available: a pre-order
        ("31", "", 0),  # out of stock
        ("40", "5", 0),  # not available
        ("51", "", 0),  # out of print
        ("01", "", 0),  # cancelled
    ],
)
def test_availability_and_on_hand_give_the_stock(availability, on_hand, stock):
    detail = supply_detail(availability, on_hand=on_hand, prices=aud())

    assert one(supply=supply(detail)).supply.stock == stock


def test_stock_comes_from_the_australian_supply():
    elsewhere = supply(supply_detail("31", prices=aud()), market="GB")
    here = supply(supply_detail("21", on_hand="3", prices=aud()))
    book = one(supply=elsewhere + here)

    assert (book.supply.stock, book.supply.rrp) == (3, Decimal("29.99"))


# --- Notification types --------------------------------------------------------------


def test_notification_05_hides_and_needs_only_the_isbn():
    book = one(notification="05", descriptive="", collateral="", publishing="", supply="")

    assert book.hide is True
    assert (book.descriptive, book.collateral, book.publishing, book.supply) == (None,) * 4


def test_block_update_changes_only_the_blocks_it_sends():
    book = one(notification="04", descriptive="", collateral="", supply="")

    assert book.publishing is not None
    assert (book.descriptive, book.collateral, book.supply) == (None, None, None)


def test_full_record_without_a_block_empties_what_it_would_hold():
    book = one(collateral="", supply="")

    assert book.collateral.description == "" and book.collateral.praise == ()
    assert book.supply.rrp is None


def test_test_records_are_skipped():
    assert problems(notification="89") == [("fixture-1", "NotificationType", "test record (89)")]


def test_every_problem_of_a_product_is_reported():
    bad_date = PUBLISHING.replace("20200115", "2020-02-30")

    assert problems(isbn13="9781920000012", publishing=bad_date, collateral=COLLATERAL) == [
        ("fixture-1", "ProductIdentifier", "9781920000012: ISBN check digit is wrong."),
        (
            "fixture-1",
            "PublishingDate",
            "'2020-02-30' is not a real date (day is out of range for month)",
        ),
    ]


def test_fixture_isbns_are_valid():
    assert one(isbn13=isbn(7)).isbn == isbn(7)
