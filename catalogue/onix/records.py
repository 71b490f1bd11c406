"""The plain records a <Product> element is read into (`ProductRecord` and its parts),
and `product_record`, which reads one; what `OnixReader` yields."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element


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


def element_text(parent: Element | None, path: str) -> str:
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
        if element_text(detail, "TitleType") != "01":
            continue
        elements = detail.findall("TitleElement")
        for element in elements:
            if element_text(element, "TitleElementLevel") == "01":
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
            product_form=element_text(descriptive, "ProductForm"),
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
            imprint_name=element_text(publishing, "Imprint/ImprintName"),
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
                    availability=element_text(detail, "ProductAvailability"),
                    on_hand=_texts(detail, "Stock/OnHand"),
                    prices=tuple(_price(p) for p in detail.findall("Price")),
                )
            )
    values["supplies"] = tuple(supplies)
    return ProductRecord(**values)
