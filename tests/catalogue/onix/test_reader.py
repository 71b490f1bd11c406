"""Reading ONIX files: the publishers' own samples, reference and short tags, namespaces,
streaming, and every file the shop refuses (catalogue.onix.OnixReader and check_onix)."""

import dataclasses
import datetime
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from catalogue.book_data import ProductSkipped
from catalogue.onix import (
    ONIX_21_MESSAGE,
    OnixReader,
    OnixRefused,
    check_onix,
    map_product,
)
from tests.catalogue.onix.onix_fixtures import fixture, message, product

SHARED_ONIX = Path(__file__).resolve().parents[4] / "shared" / "onix"
needs_shared = pytest.mark.skipif(
    not SHARED_ONIX.is_dir(),
    reason=f"the shared ONIX samples are not here ({SHARED_ONIX} is absent)",
)
TODAY = datetime.date(2025, 6, 1)


def read(data: bytes | Path) -> list:
    """The ProductRecords of a message, as the reader streams them."""
    if isinstance(data, Path):
        data = data.read_bytes()
    return list(OnixReader(io.BytesIO(data)))


def mapped(data: bytes | Path):
    [record] = read(data)
    return map_product(record, today=TODAY)


def people(book) -> list[tuple[str, str]]:
    return [(c.name, c.role) for c in book.descriptive.contributors]


# --- The shared samples --------------------------------------------------------------


@needs_shared
def test_full_sample_in_reference_tags_reads_roseanna():
    book = mapped(SHARED_ONIX / "full_sample.xml")

    assert book.isbn == "9780007232833"
    assert book.reference == "com.globalbookinfo.onix.01734529"
    assert book.descriptive.title == "Roseanna"  # not the collection's "The Martin Beck series"
    assert book.descriptive.subtitle == ""
    assert people(book) == [
        ("Maj Sjöwall", "author"),
        ("Per Wahlöö", "author"),
        ("Lois Roth", "translator"),
        ("Henning Mankell", "introduction"),
    ]
    assert [c.sort_name for c in book.descriptive.contributors][:2] == [
        "Sjöwall, Maj",
        "Wahlöö, Per",
    ]
    sjowall = book.descriptive.contributors[0]
    assert sjowall.biography.startswith("Maj Sjöwall was born in Stockholm in 1935.")
    assert book.descriptive.format == "paperback"
    assert book.descriptive.product_form == "BC"
    assert book.descriptive.pages == 245
    assert book.publishing.published == datetime.date(2006, 8, 7)
    assert book.publishing.imprint.name == "HarperPerennial"
    assert book.publishing.imprint.publisher == "HarperCollins Publishers"
    description = book.collateral.description
    assert description.startswith("<p>Widely recognised as the among the greatest crime fiction")
    assert "<em>Roseanna</em> is the work of Maj Sjöwall and Per Wahlöö" in description
    assert "Perennial relaunches" not in description  # the short description (TextType 02)
    assert [source for _, source in book.collateral.praise] == ["The Guardian", "New York Times"]
    assert book.collateral.praise[0][0].startswith("‘The writing is elegant")
    subjects = [s.name for s in book.descriptive.subjects]
    assert subjects[0] == "Fiction"  # main subject: Thema FFP and BISAC FIC022000
    assert {"Martin Beck", "Stockholm", "police procedural"} <= set(subjects)
    # Its prices are for GB, the euro zone and the world except Australia.
    assert book.supply.rrp is None
    assert book.supply.stock is None


@needs_shared
def test_short_tag_sample_reads_the_same_book_as_the_reference_sample():
    reference = mapped(SHARED_ONIX / "full_sample.xml")
    short = mapped(SHARED_ONIX / "short.xml")

    assert short.isbn == reference.isbn == "9780007232833"
    assert short.descriptive.title == "Roseanna"
    assert people(short) == people(reference)
    assert short.descriptive.pages == reference.descriptive.pages
    assert short.publishing == reference.publishing
    assert short.supply == reference.supply
    assert [s for _, s in short.collateral.praise] == [s for _, s in reference.collateral.praise]
    # The short sample spells it "recognized" and wraps its lines; the HTML comes out clean.
    assert short.collateral.description.startswith(
        "<p>Widely recognized as the among the greatest crime fiction ever written, this is"
    )
    assert "\n" not in short.collateral.description


@needs_shared
def test_sample_without_namespace_is_read_and_its_bad_isbn_reported():
    [record] = read(SHARED_ONIX / "preorder-embargo-date.xml")

    assert record.reference == "fr.xxxxxxxx-xxxxx.onix.420000"
    with pytest.raises(ProductSkipped) as skipped:
        map_product(record, today=TODAY)
    [problem] = skipped.value.problems
    assert problem.record == "fr.xxxxxxxx-xxxxx.onix.420000"
    assert problem.field == "ProductIdentifier"
    assert problem.reason == "9780000000000: ISBN check digit is wrong."

    # With a good ISBN the rest of the record maps.
    fixed = dataclasses.replace(record, identifiers=(("15", "9780000000002"),))
    book = map_product(fixed, today=TODAY)
    assert book.descriptive.title == "Xxxxxxxx - title"
    assert book.descriptive.subtitle == "Xxxx subtitle"
    assert people(book) == [("Foo Bar", "author"), ("Jane Doe", "translator")]
    assert book.descriptive.format == "ebook"
    assert book.descriptive.pages == 336  # ExtentType 08: pages of the print edition
    assert book.publishing.published == datetime.date(2011, 8, 31)  # no dateformat given
    assert book.collateral.description.startswith("Lorem ipsum dolor sit amet")
    assert book.supply.rrp is None  # a price in euros for France only


@needs_shared
def test_shared_samples_are_onix_30():
    for name in ("full_sample.xml", "short.xml", "preorder-embargo-date.xml"):
        with (SHARED_ONIX / name).open("rb") as stream:
            assert check_onix(stream) == "3.0"


# --- Tags and namespaces -------------------------------------------------------------


def test_reference_and_short_tags_give_the_same_book():
    reference = mapped(fixture("two_authors.xml"))
    short = mapped(fixture("two_authors_short.xml"))

    assert reference == short
    assert reference.descriptive.title == "The Long Winter"
    assert [c.biography for c in reference.descriptive.contributors] == [
        c.biography for c in short.descriptive.contributors
    ]


@pytest.mark.parametrize(
    "namespace",
    [
        "http://ns.editeur.org/onix/3.0/reference",
        "",
        "urn:example:our-own-onix",
    ],
    ids=["onix-namespace", "no-namespace", "another-namespace"],
)
def test_any_namespace_or_none_reads_the_same(namespace):
    book = mapped(message(product(title="Namespaced"), namespace=namespace))

    assert book.descriptive.title == "Namespaced"
    assert people(book) == [("Ada Lovelace", "author")]
    assert str(book.supply.rrp) == "29.99"


def test_short_tags_with_the_short_namespace_are_read():
    data = fixture("two_authors_short.xml").read_bytes()
    data = data.replace(
        b'<ONIXmessage release="3.0">',
        b'<ONIXmessage xmlns="http://ns.editeur.org/onix/3.0/short" release="3.0">',
    )

    assert mapped(data) == mapped(fixture("two_authors.xml"))


def test_onix_31_is_read():
    data = message(product()).replace(b'release="3.0"', b'release="3.1"')

    assert len(read(data)) == 1


def test_reader_keeps_no_finished_product_in_memory():
    data = message(*(product(ref=f"p{n}") for n in range(50)))
    reader = OnixReader(io.BytesIO(data))
    held = []
    for _record in reader:
        held.append(len(reader._builder.root))  # elements still attached to the root

    assert reader.products_read == 50
    assert max(held) <= 1  # at most the last product read, which may still be open


def test_reader_reads_a_file_in_small_pieces():
    def in_pieces(path: Path):
        [record] = OnixReader(io.BytesIO(path.read_bytes()), chunk_size=7)  # tags split
        return map_product(record, today=TODAY)

    assert in_pieces(fixture("two_authors.xml")) == mapped(fixture("two_authors.xml"))
    assert in_pieces(fixture("two_authors_short.xml")) == mapped(fixture("two_authors.xml"))


# --- Refusals ------------------------------------------------------------------------


def refusal(path_or_bytes) -> str:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    with pytest.raises(OnixRefused) as refused:
        check_onix(io.BytesIO(data))
    message_text = str(refused.value)
    assert "\n" not in message_text and "Traceback" not in message_text
    return message_text


def test_onix_21_with_its_doctype_is_refused():
    assert refusal(fixture("onix21.xml")) == ONIX_21_MESSAGE


@pytest.mark.parametrize(
    "root",
    [
        b'<ONIXMessage release="2.1">',
        b'<ONIXMessage xmlns="http://www.editeur.org/onix/2.1/reference">',
        b'<ONIXmessage xmlns="http://www.editeur.org/onix/2.1/short">',
    ],
    ids=["release-attribute", "reference-namespace", "short-namespace"],
)
def test_onix_21_is_refused_however_it_says_so(root):
    closing = b"</ONIXmessage>" if b"ONIXmessage" in root else b"</ONIXMessage>"
    data = b'<?xml version="1.0"?>\n' + root + b"<Header/>" + closing

    assert refusal(data) == "This is an ONIX 2.1 file; the shop reads ONIX 3.0."


def test_a_release_the_shop_does_not_know_is_refused():
    data = message(product()).replace(b'release="3.0"', b'release="4.0"')

    assert "ONIX release 4.0 is not supported" in refusal(data)


def test_xml_that_is_not_onix_is_refused():
    assert refusal(fixture("not_onix.xml")) == (
        "This is not an ONIX file: its root element is <rss>, not <ONIXMessage>."
    )


def test_a_file_that_is_not_xml_is_refused():
    assert refusal(fixture("not_xml.txt")).startswith("This is not an XML file (syntax error")


@pytest.mark.parametrize(
    ("compress", "says"),
    [
        (gzip.compress, "This file is gzip-compressed, not XML: unpack it (gunzip)"),
        (lambda data: zipped("feed.xml", data), "This is a zip archive, not XML: unzip it"),
    ],
    ids=["gzip", "zip"],
)
def test_a_compressed_feed_is_refused_with_what_to_do(compress, says):
    assert refusal(compress(message(product()))).startswith(says)


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_text_in_another_encoding_than_the_file_declares_is_refused_saying_so():
    data = message(product(title="Caf\u00e9 Society")).replace("\u00e9".encode(), b"\xe9")

    text = refusal(data)

    assert text.startswith("Line 8, column ")
    assert "has a byte (0xE9) that is not UTF-8, the encoding the file declares" in text
    assert "Windows-1252" in text


def test_without_a_declaration_the_refusal_names_xml_s_default_encoding():
    data = message(product(title="Caf\u00e9")).replace("\u00e9".encode(), b"\xe9")
    data = data[data.index(b"\n") + 1 :]  # no <?xml ...?> line

    assert "that is not UTF-8, XML's default encoding" in refusal(data)


def test_a_file_in_the_encoding_it_declares_is_read():
    data = message(product(title="Caf\u00e9 Society"))
    data = data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    data = data.replace("\u00e9".encode(), b"\xe9")

    assert check_onix(io.BytesIO(data)) == "3.0"
    [record] = OnixReader(io.BytesIO(data))
    assert record.title_text == "Caf\u00e9 Society"


def test_a_control_character_in_the_text_is_refused_saying_so():
    text = refusal(message(product(title="A\x07Bell")))

    assert text.startswith("Line 8, column ")
    assert "has a control character (0x07) that XML does not allow" in text


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_a_truncated_file_is_refused_before_anything_is_read():
    text = refusal(fixture("truncated.xml"))

    assert text.startswith("The XML breaks off or is malformed at line")
    assert "may be truncated" in text


def test_an_external_entity_is_refused_and_never_read():
    text = refusal(fixture("xxe.xml"))

    assert text.startswith("This file declares an XML entity (secret)")
    assert "root:" not in text


def test_an_entity_bomb_is_refused():
    assert refusal(fixture("entity_bomb.xml")).startswith("This file declares an XML entity (lol)")


UNREAD_DTD_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE ONIXMessage SYSTEM "onix.dtd">\n'
    b'<ONIXMessage release="3.0"><Header/><Product><RecordReference>&ref;'
    b"</RecordReference></Product></ONIXMessage>"
)


def test_an_entity_that_an_unread_dtd_would_define_is_refused():
    assert refusal(UNREAD_DTD_ENTITY) == "This file uses an entity the shop cannot resolve (&ref;)."


@pytest.mark.parametrize(
    "name", ["xxe.xml", "entity_bomb.xml", "onix21.xml", "not_onix.xml", "truncated.xml"]
)
def test_the_streaming_reader_refuses_the_same_files_on_its_own(name):
    """A stream that cannot be checked first (not seekable) is still refused by the reader."""
    with pytest.raises(OnixRefused):
        read(fixture(name))


def test_the_streaming_reader_refuses_an_entity_it_cannot_resolve():
    with pytest.raises(OnixRefused) as refused:
        read(UNREAD_DTD_ENTITY)

    assert str(refused.value) == "This file uses an entity the shop cannot resolve (&ref;)."
