"""schema.org JSON-LD for book pages, so search engines show the book, its price and
whether it can be bought."""

import json

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from catalogue.availability import Availability
from catalogue.models import Book, BookFormat, Contribution

SCHEMA_FORMATS = {
    BookFormat.HARDBACK: "https://schema.org/Hardcover",
    BookFormat.PAPERBACK: "https://schema.org/Paperback",
    BookFormat.EBOOK: "https://schema.org/EBook",
    BookFormat.AUDIOBOOK: "https://schema.org/AudiobookFormat",
}

SCHEMA_AVAILABILITY = {
    Availability.IN_STOCK: "https://schema.org/InStock",
    Availability.PRE_ORDER: "https://schema.org/PreOrder",
    Availability.OUT_OF_STOCK: "https://schema.org/OutOfStock",
}

# Characters that could end the <script> element or confuse an HTML parser, written as
# JSON escapes so the data stays the same.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _people(book: Book, role: str) -> list[dict]:
    return [{"@type": "Person", "name": c.author.name} for c in book.contributors(role)]


def book_data(book: Book, request: HttpRequest) -> dict:
    url = request.build_absolute_uri(book.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
        "@id": url,
        "url": url,
        "name": book.title,
        "isbn": book.isbn,
        "inLanguage": "en",
    }
    if book.subtitle:
        data["alternativeHeadline"] = book.subtitle
    if book.format in SCHEMA_FORMATS:
        data["bookFormat"] = SCHEMA_FORMATS[book.format]
    if book.pages:
        data["numberOfPages"] = book.pages
    for key, role in [
        ("author", Contribution.Role.AUTHOR),
        ("translator", Contribution.Role.TRANSLATOR),
        ("editor", Contribution.Role.EDITOR),
        ("illustrator", Contribution.Role.ILLUSTRATOR),
    ]:
        people = _people(book, role)
        if people:
            data[key] = people
    if book.imprint:
        data["publisher"] = {"@type": "Organization", "name": book.imprint.name}
    if book.published:
        data["datePublished"] = book.published.isoformat()
    if book.description:
        data["description"] = book.description
    availability = book.availability
    if availability in SCHEMA_AVAILABILITY:
        data["offers"] = {
            "@type": "Offer",
            "url": url,
            "price": f"{book.rrp.amount:.2f}",
            "priceCurrency": "AUD",
            "availability": SCHEMA_AVAILABILITY[availability],
        }
        if availability == Availability.PRE_ORDER:
            data["offers"]["availabilityStarts"] = book.published.isoformat()
    return data


def book_json_ld(book: Book, request: HttpRequest) -> SafeString:
    """The JSON-LD text, safe to put inside <script type="application/ld+json">."""
    text = json.dumps(book_data(book, request), ensure_ascii=False).translate(_HTML_SAFE)
    return mark_safe(text)  # noqa: S308 - the markup characters are escaped above
