"""Pure mapping from an ONIX `ProductRecord` to `BookData` (`map_product`), with the
price (`australian_price`) and date (`parse_onix_date`) rules it uses.

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

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from catalogue.book_data import (
    BookData,
    CollateralData,
    ContributorData,
    DescriptiveData,
    NamedData,
    Problem,
    ProductSkipped,
    PublishingData,
    SupplyData,
    plain_text,
    slug_for,
)
from catalogue.isbn import InvalidISBN, normalise_isbn
from catalogue.models import BookFormat
from catalogue.onix.codelists import (
    BIC_HEADINGS,
    BISAC_HEADINGS,
    CENT,
    CONSUMER_QUALIFIERS,
    CUSTOMER_AUDIENCES,
    EXCLUDING_TAX_PRICE_TYPES,
    EXTENT_TYPE_ORDER,
    GST_RATE,
    MAX_RRP,
    PAGES_UNIT,
    PRICE_TYPE_ORDER,
    ROLES,
    THEMA_HEADINGS,
    UNAVAILABLE,
)
from catalogue.onix.records import ContributorRecord, PriceRecord, ProductRecord, SupplyRecord
from catalogue.richtext import sanitise_html


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
        slug = slug_for(name, "author", 200)
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
            slug = slug_for(name, "subject", 120)
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
    return plain_text(chosen.content, False)


def _praise(record: ProductRecord) -> tuple[tuple[str, str], ...]:
    quotes = []
    for text in record.texts:
        if text.text_type != "06" or not text.source:
            continue
        if text.audiences and not CUSTOMER_AUDIENCES.intersection(text.audiences):
            continue
        quote = plain_text(text.content, text.is_html)
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
        name=name, slug=slug_for(name, "imprint", 200), publisher=record.publisher_name[:200]
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
