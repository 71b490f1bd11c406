"""From an ONIX product to what the catalogue holds: every mapping rule in catalogue.onix,
one small product at a time (no database)."""

import datetime
import io

import pytest

from catalogue.book_data import ProductSkipped
from catalogue.onix import (
    OnixReader,
    map_product,
    parse_onix_date,
)
from tests.catalogue.onix.mapping_helpers import (
    TITLE,
    TODAY,
    contributor,
    descriptive,
    mapped,
    one,
    problems,
    text_content,
    texts,
)
from tests.catalogue.onix.onix_fixtures import (
    DESCRIPTIVE,
    fixture,
    product,
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
