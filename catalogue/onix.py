"""ONIX for Books 3.0: read a publisher's or distributor's feed into the catalogue.

`import_onix(source)` reads an ONIX 3.0 (or 3.1) message and creates, corrects or hides one
book per <Product>, matched by ISBN. Staff run it with `manage.py import_onix FILE` or from
the "Import ONIX" page in admin; both show the same `ImportReport`.

Three stages, each usable on its own:

1. `OnixReader` streams the file through defusedxml's XMLParser, 16 KB at a time: entity
   declarations (XXE, "billion laughs") and external references are refused. Reference
   tags (<Product>) and short tags (<product>, <b221>) are both read, with the ONIX
   namespace, another one or none: each element of a product is renamed to its reference
   name (`canonical_tag`) before the product is read, so the rest of the code knows only
   reference names. Expat builds the tree with ElementTree's TreeBuilder, no Python
   running per element; after each piece of the file the parser's target
   (`_ProductBuilder`) turns the finished <Product>s into plain `ProductRecord`s and
   removes them from the tree, so memory stays flat however long the file is.
   `check_onix` reads the whole file first (fast: nothing is built) and refuses, with a
   one-line `OnixRefused`, anything that is not a complete ONIX 3.0 message: ONIX 2.1,
   other XML, not XML (a zip or gzip file is told to unpack it first), a truncated file,
   entity declarations; a refused file imports nothing.
2. `map_product(record)` is pure: it turns a record into `BookData` (what the catalogue
   should hold) or raises `ProductSkipped` with its `Problem`s (record reference, field,
   reason).
3. `import_onix` works in batches of 100 products. The authors, imprints and subjects a
   batch needs are read, or created in one insert, up front (shared rows, so not part of
   any product's transaction: one created for a product the database then refuses stays,
   with no books). One query per table reads the books of the batch the shop already
   has, and `plan` works out each product's writes, only the values that differ: a
   product with nothing to change costs no statement at all, so importing the same file
   again writes nothing. Then the batch is written in one transaction, all together:
   the changes to books the shop has, then the new books in one multi-row INSERT per
   table (books, credits, subjects, praise). Each product is still its own transaction
   in effect: should the database refuse anything, nothing of the batch is kept, and it
   is written again with each product in its own savepoint, so a product the database
   refuses is rolled back and reported and the rest carry on. Should that commit fail
   too (foreign keys are checked only then), the batch is written once more with a
   commit per product, so that only the product at fault is lost. A batch is small, so
   the write lock SQLite takes is never held for long (another writer waits under a
   tenth of a second); on SQLite the connection keeps its temporary files, where
   savepoints are journalled, in memory meanwhile. The book's search text is set with
   the book, with `Book.build_search_text`, so an imported book is found by keyword
   search as soon as its batch is committed. The catalogue version is bumped once at
   the end.

Speed (bench/onix_speed.py: 10,000 products, on a 2-core machine whose speed varies by a
third from run to run): a first import, which creates every book, runs at about
1,050-1,750 products a second on SQLite and 720-1,380 on PostgreSQL, a second import of
the same file, which finds every book unchanged, at 1,500-2,100 and 1,200-1,700; memory
stays flat (70 MB at the peak). On PostgreSQL a quarter of a first import's time is the
server's own work on the new rows (eleven indexes on a book, one of them full-text),
which the import waits for; setting synchronous_commit off made no difference. Writing a
batch's new books together is what makes a first import fast, on PostgreSQL most of all:
a product to a savepoint took six round trips a book (300-400 products a second). What
is left of a first import on SQLite is mostly reading (expat building the tree, then
`product_record`: about a third), `map_product` (a sixth, sanitising the description a
third of that), `plan` (a sixth: building each Book, its search text), preparing the
books' fields for the database and creating the feed's 3,000 new authors (an eighth
each); SQLite's own inserts and commits are under a tenth. (Measured under cProfile, so
roughly.)

Mapping (ONIX code lists in brackets):

- ISBN: ProductIDType 15 (ISBN-13), else 03 (GTIN-13) when it starts 978/979; the check
  digit must be right. No ISBN, a bad one: the product is skipped.
- NotificationType [1]: 05 (delete) hides a book the shop has (it is never deleted: orders
  and baskets may point at it) and is ignored for one it does not have. 04 (block update)
  changes only what the blocks it carries describe. 88/89 (test records) are skipped.
  Any other type is a full record: what it leaves out is emptied. A product the shop
  has is not made visible again by the feed (staff may have hidden it); a new one is
  visible.
- Title: TitleDetail with TitleType 01 (not a collection's), its TitleElement at level
  01: TitleText, or TitlePrefix + TitleWithoutPrefix; Subtitle.
- Contributors in SequenceNumber order: A01 author, B06 translator, A24 introduction,
  A23 foreword, B01 editor, A12 illustrator [17]; other roles are left out. The name is
  PersonName, else NamesBeforeKey + PrefixToKey + KeyNames (+ SuffixToKey), else
  CorporateName; people are matched to existing authors by the slug of that name. A new
  author gets PersonNameInverted (or "KeyNames, NamesBeforeKey") as sort name and the
  BiographicalNote, as plain text, as biography; an existing author with no biography
  gets the note, one with a biography keeps it.
- Imprint: ImprintName, else the publisher's name (PublishingRole 01 first), matched to
  existing imprints by slug or name; the publisher's name is stored with a new imprint.
- Publication date: PublishingDate with PublishingDateRole 01 [163], dateformat [55] 00
  (YYYYMMDD), 01 (YYYYMM: the 1st of the month), 05 (YYYY: 1 January), 13/14 (with a
  time); without a dateformat the length decides. Anything else skips the product.
- Format: ProductForm [150] BB/BG hardback; BC/BF paperback; E* and DG ebook; A* audio;
  anything else "other". The code itself goes to Book.product_form.
- Pages: Extent in pages (ExtentUnit 03) of ExtentType 00 (main content), else 11
  (content page count), 05 (total numbered), 07 (absolute), 08 (print counterpart, for
  ebooks), 10 (notional) [23].
- Description: TextContent TextType 03, else 02 (short description) [153], for end
  customers (ContentAudience 00 or 03 or none [154]). XHTML (textformat 05), HTML (02)
  and XML (03) are sanitised with nh3 to paragraphs, line breaks, emphasis and lists
  (see catalogue.richtext); plain text (06, 07) is kept as plain text.
- Praise: each TextType 06 (review quote) as a quote, in feed order; the source is
  SourceTitle, else TextAuthor, else TextSourceCorporate; a quote with none is left out.
- Subjects: keywords (SubjectSchemeIdentifier 20, separated by semicolons) and each main
  subject (<MainSubject/>): its SubjectHeadingText, else the top-level heading of its
  BISAC (10), BIC (12) or Thema (93) code, e.g. FIC022000 and FFP both give "Fiction".
- RRP: among the prices for Australia (a Territory, or the supply's Market, that includes
  AU, or WORLD/ROW without excluding AU; an explicit AU wins) in AUD (CurrencyCode, or the
  header's DefaultCurrencyCode), unqualified or consumer prices (PriceQualifier 00/05
  [59]), current by their PriceDate (from 14, until 15) [173]: the first by price type
  [58] 02, 04, 42, 34, 22, 24 (including GST, taken as is), then 01, 03, 41, 33, 21, 23
  (excluding GST: 10% is added, rounded half-up to the cent). No such price: the RRP is
  emptied and the book cannot be bought.
- Stock, from the SupplyDetail the price came from (else the first one for Australia):
  ProductAvailability [65] 01 (cancelled) and 30-52 (unavailable, out of stock, out of
  print...) set stock to 0; otherwise Stock/OnHand, summed, sets it when present; without
  OnHand, "available" (20-23) and "not yet available" (09-12, a pre-order: the future
  publication date makes it one) leave the shop's own stock count as it is.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import functools
import hashlib
import html
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers import expat

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from django.db import DatabaseError, connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from djmoney.money import Money

from catalogue.isbn import InvalidISBN, normalise_isbn
from catalogue.models import Author, Book, BookFormat, Contribution, Imprint, Review, Subject
from catalogue.richtext import html_to_text, sanitise_html
from catalogue.version import bump_catalogue_version

# --- Refusals -------------------------------------------------------------------------

ONIX_21_MESSAGE = "This is an ONIX 2.1 file; the shop reads ONIX 3.0."
SUPPORTED_RELEASES = ("3.0", "3.1")


class OnixRefused(ValueError):
    """The whole file is refused; str(error) is one line fit to show staff."""


# --- Tag names ------------------------------------------------------------------------

# Every element the reader looks at, by reference name. A short-tag file uses the name in
# lower case for composites (<productidentifier>) and a code for data elements (<b221>).
_REFERENCE_WORDS = (
    "ONIXMessage Header Product RecordReference NotificationType ProductIdentifier "
    "ProductIDType IDValue DescriptiveDetail CollateralDetail PublishingDetail "
    "ProductSupply ProductForm Collection TitleDetail TitleType TitleElement "
    "TitleElementLevel TitleText TitlePrefix TitleWithoutPrefix Subtitle Contributor "
    "SequenceNumber ContributorRole PersonName PersonNameInverted NamesBeforeKey "
    "PrefixToKey KeyNames SuffixToKey CorporateName BiographicalNote Extent ExtentType "
    "ExtentValue ExtentUnit Subject MainSubject SubjectSchemeIdentifier SubjectCode "
    "SubjectHeadingText TextContent TextType ContentAudience Text TextAuthor "
    "TextSourceCorporate SourceTitle Imprint ImprintName Publisher PublishingRole "
    "PublisherName PublishingDate PublishingDateRole Date DateFormat Market Territory "
    "CountriesIncluded RegionsIncluded CountriesExcluded RegionsExcluded SupplyDetail "
    "ProductAvailability Stock OnHand UnpricedItemType Price PriceType PriceQualifier "
    "PriceAmount CurrencyCode PriceDate PriceDateRole DefaultCurrencyCode DefaultPriceType"
)
REFERENCE_NAMES = tuple(_REFERENCE_WORDS.split())

SHORT_TAGS = {
    "ONIXmessage": "ONIXMessage",
    "a001": "RecordReference",
    "a002": "NotificationType",
    "b221": "ProductIDType",
    "b244": "IDValue",
    "b012": "ProductForm",
    "b202": "TitleType",
    "x409": "TitleElementLevel",
    "b203": "TitleText",
    "b030": "TitlePrefix",
    "b031": "TitleWithoutPrefix",
    "b029": "Subtitle",
    "b034": "SequenceNumber",
    "b035": "ContributorRole",
    "b036": "PersonName",
    "b037": "PersonNameInverted",
    "b039": "NamesBeforeKey",
    "b247": "PrefixToKey",
    "b040": "KeyNames",
    "b248": "SuffixToKey",
    "b047": "CorporateName",
    "b044": "BiographicalNote",
    "b218": "ExtentType",
    "b219": "ExtentValue",
    "b220": "ExtentUnit",
    "x425": "MainSubject",
    "b067": "SubjectSchemeIdentifier",
    "b069": "SubjectCode",
    "b070": "SubjectHeadingText",
    "x426": "TextType",
    "x427": "ContentAudience",
    "d104": "Text",
    "d107": "TextAuthor",
    "b374": "TextSourceCorporate",
    "x428": "SourceTitle",
    "b079": "ImprintName",
    "b291": "PublishingRole",
    "b081": "PublisherName",
    "x448": "PublishingDateRole",
    "b306": "Date",
    "j260": "DateFormat",
    "x449": "CountriesIncluded",
    "x450": "RegionsIncluded",
    "x451": "CountriesExcluded",
    "x452": "RegionsExcluded",
    "j396": "ProductAvailability",
    "j350": "OnHand",
    "j192": "UnpricedItemType",
    "x462": "PriceType",
    "j261": "PriceQualifier",
    "j151": "PriceAmount",
    "j152": "CurrencyCode",
    "x476": "PriceDateRole",
    "m186": "DefaultCurrencyCode",
    "x310": "DefaultPriceType",
}

_NAMES: dict[str, str] = {
    **{name.lower(): name for name in REFERENCE_NAMES},
    **{name: name for name in REFERENCE_NAMES},
    **SHORT_TAGS,
}
_CANONICAL_CACHE: dict[str, str] = {}
_CANONICAL_CACHE_LIMIT = 10_000  # a hostile feed could invent endless tag names


def canonical_tag(tag: str) -> str:
    """The reference name for a tag as it appears in a file: namespace dropped, short tag
    or lower-case composite translated. Tags the shop does not read keep their local name
    (XHTML inside a <Text> stays <p>, <em>...)."""
    name = _CANONICAL_CACHE.get(tag)
    if name is None:
        local = tag.rpartition("}")[2]
        name = _NAMES.get(local, local)
        if len(_CANONICAL_CACHE) < _CANONICAL_CACHE_LIMIT:
            _CANONICAL_CACHE[tag] = name
    return name


# --- What the reader yields -----------------------------------------------------------


@dataclass(frozen=True)
class Territory:
    countries_included: frozenset[str] = frozenset()
    regions_included: frozenset[str] = frozenset()
    countries_excluded: frozenset[str] = frozenset()
    regions_excluded: frozenset[str] = frozenset()

    def australia_score(self) -> int:
        """2: names Australia; 1: the whole world (or the rest of it) without excluding
        Australia; 0: not Australia."""
        if "AU" in self.countries_excluded or self.regions_excluded & {"WORLD", "ROW"}:
            return 0
        if "AU" in self.countries_included:
            return 2
        if self.regions_included & {"WORLD", "ROW"}:
            return 1
        return 0


@dataclass(frozen=True)
class DateValue:
    role: str
    value: str
    dateformat: str = ""


@dataclass(frozen=True)
class PriceRecord:
    price_type: str
    qualifier: str
    amount: str
    currency: str
    territory: Territory | None
    dates: tuple[DateValue, ...] = ()


@dataclass(frozen=True)
class SupplyRecord:
    """One SupplyDetail with the Market(s) of its ProductSupply (none: unrestricted)."""

    markets: tuple[Territory, ...]
    availability: str
    on_hand: tuple[str, ...]
    prices: tuple[PriceRecord, ...]

    def australia_score(self) -> int:
        if not self.markets:
            return 1
        return max(market.australia_score() for market in self.markets)


@dataclass(frozen=True)
class ContributorRecord:
    sequence: int | None
    roles: tuple[str, ...]
    person_name: str = ""
    person_name_inverted: str = ""
    names_before_key: str = ""
    prefix_to_key: str = ""
    key_names: str = ""
    suffix_to_key: str = ""
    corporate_name: str = ""
    biography: str = ""  # markup as sent
    biography_is_html: bool = False


@dataclass(frozen=True)
class SubjectRecord:
    main: bool
    scheme: str
    code: str
    heading: str


@dataclass(frozen=True)
class TextRecord:
    text_type: str
    audiences: tuple[str, ...]
    content: str  # markup when is_html, else plain text
    is_html: bool
    source: str = ""


@dataclass(frozen=True)
class ExtentRecord:
    extent_type: str
    value: str
    unit: str


@dataclass(frozen=True)
class ProductRecord:
    """One <Product> as plain values, reference names throughout. Block fields are None
    when the product does not carry that block."""

    position: int
    reference: str
    notification: str
    identifiers: tuple[tuple[str, str], ...]
    blocks: frozenset[str]
    product_form: str = ""
    title_text: str = ""
    title_prefix: str = ""
    title_without_prefix: str = ""
    subtitle: str = ""
    contributors: tuple[ContributorRecord, ...] = ()
    extents: tuple[ExtentRecord, ...] = ()
    subjects: tuple[SubjectRecord, ...] = ()
    texts: tuple[TextRecord, ...] = ()
    imprint_name: str = ""
    publisher_name: str = ""
    publishing_dates: tuple[DateValue, ...] = ()
    supplies: tuple[SupplyRecord, ...] = ()
    default_currency: str = ""
    default_price_type: str = ""

    @property
    def label(self) -> str:
        """How report lines name the record: its RecordReference, else its position."""
        return self.reference or f"product #{self.position}"


# --- Reading --------------------------------------------------------------------------

_HTML_FORMATS = {"02", "03", "05"}  # HTML, XML, XHTML [34]
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*(?:p|br|div|ul|ol|li|em|strong|b|i)\b", re.IGNORECASE)


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _text(parent: Element | None, path: str) -> str:
    """The whitespace-normalised text of the first `path` under `parent` ('' if none)."""
    if parent is None:
        return ""
    found = parent.find(path)
    if found is None:
        return ""
    if len(found):
        return _clean("".join(found.itertext()))
    return _clean(found.text)


def _texts(parent: Element, path: str) -> tuple[str, ...]:
    return tuple(_clean("".join(e.itertext()) if len(e) else e.text) for e in parent.findall(path))


_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def _inner_markup(element: Element) -> str:
    """The content of an element as HTML source: XHTML children serialised with their
    local names (attributes dropped), text escaped. The result still goes through nh3."""
    parts = [_escape(element.text)]
    for child in element:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            name = child.tag.rpartition("}")[2].lower()
            if name in _VOID_ELEMENTS:  # <br/>: written <br>, as "</br>" would be a second one
                parts.append(f"<{name}>")
            else:
                parts.append(f"<{name}>{_inner_markup(child)}</{name}>")
        parts.append(_escape(child.tail))
    return "".join(parts)


def _escape(text: str | None) -> str:
    if not text:
        return ""
    if "&" in text or "<" in text or ">" in text:
        return html.escape(text, quote=False)
    return text


def _rich_content(element: Element | None) -> tuple[str, bool]:
    """(content, is_html) of a <Text> or <BiographicalNote> by its textformat."""
    if element is None:
        return "", False
    text_format = element.get("textformat", "")
    if len(element):  # XHTML elements inside, whatever the textformat says
        return _inner_markup(element), True
    content = element.text or ""
    if text_format in _HTML_FORMATS or (not text_format and _LOOKS_LIKE_HTML.search(content)):
        return content, True  # HTML sent as escaped text or CDATA
    return content, False


_RICH_TEXT = frozenset({"Text", "BiographicalNote"})
_BLOCKS = frozenset({"DescriptiveDetail", "CollateralDetail", "PublishingDetail", "ProductSupply"})


def _fields(element: Element) -> dict[str, str]:
    """The whitespace-normalised text of each data element directly inside a composite,
    by name (the first of each; rich text such as <Text> is read by `_rich_content`)."""
    fields: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if tag not in fields and not len(child) and tag not in _RICH_TEXT:
            text = child.text
            fields[tag] = " ".join(text.split()) if text else ""
    return fields


def _territory(element: Element | None) -> Territory | None:
    if element is None:
        return None
    key = tuple((child.tag, child.text) for child in element)
    territory = _TERRITORIES.get(key)
    if territory is None:
        territory = _read_territory(element)
        if len(_TERRITORIES) < _TERRITORIES_LIMIT:
            _TERRITORIES[key] = territory
    return territory


_TERRITORIES: dict[tuple[tuple[str, str | None], ...], Territory] = {}
_TERRITORIES_LIMIT = 10_000


def _read_territory(element: Element) -> Territory:
    codes: dict[str, set[str]] = {}
    for child in element:
        if child.text:
            codes.setdefault(child.tag, set()).update(child.text.upper().split())
    return Territory(
        countries_included=frozenset(codes.get("CountriesIncluded", ())),
        regions_included=frozenset(codes.get("RegionsIncluded", ())),
        countries_excluded=frozenset(codes.get("CountriesExcluded", ())),
        regions_excluded=frozenset(codes.get("RegionsExcluded", ())),
    )


def _date_value(element: Element, role_tag: str) -> DateValue:
    fields = _fields(element)
    date = element.find("Date")
    dateformat = (date.get("dateformat", "") if date is not None else "") or fields.get(
        "DateFormat", ""
    )
    return DateValue(
        role=fields.get(role_tag, ""), value=fields.get("Date", ""), dateformat=dateformat
    )


def _sequence(value: str) -> int | None:
    return int(value) if value.isdecimal() and len(value) < 6 else None


def _contributor(element: Element) -> ContributorRecord:
    fields = _fields(element)
    biography, biography_is_html = _rich_content(element.find("BiographicalNote"))
    return ContributorRecord(
        sequence=_sequence(fields.get("SequenceNumber", "")),
        roles=_texts(element, "ContributorRole"),
        person_name=fields.get("PersonName", ""),
        person_name_inverted=fields.get("PersonNameInverted", ""),
        names_before_key=fields.get("NamesBeforeKey", ""),
        prefix_to_key=fields.get("PrefixToKey", ""),
        key_names=fields.get("KeyNames", ""),
        suffix_to_key=fields.get("SuffixToKey", ""),
        corporate_name=fields.get("CorporateName", ""),
        biography=biography,
        biography_is_html=biography_is_html,
    )


def _title_element(descriptive: Element) -> Element | None:
    """The product-level TitleElement of the TitleType 01 title (not a collection's)."""
    for detail in descriptive.findall("TitleDetail"):
        if _text(detail, "TitleType") != "01":
            continue
        elements = detail.findall("TitleElement")
        for element in elements:
            if _text(element, "TitleElementLevel") == "01":
                return element
        if elements:
            return elements[0]
    return None


def _text_record(element: Element) -> TextRecord:
    fields = _fields(element)
    content, is_html = _rich_content(element.find("Text"))
    source = (
        fields.get("SourceTitle")
        or fields.get("TextAuthor")
        or fields.get("TextSourceCorporate")
        or ""
    )
    return TextRecord(
        text_type=fields.get("TextType", ""),
        audiences=_texts(element, "ContentAudience"),
        content=content,
        is_html=is_html,
        source=source,
    )


def _price(element: Element) -> PriceRecord:
    fields = _fields(element)
    return PriceRecord(
        price_type=fields.get("PriceType", ""),
        qualifier=fields.get("PriceQualifier", ""),
        amount=fields.get("PriceAmount", ""),
        currency=fields.get("CurrencyCode", "").upper(),
        territory=_territory(element.find("Territory")),
        dates=tuple(_date_value(d, "PriceDateRole") for d in element.findall("PriceDate")),
    )


def product_record(
    element: Element, *, position: int = 1, defaults: dict[str, str] | None = None
) -> ProductRecord:
    """A finished <Product> element (tags already canonical) as a ProductRecord."""
    defaults = defaults or {}
    fields = _fields(element)
    values: dict[str, Any] = {
        "position": position,
        "reference": fields.get("RecordReference", ""),
        "notification": fields.get("NotificationType", ""),
        "identifiers": tuple(
            ((f := _fields(pi)).get("ProductIDType", ""), f.get("IDValue", ""))
            for pi in element.findall("ProductIdentifier")
        ),
        "blocks": frozenset(child.tag for child in element if child.tag in _BLOCKS),
        "default_currency": defaults.get("DefaultCurrencyCode", "").upper(),
        "default_price_type": defaults.get("DefaultPriceType", ""),
    }
    descriptive = element.find("DescriptiveDetail")
    if descriptive is not None:
        title_element = _title_element(descriptive)
        title = _fields(title_element) if title_element is not None else {}
        extents = [_fields(e) for e in descriptive.findall("Extent")]
        subjects = [
            (s.find("MainSubject") is not None, _fields(s)) for s in descriptive.findall("Subject")
        ]
        values.update(
            product_form=_text(descriptive, "ProductForm"),
            title_text=title.get("TitleText", ""),
            title_prefix=title.get("TitlePrefix", ""),
            title_without_prefix=title.get("TitleWithoutPrefix", ""),
            subtitle=title.get("Subtitle", ""),
            contributors=tuple(_contributor(c) for c in descriptive.findall("Contributor")),
            extents=tuple(
                ExtentRecord(
                    e.get("ExtentType", ""), e.get("ExtentValue", ""), e.get("ExtentUnit", "")
                )
                for e in extents
            ),
            subjects=tuple(
                SubjectRecord(
                    main=main,
                    scheme=s.get("SubjectSchemeIdentifier", ""),
                    code=s.get("SubjectCode", ""),
                    heading=s.get("SubjectHeadingText", ""),
                )
                for main, s in subjects
            ),
        )
    collateral = element.find("CollateralDetail")
    if collateral is not None:
        values["texts"] = tuple(_text_record(t) for t in collateral.findall("TextContent"))
    publishing = element.find("PublishingDetail")
    if publishing is not None:
        publishers = [_fields(p) for p in publishing.findall("Publisher")]
        publishers.sort(key=lambda p: p.get("PublishingRole") != "01")  # the main one first
        values.update(
            imprint_name=_text(publishing, "Imprint/ImprintName"),
            publisher_name=next((n for p in publishers if (n := p.get("PublisherName"))), ""),
            publishing_dates=tuple(
                _date_value(d, "PublishingDateRole") for d in publishing.findall("PublishingDate")
            ),
        )
    supplies = []
    for supply in element.findall("ProductSupply"):
        markets = tuple(
            t for m in supply.findall("Market") if (t := _territory(m.find("Territory")))
        )
        for detail in supply.findall("SupplyDetail"):
            supplies.append(
                SupplyRecord(
                    markets=markets,
                    availability=_text(detail, "ProductAvailability"),
                    on_hand=_texts(detail, "Stock/OnHand"),
                    prices=tuple(_price(p) for p in detail.findall("Price")),
                )
            )
    values["supplies"] = tuple(supplies)
    return ProductRecord(**values)


def _refusal(error: Exception, *, started: bool) -> OnixRefused:
    """A one-line refusal for a parser error. `started`: the root element had been read."""
    if isinstance(error, EntitiesForbidden):
        return OnixRefused(
            f"This file declares an XML entity ({error.name}); the shop refuses entity "
            "declarations, which can read local files or expand without limit."
        )
    if isinstance(error, ExternalReferenceForbidden):
        return OnixRefused(
            f"This file refers to an external resource ({error.sysid}); the shop refuses it."
        )
    if isinstance(error, DefusedXmlException):
        return OnixRefused(f"This file uses an XML feature the shop refuses: {error}.")
    if isinstance(error, ParseError):
        line, column = error.position
        reason = expat.ErrorString(error.code) if error.code else str(error)
        if started:
            return OnixRefused(
                f"The XML breaks off or is malformed at line {line}, column {column} "
                f"({reason}); the file may be truncated."
            )
        if (
            line == 1
            and column == 0
            and error.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]
        ):
            return OnixRefused("The file is empty.")
        return OnixRefused(f"This is not an XML file ({reason} at line {line}, column {column}).")
    return OnixRefused(str(error))


def _check_root(root: Element) -> str:
    """The ONIX release of a message's root element, or OnixRefused."""
    namespace, _, local = root.tag.rpartition("}")
    if local not in ("ONIXMessage", "ONIXmessage"):
        raise OnixRefused(
            f"This is not an ONIX file: its root element is <{local}>, not <ONIXMessage>."
        )
    release = root.get("release", "").strip()
    if not release:
        match = re.search(r"/onix/(\d\.\d)/", namespace)
        release = match.group(1) if match else "2.1"  # ONIX 3 requires the attribute
    if release.startswith("2."):
        raise OnixRefused(ONIX_21_MESSAGE)
    if release not in SUPPORTED_RELEASES:
        raise OnixRefused(
            f"ONIX release {release} is not supported; the shop reads ONIX 3.0 and 3.1."
        )
    return release


class _ProductBuilder:
    """Parser target: builds elements with ElementTree's TreeBuilder, turns each finished
    <Product> into a ProductRecord (or reads the <Header>) and removes it from the root, so
    the tree never holds more than the products of one piece of the file. Checks the root
    element as soon as it starts.

    No Python runs for each element: after the root, expat calls the TreeBuilder's own
    start, end and data. After each piece of the file, `collect` takes the root's finished
    children: all but the last, which may still be open (`close` takes that one too). ONIX
    has no <Product> or <Header> other than the root's children. Tags are made canonical
    (`canonical_tag`) a product at a time, just before it is read."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self.root: Element | None = None
        self.release = ""
        self.defaults: dict[str, str] = {}
        self.records: list[ProductRecord] = []
        self.products_read = 0

    def attach(self, parser: expat.XMLParserType) -> None:
        """Have expat call the TreeBuilder directly (attributes as a dict, as it expects)."""
        self._parser = parser
        parser.ordered_attributes = False
        parser.StartElementHandler = self._start_root
        parser.EndElementHandler = self._builder.end
        parser.CharacterDataHandler = self._builder.data

    def _start_root(self, tag: str, attrib: dict[str, str]) -> None:
        self.root = self._builder.start(tag, attrib)
        self.release = _check_root(self.root)
        self._parser.StartElementHandler = self._builder.start

    def collect(self, *, finished: bool = False) -> None:
        """Read and remove the root's finished children (all of them once `finished`)."""
        root = self.root
        if root is None:
            return
        done = len(root) if finished else len(root) - 1
        if done <= 0:
            return
        for child in root[:done]:
            for element in child.iter():
                element.tag = _CANONICAL_CACHE.get(element.tag) or canonical_tag(element.tag)
            if child.tag == "Product":
                self.products_read += 1
                self.records.append(
                    product_record(child, position=self.products_read, defaults=self.defaults)
                )
            elif child.tag == "Header":
                self.defaults = {
                    field: _text(child, field)
                    for field in ("DefaultCurrencyCode", "DefaultPriceType")
                }
        del root[:done]

    def close(self) -> None:
        self._builder.close()
        self.collect(finished=True)


class OnixReader:
    """Streams the products of an ONIX 3.0 message from a binary file object.

    Iterating gives one ProductRecord per <Product>. The file is fed, 16 KB at a time, to
    defusedxml's parser (`_defused_parser`), whose target keeps only the products of the
    piece being read (small pieces keep few objects alive for the garbage collector).
    Raises OnixRefused for a file that is not ONIX 3.0 or not (complete) XML, at the point
    the reader finds out.
    """

    CHUNK = 1 << 14

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._builder = _ProductBuilder()

    @property
    def release(self) -> str:
        return self._builder.release

    @property
    def products_read(self) -> int:
        return self._builder.products_read

    def __iter__(self) -> Iterator[ProductRecord]:
        builder = self._builder
        parser = _defused_parser(builder)
        builder.attach(parser.parser)
        try:
            while chunk := self.stream.read(self.CHUNK):
                parser.feed(chunk)
                builder.collect()
                if builder.records:
                    yield from builder.records
                    builder.records.clear()
            parser.close()
        except (ParseError, DefusedXmlException) as error:
            raise _refusal(error, started=builder.root is not None) from None
        yield from builder.records
        builder.records.clear()


def _defused_parser(target: object) -> DefusedET.XMLParser:
    """defusedxml's XMLParser: entity declarations and external references are refused
    (a DOCTYPE is let through, so that the release check can name ONIX 2.1). Its catch-all
    handler is taken off, so that expat runs at C speed between the target's calls; an
    entity reference it cannot resolve (possible only with an external DTD, which is
    never read) refuses the file."""
    parser = DefusedET.XMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    parser.parser.DefaultHandlerExpand = None
    parser.parser.SkippedEntityHandler = _undefined_entity
    return parser


class _DiscardTarget:
    """A parser target that builds nothing: for checking that a file is well-formed."""

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def _undefined_entity(name: str, is_parameter_entity: bool) -> None:
    raise OnixRefused(f"This file uses an entity the shop cannot resolve (&{name};).")


# Publishers often send their feeds compressed: say so, rather than "not XML".
_ARCHIVES = {
    b"PK\x03\x04": "This is a zip archive, not XML: unzip it and import the ONIX file inside.",
    b"\x1f\x8b": "This file is gzip-compressed, not XML: unpack it (gunzip) and import the "
    "ONIX file inside.",
}


def _refuse_archive(head: bytes) -> None:
    for magic, message in _ARCHIVES.items():
        if head.startswith(magic):
            raise OnixRefused(message)


def check_onix(stream: IO[bytes]) -> str:
    """Refuse (OnixRefused) anything but a complete, well-formed ONIX 3.0 message without
    entity declarations; return its release. Reads the whole stream (fast: nothing is
    built) and leaves it at the end; seek back before importing."""
    _refuse_archive(stream.read(4))
    stream.seek(0)
    root_found = False
    parser = None
    try:
        for _event, element in DefusedET.iterparse(stream, events=("start",)):
            release = _check_root(element)
            root_found = True
            break
        else:
            raise OnixRefused("The file is empty.")
        stream.seek(0)
        parser = _defused_parser(_DiscardTarget())
        while chunk := stream.read(1 << 20):
            parser.feed(chunk)
        parser.close()
    except (ParseError, DefusedXmlException) as error:
        refusal = None
        if parser is not None and isinstance(error, ParseError):
            refusal = _encoding_refusal(stream, error, parser.parser.CurrentByteIndex)
        raise (refusal or _refusal(error, started=root_found)) from None
    return release


_XML_DECLARATION = re.compile(
    rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']"
)


def _encoding_refusal(stream: IO[bytes], error: ParseError, byte_index: int) -> OnixRefused | None:
    """When expat stopped at bytes that the file's own encoding (its XML declaration's,
    else UTF-8) cannot decode, or at a control character, a refusal that says so: the
    commonest fault in a feed is text saved as Windows-1252 in a file that says it is
    UTF-8, and "malformed, may be truncated" would send staff looking for the wrong
    thing."""
    if error.code != expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN] or byte_index < 0:
        return None
    stream.seek(0)
    declaration = _XML_DECLARATION.match(stream.read(256))
    declared = declaration.group(1).decode("ascii") if declaration else "UTF-8"
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        return None
    if codec.name.startswith(("utf-16", "utf-32")):  # bytes are not characters there
        return None
    stream.seek(byte_index)
    window = stream.read(4)
    if not window:
        return None
    line, column = error.position
    if window[0] < 0x20 and window[0] not in b"\t\n\r":
        return OnixRefused(
            f"Line {line}, column {column} has a control character (0x{window[0]:02X}) that "
            "XML does not allow; the file needs correcting where it was made."
        )
    try:
        codecs.getincrementaldecoder(codec.name)().decode(window, final=False)
    except UnicodeDecodeError:
        says = "the encoding the file declares" if declaration else "XML's default encoding"
        return OnixRefused(
            f"Line {line}, column {column} has a byte (0x{window[0]:02X}) that is not "
            f"{declared}, {says}: the file was probably saved in another encoding, such as "
            f"Windows-1252. Save it as {declared} (or declare its real encoding) and import "
            "it again."
        )
    return None


# --- Mapping --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a product was skipped: one report line."""

    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.reason}"


class ProductSkipped(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ContributorData:
    name: str
    sort_name: str
    slug: str
    role: str
    # The BiographicalNote as sent, and whether it is HTML; compared through `biography`.
    note: tuple[str, bool] = field(default=("", False), compare=False)

    @property
    def biography(self) -> str:
        """The biographical note as plain text (worked out only for an author who needs
        it: a new one, or one without a biography)."""
        return _plain(*self.note)


@dataclass(frozen=True)
class NamedData:
    """An imprint or a subject: matched by slug (or by name)."""

    name: str
    slug: str
    publisher: str = ""


@dataclass(frozen=True)
class DescriptiveData:
    title: str
    subtitle: str
    format: str
    product_form: str
    pages: int | None
    contributors: tuple[ContributorData, ...]
    subjects: tuple[NamedData, ...]


@dataclass(frozen=True)
class CollateralData:
    description: str
    praise: tuple[tuple[str, str], ...]  # (quote, source)


@dataclass(frozen=True)
class PublishingData:
    imprint: NamedData | None
    published: datetime.date | None


@dataclass(frozen=True)
class SupplyData:
    rrp: Decimal | None
    stock: int | None  # None: leave the shop's stock as it is


@dataclass(frozen=True)
class BookData:
    """What the catalogue should hold for one product. A part that is None is left as
    the shop has it (a block update without that block, or a deletion)."""

    reference: str
    isbn: str
    hide: bool = False
    descriptive: DescriptiveData | None = None
    collateral: CollateralData | None = None
    publishing: PublishingData | None = None
    supply: SupplyData | None = None


ROLES = {
    "A01": Contribution.Role.AUTHOR,
    "B06": Contribution.Role.TRANSLATOR,
    "A24": Contribution.Role.INTRODUCTION,
    "A23": Contribution.Role.FOREWORD,
    "B01": Contribution.Role.EDITOR,
    "A12": Contribution.Role.ILLUSTRATOR,
}

INCLUDING_TAX_PRICE_TYPES = ("02", "04", "42", "34", "22", "24")
EXCLUDING_TAX_PRICE_TYPES = ("01", "03", "41", "33", "21", "23")
PRICE_TYPE_ORDER = INCLUDING_TAX_PRICE_TYPES + EXCLUDING_TAX_PRICE_TYPES
CONSUMER_QUALIFIERS = ("", "00", "05")
GST_RATE = Decimal("0.10")
CENT = Decimal("0.01")
MAX_RRP = Decimal("99999999.99")  # Book.rrp: 10 digits, 2 after the point

EXTENT_TYPE_ORDER = ("00", "11", "05", "07", "08", "10")
PAGES_UNIT = "03"
UNAVAILABLE = {"01"} | {str(code) for code in range(30, 53)}
CUSTOMER_AUDIENCES = {"00", "03"}

# Top-level headings for main subjects sent only as a code.
BISAC_HEADINGS = {
    "ANT": "Antiques & Collectibles", "ARC": "Architecture", "ART": "Art", "BIB": "Bibles",
    "BIO": "Biography", "BUS": "Business & Economics", "CGN": "Comics & Graphic Novels",
    "CKB": "Cooking", "COM": "Computing", "CRA": "Crafts & Hobbies", "DES": "Design",
    "DRA": "Drama", "EDU": "Education", "FAM": "Family & Relationships", "FIC": "Fiction",
    "FOR": "Languages", "GAM": "Games & Activities", "GAR": "Gardening",
    "HEA": "Health & Fitness", "HIS": "History", "HOM": "House & Home", "HUM": "Humour",
    "JUV": "Children's Fiction", "JNF": "Children's Nonfiction", "LAN": "Language",
    "LAW": "Law", "LCO": "Literary Collections", "LIT": "Literary Criticism",
    "MAT": "Mathematics", "MED": "Medicine", "MUS": "Music", "NAT": "Nature",
    "OCC": "Mind, Body & Spirit", "PER": "Performing Arts", "PET": "Pets",
    "PHI": "Philosophy", "PHO": "Photography", "POE": "Poetry", "POL": "Politics",
    "PSY": "Psychology", "REF": "Reference", "REL": "Religion", "SCI": "Science",
    "SEL": "Self-Help", "SOC": "Social Science", "SPO": "Sport", "STU": "Study Aids",
    "TEC": "Technology & Engineering", "TRA": "Transport", "TRV": "Travel",
    "TRU": "True Crime", "YAF": "Young Adult Fiction", "YAN": "Young Adult Nonfiction",
}  # fmt: skip
THEMA_HEADINGS = {
    "A": "The Arts", "C": "Language", "D": "Literature", "DC": "Poetry", "DN": "Biography",
    "F": "Fiction", "G": "Reference", "J": "Society & Social Sciences",
    "K": "Business & Economics", "L": "Law", "M": "Medicine", "N": "History",
    "P": "Science", "Q": "Philosophy & Religion", "R": "Earth Sciences & Environment",
    "S": "Sport", "T": "Technology & Engineering", "U": "Computing",
    "V": "Health & Personal Development", "W": "Lifestyle & Leisure",
    "X": "Comics & Graphic Novels", "Y": "Children's & Young Adult",
}  # fmt: skip
BIC_HEADINGS = {
    "A": "The Arts", "B": "Biography", "C": "Language", "D": "Literature", "DC": "Poetry",
    "F": "Fiction", "G": "Reference", "H": "Humanities", "HB": "History",
    "HP": "Philosophy", "HR": "Religion", "J": "Society & Social Sciences",
    "JP": "Politics", "K": "Business & Economics", "L": "Law", "M": "Medicine",
    "P": "Science", "R": "Earth Sciences & Environment", "T": "Technology & Engineering",
    "U": "Computing", "V": "Health & Personal Development", "W": "Lifestyle & Leisure",
    "Y": "Children's & Young Adult",
}  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _slug(text: str, kind: str, max_length: int) -> str:
    """An ASCII slug (URLs need one); a name with no Latin letters gets a stable
    `kind-<hash>` one."""
    slug = slugify(text)[:max_length].strip("-")
    if not slug:
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        slug = f"{kind}-{digest}"
    return slug


def parse_onix_date(value: str, dateformat: str = "") -> datetime.date:
    """A date in an ONIX date format [55]: 00 YYYYMMDD, 01 YYYYMM, 05 YYYY, 13/14 with a
    time after a T; hyphens are tolerated. Without a format the length decides. Raises
    ValueError with a reason."""
    compact = value.strip().replace("-", "")
    if dateformat in ("13", "14"):
        compact = compact.split("T", 1)[0]
    elif dateformat not in ("", "00", "01", "05"):
        raise ValueError(f"dateformat {dateformat} is not supported (use 00, 01 or 05)")
    if not compact.isdecimal() or len(compact) not in (4, 6, 8):
        raise ValueError(f"{value!r} is not a date in YYYYMMDD, YYYYMM or YYYY form")
    year, month, day = int(compact[:4]), int(compact[4:6] or 1), int(compact[6:8] or 1)
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error})") from None


def _isbn(record: ProductRecord) -> str:
    by_type: dict[str, str] = {}
    for id_type, value in record.identifiers:
        by_type.setdefault(id_type, value)
    candidates = []
    if "15" in by_type:
        candidates.append(by_type["15"])
    if "03" in by_type and by_type["03"].startswith(("978", "979")):
        candidates.append(by_type["03"])
    if not candidates:
        raise ValueError("no ISBN-13 (ProductIDType 15, or 03 starting 978/979)")
    try:
        return normalise_isbn(candidates[0])
    except InvalidISBN as error:
        raise ValueError(f"{candidates[0]}: {error}") from None


def _title(record: ProductRecord) -> str:
    if record.title_text:
        return record.title_text
    return " ".join(filter(None, [record.title_prefix, record.title_without_prefix]))


def _format(product_form: str) -> str:
    code = product_form.upper()
    if code in ("BB", "BG"):
        return BookFormat.HARDBACK
    if code in ("BC", "BF"):
        return BookFormat.PAPERBACK
    if code.startswith("E") or code == "DG":
        return BookFormat.EBOOK
    if code.startswith("A"):
        return BookFormat.AUDIOBOOK
    return BookFormat.OTHER


def _pages(record: ProductRecord) -> int | None:
    by_type = {e.extent_type: e for e in record.extents if e.unit in (PAGES_UNIT, "")}
    for extent_type in EXTENT_TYPE_ORDER:
        extent = by_type.get(extent_type)
        if extent is None:
            continue
        if not extent.value.isdecimal() or len(extent.value) > 6:
            raise ValueError(f"{extent.value!r} is not a number of pages")
        return int(extent.value) or None
    return None


def _person(contributor: ContributorRecord) -> tuple[str, str]:
    """(name, sort name) of a contributor; ('', '') when it names nobody."""
    structured = " ".join(
        filter(
            None,
            [
                contributor.names_before_key,
                contributor.prefix_to_key,
                contributor.key_names,
                contributor.suffix_to_key,
            ],
        )
    )
    name = contributor.person_name or structured or contributor.corporate_name
    if contributor.person_name_inverted:
        sort_name = contributor.person_name_inverted
    elif contributor.key_names and contributor.names_before_key:
        key = " ".join(filter(None, [contributor.prefix_to_key, contributor.key_names]))
        sort_name = f"{key}, {contributor.names_before_key}"
    else:
        sort_name = name
    return name, sort_name


def _plain(content: str, is_html: bool) -> str:
    """Plain text (paragraphs separated by a blank line) from a text as sent."""
    if is_html:
        return html_to_text(content)
    if "\n" not in content:
        return _clean(content)
    paragraphs = re.split(r"\n\s*\n", content.replace("\r\n", "\n"))
    return "\n\n".join(
        "\n".join(_clean(line) for line in p.strip().splitlines()) for p in paragraphs if p.strip()
    )


def _contributors(record: ProductRecord) -> tuple[ContributorData, ...]:
    ordered = sorted(
        enumerate(record.contributors),
        key=lambda item: (item[1].sequence is None, item[1].sequence or 0, item[0]),
    )
    result: list[ContributorData] = []
    seen: set[tuple[str, str]] = set()
    for _, contributor in ordered:
        name, sort_name = _person(contributor)
        if not name:
            continue  # "Anonymous" (UnnamedPersons) and the like
        if len(name) > 200:
            raise ValueError(f"the name {name[:40]!r}... is longer than 200 characters")
        slug = _slug(name, "author", 200)
        note = (contributor.biography, contributor.biography_is_html)
        for code in contributor.roles:
            role = ROLES.get(code.upper())
            if role is None or (slug, role) in seen:
                continue
            seen.add((slug, role))
            result.append(ContributorData(name, sort_name[:200], slug, role, note))
    return tuple(result)


def _subjects(record: ProductRecord) -> tuple[NamedData, ...]:
    names: list[str] = []
    for subject in record.subjects:
        if subject.scheme == "20":  # keywords
            names.extend(k.strip() for k in subject.heading.split(";"))
        if subject.main:
            if subject.heading and subject.scheme != "20":
                names.append(subject.heading)
            elif subject.code:
                code = subject.code.upper()
                table = {"10": BISAC_HEADINGS, "12": BIC_HEADINGS, "93": THEMA_HEADINGS}.get(
                    subject.scheme, {}
                )
                key = code[:3] if subject.scheme == "10" else code[:2]
                heading = table.get(key) or table.get(code[:1])
                if heading:
                    names.append(heading)
    result: dict[str, NamedData] = {}
    for name in names:
        if name and len(name) <= 120:
            slug = _slug(name, "subject", 120)
            result.setdefault(slug, NamedData(name=name, slug=slug))
    return tuple(result.values())


def _description(record: ProductRecord) -> str:
    texts = {}
    for text in record.texts:
        if text.audiences and not CUSTOMER_AUDIENCES.intersection(text.audiences):
            continue
        texts.setdefault(text.text_type, text)
    chosen = texts.get("03") or texts.get("02")
    if chosen is None:
        return ""
    if chosen.is_html:
        return sanitise_html(chosen.content)
    return _plain(chosen.content, False)


def _praise(record: ProductRecord) -> tuple[tuple[str, str], ...]:
    quotes = []
    for text in record.texts:
        if text.text_type != "06" or not text.source:
            continue
        if text.audiences and not CUSTOMER_AUDIENCES.intersection(text.audiences):
            continue
        quote = _plain(text.content, text.is_html)
        if quote:
            quotes.append((quote, text.source[:200]))
    return tuple(quotes)


def _imprint(record: ProductRecord) -> NamedData | None:
    name = record.imprint_name or record.publisher_name
    if not name:
        return None
    if len(name) > 200:
        raise ValueError(f"{name[:40]!r}... is longer than 200 characters")
    return NamedData(
        name=name, slug=_slug(name, "imprint", 200), publisher=record.publisher_name[:200]
    )


def _published(record: ProductRecord) -> datetime.date | None:
    for date in record.publishing_dates:
        if date.role == "01":
            return parse_onix_date(date.value, date.dateformat)
    return None


def _price_is_current(price: PriceRecord, today: datetime.date) -> bool:
    for date in price.dates:
        try:
            when = parse_onix_date(date.value, date.dateformat)
        except ValueError:
            continue
        if date.role == "14" and when > today:
            return False
        if date.role == "15" and when < today:
            return False
    return True


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{text!r} is not an amount")
    if amount > MAX_RRP:
        raise ValueError(f"{text} is more than the shop can store")
    return amount


def australian_price(
    record: ProductRecord, today: datetime.date
) -> tuple[Decimal | None, SupplyRecord | None]:
    """The RRP in AUD, GST included, and the supply it came from (see the module
    docstring for the rules). Raises ValueError for an unreadable Australian price."""
    candidates: list[tuple[int, int, Decimal, SupplyRecord]] = []
    for supply in record.supplies:
        market_score = supply.australia_score()
        if market_score == 0:
            continue
        for price in supply.prices:
            score = price.territory.australia_score() if price.territory else market_score
            currency = price.currency or record.default_currency
            price_type = price.price_type or record.default_price_type
            if (
                score == 0
                or currency != "AUD"
                or price_type not in PRICE_TYPE_ORDER
                or price.qualifier not in CONSUMER_QUALIFIERS
                or not price.amount
                or not _price_is_current(price, today)
            ):
                continue
            amount = _amount(price.amount)
            if price_type in EXCLUDING_TAX_PRICE_TYPES:
                amount = amount * (1 + GST_RATE)
            amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
            if amount > MAX_RRP:  # GST pushed it over
                raise ValueError(f"{price.amount} is more than the shop can store")
            candidates.append((-score, PRICE_TYPE_ORDER.index(price_type), amount, supply))
    if not candidates:
        return None, None
    candidates.sort(key=lambda c: (c[0], c[1]))
    _, _, amount, supply = candidates[0]
    return amount, supply


def _stock(record: ProductRecord, priced_supply: SupplyRecord | None) -> int | None:
    supply = priced_supply or next((s for s in record.supplies if s.australia_score() > 0), None)
    if supply is None:
        return None
    if supply.availability in UNAVAILABLE:
        return 0
    if supply.on_hand:
        total = 0
        for value in supply.on_hand:
            if not value.lstrip("-").isdecimal() or len(value) > 12:
                raise ValueError(f"{value!r} is not a number of copies")
            total += max(int(value), 0)
        return min(total, 2_147_483_647)
    return None


def map_product(record: ProductRecord, *, today: datetime.date | None = None) -> BookData:
    """What the catalogue should hold for a product. Raises ProductSkipped with every
    problem found (record reference, field, reason)."""
    today = today or timezone.localdate()
    problems: list[Problem] = []

    def attempt(field_name: str, compute: Callable[[], Any], default: Any = None) -> Any:
        try:
            return compute()
        except ValueError as error:
            problems.append(Problem(record.label, field_name, str(error)))
            return default

    if record.notification in ("88", "89"):
        raise ProductSkipped(
            [Problem(record.label, "NotificationType", f"test record ({record.notification})")]
        )
    isbn = attempt("ProductIdentifier", lambda: _isbn(record), "")
    if record.notification == "05":
        if problems:
            raise ProductSkipped(problems)
        return BookData(reference=record.label, isbn=isbn, hide=True)

    block_update = record.notification == "04"

    def sent(block: str) -> bool:
        return not block_update or block in record.blocks

    descriptive = collateral = publishing = supply = None
    if sent("DescriptiveDetail"):
        title = _title(record)
        if not title:
            problems.append(Problem(record.label, "TitleDetail", "no title (TitleType 01)"))
        for name, value in [("TitleText", title), ("Subtitle", record.subtitle)]:
            if len(value) > 300:
                problems.append(Problem(record.label, name, "longer than 300 characters"))
        if len(record.product_form) not in (0, 2):
            problems.append(
                Problem(record.label, "ProductForm", f"{record.product_form!r} is not a code")
            )
        descriptive = DescriptiveData(
            title=title,
            subtitle=record.subtitle,
            format=_format(record.product_form),
            product_form=record.product_form.upper(),
            pages=attempt("ExtentValue", lambda: _pages(record)),
            contributors=attempt("Contributor", lambda: _contributors(record), ()),
            subjects=_subjects(record),
        )
    if sent("CollateralDetail"):
        collateral = CollateralData(description=_description(record), praise=_praise(record))
    if sent("PublishingDetail"):
        publishing = PublishingData(
            imprint=attempt("ImprintName", lambda: _imprint(record)),
            published=attempt("PublishingDate", lambda: _published(record)),
        )
    if sent("ProductSupply"):
        rrp, priced = attempt("PriceAmount", lambda: australian_price(record, today), (None, None))
        supply = SupplyData(rrp=rrp, stock=attempt("OnHand", lambda: _stock(record, priced)))
    if problems:
        raise ProductSkipped(problems)
    return BookData(
        reference=record.label,
        isbn=isbn,
        descriptive=descriptive,
        collateral=collateral,
        publishing=publishing,
        supply=supply,
    )


# --- Importing ------------------------------------------------------------------------

BATCH_SIZE = 100
ROWS_PER_INSERT = 100  # most rows to one INSERT on SQLite (which also takes 999 values at most)
MAX_PROBLEMS_KEPT = 1000
LOOKUP_CACHE_LIMIT = 50_000

ProgressCallback = Callable[[int, float | None], None]


@dataclass
class ImportReport:
    """What an import did: counts, and a line for each problem (the first 1,000)."""

    name: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    hidden: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_not_kept: int = 0
    seconds: float = 0.0

    @property
    def products(self) -> int:
        return self.created + self.updated + self.unchanged + self.hidden + self.skipped

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.hidden)

    def skip(self, problems: Iterable[Problem]) -> None:
        self.skipped += 1
        for problem in problems:
            if len(self.problems) < MAX_PROBLEMS_KEPT:
                self.problems.append(problem)
            else:
                self.problems_not_kept += 1

    def summary(self) -> str:
        products = "product" if self.products == 1 else "products"
        return (
            f"{self.products} {products}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.hidden} hidden, {self.skipped} skipped"
        )

    def lines(self) -> list[str]:
        """The summary, then one line per problem."""
        lines = [f"{self.name}: {self.summary()}" if self.name else self.summary()]
        lines.extend(f"  {problem}" for problem in self.problems)
        if self.problems_not_kept:
            lines.append(f"  ... and {self.problems_not_kept} more problems")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


CREATED, UPDATED, UNCHANGED, HIDDEN = "created", "updated", "unchanged", "hidden"

_Write = Callable[[], object]  # one statement (or a few) of a product's writes


@dataclass(frozen=True)
class _Create:
    """A write that INSERTs a new book."""

    book: Book

    def __call__(self) -> None:
        _create_books([self.book])


@dataclass(frozen=True)
class _Rows:
    """A write that INSERTs new rows belonging to a book (its key goes first); a batch
    written together gathers these, table by table, into a few multi-row statements."""

    model: type[models.Model]
    book: Book
    fields: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def keyed_rows(self) -> list[tuple[Any, ...]]:
        return [(self.book.pk, *row) for row in self.rows]

    def __call__(self) -> None:
        _insert_rows(self.model, ("book", *self.fields), self.keyed_rows())


@dataclass(frozen=True)
class _Credit:
    author: Any  # anything with a `name`, as Contribution.author has


@dataclass(frozen=True)
class _SearchTextSource:
    """What `Book.build_search_text` reads (title, subtitle, ISBN, contributors in page
    order), for a book whose contributions this import is about to write. The import sets
    the search text in the same transaction as the book, with the model's own method, so
    an imported book is findable the moment it is committed and the two cannot drift."""

    title: str
    subtitle: str
    isbn: str
    names: tuple[str, ...]

    def contributors(self, role: str | None = None) -> list[_Credit]:
        return [_Credit(author=_Name(name)) for name in self.names]


@dataclass(frozen=True)
class _Name:
    name: str


def search_text(title: str, subtitle: str, names: list[str], isbn: str) -> str:
    """`Book.build_search_text` for a book about to have these contributors' names."""
    source = _SearchTextSource(title, subtitle, isbn, tuple(names))
    return Book.build_search_text(source)  # type: ignore[arg-type]


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ from `values`; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@dataclass
class _AuthorRef:
    pk: int
    name: str
    has_biography: bool


class _Lookups:
    """Authors, imprints and subjects by slug, cached for the run.

    `prepare` makes sure every one a batch of products needs exists before the products
    are written: it reads the ones the cache lacks with one query per model and creates
    the rest with one bulk insert (ignoring a row someone else created meanwhile). These
    are shared reference rows, so they are not part of any product's transaction: one
    created for a product that the database then refuses stays, with no books.
    """

    def __init__(self) -> None:
        self.authors: dict[str, _AuthorRef] = {}
        self.imprints: dict[str, int] = {}
        self.subjects: dict[str, int] = {}

    def prepare(self, books: list[BookData]) -> None:
        if len(self.authors) + len(self.imprints) + len(self.subjects) > LOOKUP_CACHE_LIMIT:
            self.clear()
        authors: dict[str, ContributorData] = {}
        imprints: dict[str, NamedData] = {}
        subjects: dict[str, NamedData] = {}
        for book in books:
            if book.descriptive:
                for contributor in book.descriptive.contributors:
                    authors.setdefault(contributor.slug, contributor)
                for subject in book.descriptive.subjects:
                    subjects.setdefault(subject.slug, subject)
            if book.publishing and book.publishing.imprint:
                imprints.setdefault(book.publishing.imprint.slug, book.publishing.imprint)
        self._prepare_authors(authors)
        self._prepare_named(Imprint, self.imprints, imprints)
        self._prepare_named(Subject, self.subjects, subjects)

    def clear(self) -> None:
        self.authors.clear()
        self.imprints.clear()
        self.subjects.clear()

    def _prepare_authors(self, wanted: dict[str, ContributorData]) -> None:
        def fetch(slugs: Iterable[str]) -> None:
            rows = Author.objects.filter(slug__in=list(slugs)).values_list(
                "pk", "slug", "name", "biography"
            )
            for pk, slug, name, biography in rows:
                self.authors[slug] = _AuthorRef(pk, name, bool(biography))

        missing = wanted.keys() - self.authors.keys()
        if missing:
            fetch(missing)
            new = [wanted[slug] for slug in sorted(missing - self.authors.keys())]
            if new:
                Author.objects.bulk_create(
                    [
                        Author(
                            name=c.name, sort_name=c.sort_name, slug=c.slug, biography=c.biography
                        )
                        for c in new
                    ],
                    ignore_conflicts=True,
                )
                fetch(c.slug for c in new)
        for slug, contributor in wanted.items():
            ref = self.authors.get(slug)
            if ref is not None and not ref.has_biography and contributor.note[0]:
                biography = contributor.biography
                if biography:
                    Author.objects.filter(pk=ref.pk, biography="").update(biography=biography)
                    ref.has_biography = True

    @staticmethod
    def _prepare_named(
        model: type[Imprint] | type[Subject], cache: dict[str, int], wanted: dict[str, NamedData]
    ) -> None:
        """Imprints and subjects match an existing row by slug, or by name (staff may have
        given it another slug)."""
        kind = model._meta.model_name
        max_length = model._meta.get_field("slug").max_length

        def fetch(items: list[NamedData]) -> None:
            query = Q(slug__in=[i.slug for i in items]) | Q(name__in=[i.name for i in items])
            for pk, slug, name in model.objects.filter(query).values_list("pk", "slug", "name"):
                cache[slug] = pk
                cache.setdefault(_slug(name, kind, max_length), pk)

        missing = [item for slug, item in wanted.items() if slug not in cache]
        if missing:
            fetch(missing)
            new = [item for item in missing if item.slug not in cache]
            if new:
                rows = [model(name=i.name, slug=i.slug) for i in new]
                if model is Imprint:
                    for row, item in zip(rows, new, strict=True):
                        row.publisher = item.publisher
                model.objects.bulk_create(rows, ignore_conflicts=True)
                fetch(new)

    def author(self, data: ContributorData) -> _AuthorRef:
        return self._get(self.authors, data.slug, "author", data.name)

    def imprint(self, data: NamedData) -> int:
        return self._get(self.imprints, data.slug, "imprint", data.name)

    def subject(self, data: NamedData) -> int:
        return self._get(self.subjects, data.slug, "subject", data.name)

    @staticmethod
    def _get(cache: dict[str, Any], slug: str, kind: str, name: str) -> Any:
        try:
            return cache[slug]
        except KeyError:
            raise ValueError(f"the {kind} {name!r} could not be found or created") from None


@dataclass
class _Existing:
    """The books of a batch that the shop already has, with their contributions, praise
    and subjects as plain tuples: four queries for the whole batch."""

    books: dict[str, Book] = field(default_factory=dict)
    contributions: dict[int, list[tuple[int, int, str, int]]] = field(default_factory=dict)
    reviews: dict[int, list[tuple[int, str, int, str]]] = field(default_factory=dict)
    subjects: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, isbns: Iterable[str]) -> _Existing:
        existing = cls(books={book.isbn: book for book in Book.objects.filter(isbn__in=isbns)})
        ids = [book.pk for book in existing.books.values()]
        if not ids:
            return existing
        for pk, book_id, author_id, role, position in Contribution.objects.filter(
            book_id__in=ids
        ).values_list("pk", "book_id", "author_id", "role", "position"):
            existing.contributions.setdefault(book_id, []).append((pk, author_id, role, position))
        for pk, book_id, source, position, quote in Review.objects.filter(
            book_id__in=ids
        ).values_list("pk", "book_id", "source", "position", "quote"):
            existing.reviews.setdefault(book_id, []).append((pk, source, position, quote))
        link = Book.subjects.through
        for book_id, subject_id in link.objects.filter(book_id__in=ids).values_list(
            "book_id", "subject_id"
        ):
            existing.subjects.setdefault(book_id, set()).add(subject_id)
        return existing

    def reload(self, isbn: str) -> None:
        """Read one book again (after this run wrote it)."""
        fresh = _Existing.load([isbn])
        self.books.pop(isbn, None)
        self.books.update(fresh.books)
        for book in fresh.books.values():
            self.contributions[book.pk] = fresh.contributions.get(book.pk, [])
            self.reviews[book.pk] = fresh.reviews.get(book.pk, [])
            self.subjects[book.pk] = fresh.subjects.get(book.pk, set())


class _Importer:
    def __init__(
        self,
        report: ImportReport,
        today: datetime.date,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.report = report
        self.today = today
        self.lookups = _Lookups()
        self.progress = progress
        self.done = 0

    def import_batch(self, records: list[ProductRecord]) -> None:
        books: list[BookData] = []
        for record in records:
            try:
                books.append(map_product(record, today=self.today))
            except ProductSkipped as skipped:
                self.report.skip(skipped.problems)
                self._tick()
        self.lookups.prepare([b for b in books if not b.hide])
        started = self.done
        results: list[str | list[Problem]] | None = None
        if len({b.isbn for b in books}) == len(books):  # else the savepoint path rereads
            try:
                with transaction.atomic():
                    results = self.write_together(books)
            except (DatabaseError, ValueError):
                # Some product's write was refused: nothing of the batch was written. It
                # is written again, a product to a savepoint, to find which.
                self.done = started
                results = None
        if results is None:
            try:
                with transaction.atomic():
                    results = self.write(books)
                    if transaction.get_rollback():  # a savepoint could not be rolled back
                        raise DatabaseError("the batch's transaction is broken")
            except DatabaseError:
                # Each product's own errors are caught in its savepoint, so this is the
                # commit: a constraint checked only then (foreign keys are deferred on both
                # databases). Nothing of the batch was written; write it again with a
                # commit per product, so that only the product at fault is lost.
                self.done = started
                results = self.write(books)
        for result in results:
            if isinstance(result, list):  # the product's problems
                self.report.skip(result)
            else:
                setattr(self.report, result, getattr(self.report, result) + 1)

    def write_together(self, books: list[BookData]) -> list[str | list[Problem]]:
        """Write the whole batch at once, with no savepoints: the changes to books the
        shop has, one after another, then every new book in a few multi-row INSERTs, and
        their credits, subjects and praise likewise, table by table. Any refusal by the
        database raises (and rolls the batch back); a product `plan` refuses (it writes
        nothing) is reported and left out."""
        existing = _Existing.load({b.isbn for b in books})
        results: list[str | list[Problem]] = []
        new_books: list[Book] = []
        new_rows: dict[tuple[type[models.Model], tuple[str, ...]], list[_Rows]] = {}
        changes: list[_Write] = []
        for data in books:
            try:
                outcome, writes = self.plan(data, existing)
            except ProductSkipped as skipped:
                results.append(skipped.problems)
                continue
            except ValueError as error:
                results.append([_refused(data, error)])
                continue
            for write in writes:
                if isinstance(write, _Create):
                    new_books.append(write.book)
                elif isinstance(write, _Rows):
                    new_rows.setdefault((write.model, write.fields), []).append(write)
                else:
                    changes.append(write)
            results.append(outcome)
        for change in changes:
            change()
        if new_books:
            _create_books(new_books)
        for (model, fields), groups in new_rows.items():
            rows = [row for group in groups for row in group.keyed_rows()]
            _insert_rows(model, ("book", *fields), rows)
        for _ in results:
            self._tick()
        return results

    def write(self, books: list[BookData]) -> list[str | list[Problem]]:
        """Write each product in its own transaction (a savepoint when the batch's
        transaction is open): its outcome, or why the database refused it, in which case
        it is rolled back and the others carry on."""
        existing = _Existing.load({b.isbn for b in books})
        results: list[str | list[Problem]] = []
        seen: set[str] = set()
        for data in books:
            if data.isbn in seen:  # the feed sends this ISBN twice: read what we wrote
                existing.reload(data.isbn)
            seen.add(data.isbn)
            try:
                outcome = self.apply(data, existing)
            except ProductSkipped as skipped:
                results.append(skipped.problems)
            except (DatabaseError, ValueError) as error:
                results.append([_refused(data, error)])
            else:
                results.append(outcome)
            self._tick()
        return results

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done)

    def apply(self, data: BookData, existing: _Existing) -> str:
        """Write one product, if it changes anything, in its own transaction (a savepoint
        when the batch's transaction is open). Returns the outcome."""
        outcome, writes = self.plan(data, existing)
        if writes:
            with transaction.atomic():
                for write in writes:
                    write()
        return outcome

    def plan(self, data: BookData, existing: _Existing) -> tuple[str, list[_Write]]:
        """A product's outcome and the writes it takes, in order: none when the shop has
        the book as the feed describes it, so an unchanged product costs no statement.
        Writes nothing itself."""
        book = existing.books.get(data.isbn)
        if data.hide:
            if book is None or not book.is_visible:
                return UNCHANGED, []
            book.is_visible = False
            return HIDDEN, [
                functools.partial(book.save, update_fields=["is_visible", "updated_at"])
            ]
        created = book is None
        if book is None:
            if data.descriptive is None or not data.descriptive.title:
                reason = "the shop does not have this book, and a new one needs a title"
                raise ProductSkipped([Problem(data.reference, "DescriptiveDetail", reason)])
            book = Book(isbn=data.isbn, is_visible=True)
        changed = _assign(book, self._book_values(data, book, created))
        writes: list[_Write] = []
        if created:
            writes.append(_Create(book))
        elif changed:
            writes.append(book.save)
        if data.descriptive is not None:
            writes += self._sync_contributions(
                book, data.descriptive.contributors, existing.contributions.get(book.pk, [])
            )
            writes += self._sync_subjects(
                book, data.descriptive.subjects, existing.subjects.get(book.pk, set())
            )
        if data.collateral is not None:
            writes += self._sync_reviews(
                book, data.collateral.praise, existing.reviews.get(book.pk, [])
            )
        if created:
            return CREATED, writes
        return (UPDATED if writes else UNCHANGED), writes

    def _book_values(self, data: BookData, book: Book, created: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if data.descriptive is not None:
            d = data.descriptive
            values.update(
                title=d.title,
                subtitle=d.subtitle,
                format=d.format,
                product_form=d.product_form,
                pages=d.pages,
            )
            if created or d.title != book.title:
                values["slug"] = _slug(d.title, "book", 300)
            names = [self.lookups.author(c).name for c in d.contributors]
            values["search_text"] = search_text(d.title, d.subtitle, names, data.isbn)
        if data.collateral is not None:
            values["description"] = data.collateral.description
        if data.publishing is not None:
            imprint = data.publishing.imprint
            values["imprint_id"] = self.lookups.imprint(imprint) if imprint else None
            values["published"] = data.publishing.published
        if data.supply is not None:
            rrp = data.supply.rrp
            values["rrp"] = Money(rrp, "AUD") if rrp is not None else None
            if data.supply.stock is not None:
                values["stock"] = data.supply.stock
        return values

    def _sync_contributions(
        self,
        book: Book,
        wanted: tuple[ContributorData, ...],
        current_rows: list[tuple[int, int, str, int]],
    ) -> list[_Write]:
        """Contributions matched by (author, role); `wanted` is in page order."""
        current = {
            (author_id, role): (pk, position) for pk, author_id, role, position in current_rows
        }
        writes: list[_Write] = []
        new: list[tuple[int, str, int]] = []
        for position, contributor in enumerate(wanted):
            author_id = self.lookups.author(contributor).pk
            found = current.pop((author_id, contributor.role), None)
            if found is None:
                new.append((author_id, contributor.role, position))
            elif found[1] != position:
                moved = Contribution.objects.filter(pk=found[0])
                writes.append(functools.partial(moved.update, position=position))
        if current:
            gone = Contribution.objects.filter(pk__in=[pk for pk, _ in current.values()])
            writes.append(gone.delete)
        if new:
            writes.append(_Rows(Contribution, book, ("author", "role", "position"), new))
        return writes

    def _sync_subjects(
        self, book: Book, wanted: tuple[NamedData, ...], current: set[int]
    ) -> list[_Write]:
        wanted_ids = {self.lookups.subject(subject) for subject in wanted}
        link = Book.subjects.through
        writes: list[_Write] = []
        if current - wanted_ids:
            gone = link.objects.filter(book_id=book.pk, subject_id__in=current - wanted_ids)
            writes.append(gone.delete)
        if wanted_ids - current:
            new = [(pk,) for pk in sorted(wanted_ids - current)]
            writes.append(_Rows(link, book, ("subject",), new))
        return writes

    def _sync_reviews(
        self,
        book: Book,
        praise: tuple[tuple[str, str], ...],
        current_rows: list[tuple[int, str, int, str]],
    ) -> list[_Write]:
        """Quotes matched by (source, position), as catalogue.demo does; a duplicate of
        either is removed."""
        current: dict[tuple[str, int], tuple[int, str]] = {}
        stale: list[int] = []
        for pk, source, position, quote in current_rows:
            if (source, position) in current:
                stale.append(pk)
            else:
                current[(source, position)] = (pk, quote)
        writes: list[_Write] = []
        new: list[tuple[str, str, str, int]] = []
        for position, (quote, source) in enumerate(praise):
            found = current.pop((source, position), None)
            if found is None:
                new.append((quote, source, "", position))
            elif found[1] != quote:
                edited = Review.objects.filter(pk=found[0])
                writes.append(functools.partial(edited.update, quote=quote))
        stale.extend(pk for pk, _ in current.values())
        if stale:
            writes.append(Review.objects.filter(pk__in=stale).delete)
        if new:
            writes.append(_Rows(Review, book, ("quote", "source", "url", "position"), new))
        return writes


def _refused(data: BookData, error: Exception) -> Problem:
    """The report's line for a product the database (or the plan for it) refused."""
    reason = " ".join(str(error).split()) or type(error).__name__
    return Problem(data.reference, "database", reason)


def _insert_rows(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    returning: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """INSERT plain rows in as few statements as the database takes; the `returning`
    columns of each row written, in no promised order.

    On SQLite, one multi-row VALUES list per statement (at most 999 values, and
    ROWS_PER_INSERT rows). On PostgreSQL, one statement whatever the number of rows: each
    column goes as one array, which the statement unnests into rows, so the SQL stays
    short and the driver parses it once per run (a VALUES list of 2,000 placeholders costs
    it a few milliseconds every time). Like bulk_create this sends no signals;
    `import_onix` bumps the catalogue version once at the end. Values must already be
    what the columns store (`get_db_prep_save`)."""
    if not rows:
        return []
    db = transaction.get_connection()
    if db.vendor == "postgresql":
        sql = _unnest_sql(model, fields, returning)
        return _execute(db, sql, [list(column) for column in zip(*rows, strict=True)])
    written: list[tuple[Any, ...]] = []
    size = _rows_per_statement(db, len(fields), ROWS_PER_INSERT)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = _values_sql(model, fields, len(chunk), returning)
        written += _execute(db, sql, [value for row in chunk for value in row])
    return written


def _rows_per_statement(db: BaseDatabaseWrapper, columns: int, most: int) -> int:
    """How many rows of `columns` values one INSERT may carry (SQLite takes 999 values)."""
    limit = db.features.max_query_params
    return max(1, min(most, limit // columns)) if limit else most


def _columns(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(model._meta.get_field(name).column) for name in names)


def _returning(model: type[models.Model], names: tuple[str, ...]) -> str:
    return f" RETURNING {_columns(model, names)}" if names else ""


@functools.lru_cache(maxsize=256)
def _values_sql(
    model: type[models.Model], fields: tuple[str, ...], rows: int, returning: tuple[str, ...]
) -> str:
    values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({_columns(model, fields)}) VALUES {values}"  # noqa: S608 - names from the model
        + _returning(model, returning)
    )


@functools.lru_cache(maxsize=64)
def _unnest_sql(
    model: type[models.Model], fields: tuple[str, ...], returning: tuple[str, ...]
) -> str:
    """PostgreSQL: INSERT ... SELECT FROM unnest(column arrays), each cast to the
    column's own type."""
    arrays = ", ".join(
        f"%s::{model._meta.get_field(name).db_type(connection)}[]" for name in fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({_columns(model, fields)}) "  # noqa: S608 - names from the model
        f"SELECT * FROM unnest({arrays})" + _returning(model, returning)
    )


@functools.cache
def _book_fields() -> tuple[models.Field, ...]:
    """The fields `_create_books` writes: all but the primary key."""
    return tuple(f for f in Book._meta.local_concrete_fields if not f.primary_key)


def _create_books(books: list[Book]) -> None:
    """INSERT new books and set their primary keys: what `save()` does for a new object,
    field by field (`pre_save`, `get_db_prep_save`), but many books to a statement, and
    no post_save signal (the import bumps the catalogue version once, at the end). The
    rows come back with their ISBNs, which say which key is whose."""
    db = transaction.get_connection()
    if not db.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        Book.objects.bulk_create(books)
        return
    fields = _book_fields()
    rows = [tuple(f.get_db_prep_save(f.pre_save(b, add=True), db) for f in fields) for b in books]
    names = tuple(f.name for f in fields)
    keys = dict(_insert_rows(Book, names, rows, returning=("isbn", "id")))
    for book in books:
        book.pk = keys[book.isbn]
        book._state.adding = False
        book._state.db = db.alias


def _execute(db: BaseDatabaseWrapper, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one of the import's own INSERTs; the rows it returns, if any."""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _batches(records: Iterable[ProductRecord], size: int) -> Iterator[list[ProductRecord]]:
    batch: list[ProductRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_onix(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    name: str = "",
    progress: ProgressCallback | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import an ONIX 3.0 file (a path or a binary file object) into the catalogue.

    The file is checked first (`check_onix`): a refused file raises OnixRefused and
    imports nothing. (A stream that cannot seek back is checked as it is read instead, so
    its refusal can come after some products were imported.) Then each product is written
    in its own transaction, a batch of them committed together; the report counts what
    happened and lists each skipped product's problems. `progress(done, fraction)` is
    called after each product (`fraction`: how much of the file has been read, when its
    size is known).
    """
    started = time.monotonic()
    opened = isinstance(source, (str, os.PathLike))
    report = ImportReport(name=name or (Path(source).name if opened else ""))
    stream: IO[bytes] = open(source, "rb") if opened else source  # noqa: SIM115
    try:
        size = _size(stream)
        if _seekable(stream):
            check_onix(stream)
            stream.seek(0)

        def tick(done: int) -> None:
            if progress is not None:
                progress(done, _fraction(stream, size))

        importer = _Importer(report, today or timezone.localdate(), tick)
        with _temporary_files_in_memory():
            for batch in _batches(OnixReader(stream), BATCH_SIZE):
                importer.import_batch(batch)
    finally:
        if opened:
            stream.close()
    if report.changed:
        bump_catalogue_version()
    report.seconds = time.monotonic() - started
    return report


@contextlib.contextmanager
def _temporary_files_in_memory() -> Iterator[None]:
    """On SQLite, keep the connection's temporary files in memory for the import, then put
    the setting back. A product's savepoint journals each page it changes that its batch
    had already changed, some thirty a product: in a temporary file on disk that is about
    sixty write system calls a product, most of the system time an import took. Not done
    inside a transaction someone else opened, where SQLite may refuse the change."""
    db = transaction.get_connection()
    if db.vendor != "sqlite" or db.in_atomic_block:
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA temp_store = {int(previous)}")


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _size(stream: IO[bytes]) -> int | None:
    size = getattr(stream, "size", None)  # an uploaded file
    if isinstance(size, int):
        return size
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return None


def _fraction(stream: IO[bytes], size: int | None) -> float | None:
    if not size:
        return None
    try:
        return min(stream.tell() / size, 1.0)
    except (AttributeError, OSError, ValueError):
        return None
