"""From an ONIX product to what the catalogue holds: every mapping rule in catalogue.onix,
one small product at a time (no database)."""

import datetime
import io
from decimal import Decimal

import pytest

from catalogue.book_data import BookData, ProductSkipped
from catalogue.onix import (
    OnixReader,
    map_product,
    parse_onix_date,
)
from tests.catalogue.onix_fixtures import (
    COLLATERAL,
    DESCRIPTIVE,
    PUBLISHING,
    fixture,
    isbn,
    message,
    product,
)

TODAY = datetime.date(2025, 6, 1)


def mapped(*products: str, header: str = "") -> list[BookData]:
    records = OnixReader(io.BytesIO(message(*products, header=header)))
    return [map_product(record, today=TODAY) for record in records]


def one(**kwargs) -> BookData:
    [book] = mapped(product(**kwargs))
    return book


def problems(**kwargs) -> list[tuple[str, str, str]]:
    with pytest.raises(ProductSkipped) as skipped:
        one(**kwargs)
    return [(p.record, p.field, p.reason) for p in skipped.value.problems]


def descriptive(inner: str, form: str = "BC") -> str:
    return f"<DescriptiveDetail><ProductForm>{form}</ProductForm>{inner}</DescriptiveDetail>"


TITLE = (
    "<TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01"
    "</TitleElementLevel><TitleText>T</TitleText></TitleElement></TitleDetail>"
)


def contributor(role: str, names: str, sequence: str = "") -> str:
    seq = f"<SequenceNumber>{sequence}</SequenceNumber>" if sequence else ""
    return f"<Contributor>{seq}<ContributorRole>{role}</ContributorRole>{names}</Contributor>"


def texts(*contents: str) -> str:
    return "<CollateralDetail>" + "".join(contents) + "</CollateralDetail>"


def text_content(text_type: str, text: str, *, fmt: str = "05", audience: str = "00", extra=""):
    attribute = f' textformat="{fmt}"' if fmt else ""
    audience_xml = f"<ContentAudience>{audience}</ContentAudience>" if audience else ""
    return (
        f"<TextContent><TextType>{text_type}</TextType>{audience_xml}"
        f"<Text{attribute}>{text}</Text>{extra}</TextContent>"
    )


def supply(*details: str, market: str = "AU") -> str:
    market_xml = (
        f"<Market><Territory><CountriesIncluded>{market}</CountriesIncluded></Territory></Market>"
        if market
        else ""
    )
    return f"<ProductSupply>{market_xml}{''.join(details)}</ProductSupply>"


def supply_detail(availability: str = "21", *, on_hand: str = "", prices: str = "") -> str:
    stock = f"<Stock><OnHand>{on_hand}</OnHand></Stock>" if on_hand else ""
    return (
        f"<SupplyDetail><ProductAvailability>{availability}</ProductAvailability>{stock}"
        f"{prices}</SupplyDetail>"
    )


def aud(amount: str = "29.99", price_type: str = "02") -> str:
    return (
        f"<Price><PriceType>{price_type}</PriceType><PriceAmount>{amount}</PriceAmount>"
        "<CurrencyCode>AUD</CurrencyCode></Price>"
    )


# --- ISBN ----------------------------------------------------------------------------


def test_isbn_comes_from_product_id_type_15():
    assert one(isbn13="978-1-920000-01-1").isbn == "9781920000011"


def identifier(id_type: str, value: str) -> str:
    return (
        f"<ProductIdentifier><ProductIDType>{id_type}</ProductIDType>"
        f"<IDValue>{value}</IDValue></ProductIdentifier>"
    )


def test_a_gtin_13_that_is_an_isbn_is_used_when_there_is_no_type_15():
    assert one(identifiers=identifier("03", "9781920000028")).isbn == "9781920000028"


def test_a_gtin_13_that_is_not_an_isbn_is_not_one():
    ids = identifier("03", "5012345678900") + identifier("02", "1920000010")

    assert problems(identifiers=ids) == [
        (
            "fixture-1",
            "ProductIdentifier",
            "no ISBN-13 (ProductIDType 15, or 03 starting 978/979)",
        )
    ]


def test_a_wrong_check_digit_skips_the_product():
    assert problems(isbn13="9781920000012") == [
        ("fixture-1", "ProductIdentifier", "9781920000012: ISBN check digit is wrong.")
    ]


def test_a_product_without_record_reference_is_named_by_position():
    data = product(isbn13="9781920000012").replace(
        "<RecordReference>fixture-1</RecordReference>", ""
    )
    with pytest.raises(ProductSkipped) as skipped:
        mapped(product(ref="first"), data)

    assert skipped.value.problems[0].record == "product #2"


# --- Title ---------------------------------------------------------------------------


def test_title_is_prefix_and_title_without_prefix_with_subtitle():
    title = (
        "<TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01"
        "</TitleElementLevel><TitlePrefix>The</TitlePrefix><TitleWithoutPrefix>Winter"
        "</TitleWithoutPrefix><Subtitle>A Novel</Subtitle></TitleElement></TitleDetail>"
    )
    book = one(descriptive=descriptive(title))

    assert (book.descriptive.title, book.descriptive.subtitle) == ("The Winter", "A Novel")


def test_title_ignores_other_title_types_and_collection_titles():
    book = one(descriptive=DESCRIPTIVE.format(title="Real Title"))
    other = (
        "<Collection><TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>02"
        "</TitleElementLevel><TitleText>Series</TitleText></TitleElement></TitleDetail>"
        "</Collection><TitleDetail><TitleType>10</TitleType><TitleElement><TitleText>"
        "DISTRIBUTOR TITLE</TitleText></TitleElement></TitleDetail>"
    )
    with_others = one(
        descriptive=DESCRIPTIVE.format(title="Real Title").replace(
            "<ProductForm>BC</ProductForm>", "<ProductForm>BC</ProductForm>" + other
        )
    )

    assert book.descriptive.title == with_others.descriptive.title == "Real Title"


def test_title_prefers_the_product_level_title_element():
    title = (
        "<TitleDetail><TitleType>01</TitleType>"
        "<TitleElement><TitleElementLevel>02</TitleElementLevel><TitleText>Series</TitleText>"
        "</TitleElement><TitleElement><TitleElementLevel>01</TitleElementLevel>"
        "<TitleText>Volume</TitleText></TitleElement></TitleDetail>"
    )

    assert one(descriptive=descriptive(title)).descriptive.title == "Volume"


def test_a_product_without_title_is_skipped():
    assert problems(descriptive=descriptive("")) == [
        ("fixture-1", "TitleDetail", "no title (TitleType 01)")
    ]


def test_a_title_longer_than_the_shop_stores_is_skipped():
    assert problems(title="x" * 301) == [("fixture-1", "TitleText", "longer than 300 characters")]


# --- Contributors --------------------------------------------------------------------


def test_contributors_follow_sequence_numbers_with_their_roles():
    [record] = OnixReader(io.BytesIO(fixture("two_authors.xml").read_bytes()))
    book = map_product(record, today=TODAY)

    assert [(c.name, c.role) for c in book.descriptive.contributors] == [
        ("Clara Haddad", "author"),
        ("Farid Ito", "author"),
        ("Greta Jensen", "translator"),
        ("Otto Dimitrov", "introduction"),
    ]  # "Someone Helpful" (A02, "with") is not a role the shop shows


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("A01", "author"),
        ("B06", "translator"),
        ("A24", "introduction"),
        ("A23", "foreword"),
        ("B01", "editor"),
        ("A12", "illustrator"),
    ],
)
def test_contributor_roles(code, role):
    people = contributor(code, "<PersonName>Kiri Evans</PersonName>")
    book = one(descriptive=descriptive(TITLE + people))

    assert [(c.name, c.role) for c in book.descriptive.contributors] == [("Kiri Evans", role)]


def test_one_person_in_two_roles_is_credited_for_both():
    people = (
        "<Contributor><ContributorRole>A01</ContributorRole><ContributorRole>A12</ContributorRole>"
        "<PersonName>Kiri Evans</PersonName></Contributor>"
    )
    book = one(descriptive=descriptive(TITLE + people))

    assert [c.role for c in book.descriptive.contributors] == ["author", "illustrator"]


def test_names_from_name_parts_with_sort_names():
    people = "".join(
        [
            contributor(
                "A01",
                "<NamesBeforeKey>Ludwig</NamesBeforeKey><PrefixToKey>van</PrefixToKey>"
                "<KeyNames>Beethoven</KeyNames>",
                "1",
            ),
            contributor("A01", "<PersonName>Mira Chen</PersonName>", "2"),
            contributor("B01", "<CorporateName>The Editorial Collective</CorporateName>", "3"),
            contributor("A01", "<UnnamedPersons>01</UnnamedPersons>", "4"),
        ]
    )
    book = one(descriptive=descriptive(TITLE + people))

    assert [(c.name, c.sort_name, c.slug) for c in book.descriptive.contributors] == [
        ("Ludwig van Beethoven", "van Beethoven, Ludwig", "ludwig-van-beethoven"),
        ("Mira Chen", "Mira Chen", "mira-chen"),
        ("The Editorial Collective", "The Editorial Collective", "the-editorial-collective"),
    ]  # "Anonymous" (UnnamedPersons) names nobody


def test_a_name_without_latin_letters_gets_a_stable_ascii_slug():
    people = contributor("A01", "<PersonName>莫言</PersonName>")
    first = one(descriptive=descriptive(TITLE + people)).descriptive.contributors[0]
    again = one(descriptive=descriptive(TITLE + people)).descriptive.contributors[0]

    assert first.slug.startswith("author-") and first.slug.isascii()
    assert first.slug == again.slug


def test_biographical_note_becomes_plain_text_paragraphs():
    note = (
        '<BiographicalNote textformat="05"><p><strong>Kiri Evans</strong> lives in '
        "Perth.</p><p>She <em>writes</em>.<script>alert(1)</script></p></BiographicalNote>"
    )
    people = contributor("A01", "<PersonName>Kiri Evans</PersonName>" + note)
    [person] = one(descriptive=descriptive(TITLE + people)).descriptive.contributors

    assert person.biography == "Kiri Evans lives in Perth.\n\nShe writes."


# --- Format and pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "book_format"),
    [
        ("BB", "hardback"),
        ("BC", "paperback"),
        ("ED", "ebook"),
        ("EA", "ebook"),
        ("AJ", "audiobook"),
        ("AC", "audiobook"),
        ("BA", "other"),
        ("00", "other"),
    ],
)
def test_product_form_gives_the_format_and_is_kept(form, book_format):
    book = one(descriptive=descriptive(TITLE, form=form))

    assert (book.descriptive.format, book.descriptive.product_form) == (book_format, form)


def extent(extent_type: str, value: str, unit: str = "03") -> str:
    return (
        f"<Extent><ExtentType>{extent_type}</ExtentType><ExtentValue>{value}</ExtentValue>"
        f"<ExtentUnit>{unit}</ExtentUnit></Extent>"
    )


def test_pages_are_the_main_content_page_count():
    extents = extent("08", "400") + extent("00", "352") + extent("09", "540", unit="05")

    assert one(descriptive=descriptive(TITLE + extents)).descriptive.pages == 352


def test_pages_fall_back_to_the_print_counterpart_for_an_ebook():
    assert one(descriptive=descriptive(TITLE + extent("08", "336"), "ED")).descriptive.pages == 336


def test_an_extent_in_other_units_is_not_pages():
    book = one(descriptive=descriptive(TITLE + extent("00", "540", unit="05")))

    assert book.descriptive.pages is None


def test_an_unreadable_page_count_skips_the_product():
    assert problems(descriptive=descriptive(TITLE + extent("00", "about 300"))) == [
        ("fixture-1", "ExtentValue", "'about 300' is not a number of pages")
    ]


# --- Dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dateformat", "expected"),
    [
        ("20210304", "00", datetime.date(2021, 3, 4)),
        ("20210304", "", datetime.date(2021, 3, 4)),
        ("202103", "01", datetime.date(2021, 3, 1)),
        ("202103", "", datetime.date(2021, 3, 1)),
        ("2021", "05", datetime.date(2021, 1, 1)),
        ("2021", "", datetime.date(2021, 1, 1)),
        ("2021-03-04", "", datetime.date(2021, 3, 4)),
        ("20210304T0930", "13", datetime.date(2021, 3, 4)),
    ],
)
def test_publication_date_forms(value, dateformat, expected):
    attribute = f' dateformat="{dateformat}"' if dateformat else ""
    publishing = (
        "<PublishingDetail><PublishingDate><PublishingDateRole>01</PublishingDateRole>"
        f"<Date{attribute}>{value}</Date></PublishingDate></PublishingDetail>"
    )

    assert one(publishing=publishing).publishing.published == expected


def test_publication_date_is_role_01_only():
    publishing = (
        "<PublishingDetail><PublishingDate><PublishingDateRole>11</PublishingDateRole>"
        "<Date>1965</Date></PublishingDate><PublishingDate><PublishingDateRole>01"
        "</PublishingDateRole><Date>20060807</Date></PublishingDate></PublishingDetail>"
    )

    assert one(publishing=publishing).publishing.published == datetime.date(2006, 8, 7)


@pytest.mark.parametrize(
    ("value", "dateformat", "reason"),
    [
        ("20201345", "", "'20201345' is not a real date (month must be in 1..12)"),
        ("soon", "", "'soon' is not a date in YYYYMMDD, YYYYMM or YYYY form"),
        ("2020W12", "02", "dateformat 02 is not supported (use 00, 01 or 05)"),
    ],
)
def test_an_unreadable_publication_date_skips_the_product(value, dateformat, reason):
    attribute = f' dateformat="{dateformat}"' if dateformat else ""
    publishing = (
        "<PublishingDetail><PublishingDate><PublishingDateRole>01</PublishingDateRole>"
        f"<Date{attribute}>{value}</Date></PublishingDate></PublishingDetail>"
    )

    assert problems(publishing=publishing) == [("fixture-1", "PublishingDate", reason)]


def test_parse_onix_date_reads_the_old_date_format_element():
    publishing = (
        "<PublishingDetail><PublishingDate><PublishingDateRole>01</PublishingDateRole>"
        "<DateFormat>05</DateFormat><Date>1999</Date></PublishingDate></PublishingDetail>"
    )

    assert one(publishing=publishing).publishing.published == datetime.date(1999, 1, 1)
    assert parse_onix_date("19990101") == datetime.date(1999, 1, 1)


# --- Imprint -------------------------------------------------------------------------


def test_imprint_is_the_imprint_name_with_the_publisher():
    imprint = one().publishing.imprint

    assert (imprint.name, imprint.slug, imprint.publisher) == (
        "Fixture Press",
        "fixture-press",
        "Fixture Publishing",
    )


def test_imprint_falls_back_to_the_main_publisher():
    publishing = (
        "<PublishingDetail><Publisher><PublishingRole>02</PublishingRole><PublisherName>Co-"
        "publisher</PublisherName></Publisher><Publisher><PublishingRole>01</PublishingRole>"
        "<PublisherName>Main House</PublisherName></Publisher></PublishingDetail>"
    )

    assert one(publishing=publishing).publishing.imprint.name == "Main House"


# --- Description and praise ----------------------------------------------------------


def test_xhtml_description_keeps_paragraphs_and_emphasis_only():
    text = (
        '<p class="x" onclick="steal()">One <em>two</em> <strong>three</strong> <b>b</b> '
        '<i>i</i><br/>four</p><script>alert("x")</script><ul><li>item</li></ul>'
        '<p><a href="javascript:alert(1)">link</a> <img src="x" onerror="alert(1)"/>'
        '<span style="color:red">red</span></p><style>p{}</style>'
    )
    description = one(collateral=texts(text_content("03", text))).collateral.description

    assert description == (
        "<p>One <em>two</em> <strong>three</strong> <b>b</b> <i>i</i><br>four</p>"
        "<ul><li>item</li></ul><p>link red</p>"
    )


def test_description_whitespace_becomes_single_spaces_and_none_around_blocks():
    text = "\n  <p>One\n\t two \u2003 <em>three\n</em></p>\n  <p> </p> <p>four</p>\n"
    description = one(collateral=texts(text_content("03", text))).collateral.description

    assert description == "<p>One two <em>three </em></p><p>four</p>"


def test_html_sent_as_escaped_text_is_sanitised_the_same_way():
    text = (
        "&lt;p onmouseover='x()'&gt;Hello &lt;em&gt;you&lt;/em&gt;"
        "&lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;"
    )
    description = one(collateral=texts(text_content("03", text, fmt="02"))).collateral.description

    assert description == "<p>Hello <em>you</em></p>"


def test_plain_text_description_stays_plain_text():
    text = "First paragraph, with &lt;angle&gt; brackets &amp; more.\n\nSecond paragraph."
    description = one(collateral=texts(text_content("03", text, fmt="06"))).collateral.description

    assert description == "First paragraph, with <angle> brackets & more.\n\nSecond paragraph."


def test_description_falls_back_to_the_short_description():
    collateral = texts(text_content("02", "<p>Short.</p>"))

    assert one(collateral=collateral).collateral.description == "<p>Short.</p>"


def test_description_prefers_text_type_03_and_texts_for_customers():
    collateral = texts(
        text_content("03", "<p>For the trade only.</p>", audience="02"),
        text_content("02", "<p>Short.</p>"),
        text_content("03", "<p>For readers.</p>", audience="03"),
    )

    assert one(collateral=collateral).collateral.description == "<p>For readers.</p>"


def test_praise_quotes_with_their_sources_in_feed_order():
    collateral = texts(
        text_content("06", "<p>‘Superb.’</p>", extra="<SourceTitle>The Monthly</SourceTitle>"),
        text_content("06", "Gripping.", fmt="", extra="<TextAuthor>Helen Garner</TextAuthor>"),
        text_content("06", "Nobody said this.", fmt=""),
        text_content("03", "<p>Description.</p>"),
    )

    assert one(collateral=collateral).collateral.praise == (
        ("‘Superb.’", "The Monthly"),
        ("Gripping.", "Helen Garner"),
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
