"""Loading the demo catalogue (books.toml) into the shop.

`load_demo` reads books.toml with tomllib, checks that it agrees with itself
(`check_demo`), turns each book into `catalogue.book_data.BookData` and writes them with
`catalogue.sync.BookWriter`, the same write path an ONIX import takes. It can be run any
number of times: rows are matched by ISBN (books) or slug (authors, imprints, subjects),
only what differs from the demo is written, and, since the writer is told to put back
(`put_back=True`), a demo book someone has edited or hidden is put back the way the demo
has it, with its authors, imprint and subjects.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from catalogue.book_data import (
    BookData,
    CollateralData,
    ContributorData,
    DescriptiveData,
    NamedData,
    PublishingData,
    SupplyData,
    slug_for,
)
from catalogue.isbn import InvalidISBN, normalise_isbn
from catalogue.models import BookFormat, Contribution
from catalogue.sync import BookWriter
from catalogue.version import bump_catalogue_version

BOOKS_TOML = Path(__file__).resolve().parent / "books.toml"

Role = Contribution.Role

# The credit lists of a book in books.toml, in the order the book page lists them.
CREDITS = (
    ("authors", Role.AUTHOR),
    ("editors", Role.EDITOR),
    ("translators", Role.TRANSLATOR),
    ("introduction", Role.INTRODUCTION),
    ("foreword", Role.FOREWORD),
)


@dataclass(frozen=True)
class DemoBook:
    """One book in the demo, its date worked out. People, imprints and subjects are named
    as in books.toml's lists."""

    isbn: str
    title: str
    imprint: str
    format: BookFormat
    published: datetime.date
    rrp: str  # AUD, GST included
    stock: int
    description: str
    subjects: tuple[str, ...]
    credits: tuple[tuple[str, str], ...]  # (name, role), in page order
    subtitle: str = ""
    pages: int | None = None
    praise: tuple[tuple[str, str], ...] = ()  # (quote, source), in the order the page shows


@functools.cache
def read_demo() -> dict[str, Any]:
    """books.toml, as tomllib reads it."""
    with BOOKS_TOML.open("rb") as file:
        return tomllib.load(file)


def demo_books(*, today: datetime.date) -> list[DemoBook]:
    """The demo's books. Pre-orders are dated `published_in_days` after `today`."""
    books = []
    for entry in read_demo()["books"]:
        if "published_in_days" in entry:
            published = today + datetime.timedelta(days=entry["published_in_days"])
        else:
            published = entry["published"]
        books.append(
            DemoBook(
                isbn=entry["isbn"],
                title=entry["title"],
                subtitle=entry.get("subtitle", ""),
                imprint=entry["imprint"],
                format=BookFormat(entry["format"]),
                published=published,
                pages=entry.get("pages"),
                rrp=entry["rrp"],
                stock=entry["stock"],
                description=entry["description"],
                subjects=tuple(entry["subjects"]),
                credits=tuple(
                    (name, role.value) for key, role in CREDITS for name in entry.get(key, ())
                ),
                praise=tuple((p["quote"], p["source"]) for p in entry.get("praise", ())),
            )
        )
    return books


def check_demo(books: list[DemoBook]) -> None:
    """Raise ValueError if the demo data contradicts itself (a typo in a name, a bad ISBN)."""
    demo = read_demo()
    problems: list[str] = []
    imprints = {imprint["name"] for imprint in demo["imprints"]}
    subjects = set(demo["subjects"])
    authors = {author["name"] for author in demo["authors"]}
    seen: set[str] = set()
    for book in books:
        try:
            if normalise_isbn(book.isbn) != book.isbn:
                problems.append(f"{book.title}: ISBN {book.isbn} is not 13 plain digits")
        except InvalidISBN as error:
            problems.append(f"{book.title}: ISBN {book.isbn}: {error}")
        if book.isbn in seen:
            problems.append(f"{book.title}: ISBN {book.isbn} is used twice")
        seen.add(book.isbn)
        if not any(role == Role.AUTHOR for _, role in book.credits):
            problems.append(f"{book.title}: no author")
        if book.imprint not in imprints:
            problems.append(f"{book.title}: unknown imprint {book.imprint!r}")
        problems.extend(
            f"{book.title}: unknown subject {name!r}"
            for name in book.subjects
            if name not in subjects
        )
        problems.extend(
            f"{book.title}: unknown person {name!r}"
            for name, _ in book.credits
            if name not in authors
        )
    if problems:
        raise ValueError("The demo catalogue is inconsistent:\n" + "\n".join(problems))


@dataclass
class DemoReport:
    """How many demo books a run created, corrected, or found already as the demo has them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"Demo catalogue: {self.total} books ({self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged)"
        )


def _people() -> dict[str, ContributorData]:
    """Every person in the demo, by name (their role is filled in per credit)."""
    return {
        a["name"]: ContributorData(
            name=a["name"],
            sort_name=a["sort_name"],
            slug=slug_for(a["name"], "author", 200),
            role="",
            note=(a["biography"], False),
        )
        for a in read_demo()["authors"]
    }


def _imprints() -> dict[str, NamedData]:
    return {
        i["name"]: NamedData(i["name"], slug_for(i["name"], "imprint", 200), i["publisher"])
        for i in read_demo()["imprints"]
    }


def _subjects() -> dict[str, NamedData]:
    return {
        name: NamedData(name, slug_for(name, "subject", 120)) for name in read_demo()["subjects"]
    }


def book_data(
    entry: DemoBook,
    people: dict[str, ContributorData],
    imprints: dict[str, NamedData],
    subjects: dict[str, NamedData],
) -> BookData:
    """What the catalogue should hold for a demo book: everything, so every part is given."""
    contributors = tuple(
        ContributorData(
            name=name,
            sort_name=people[name].sort_name,
            slug=people[name].slug,
            role=role,
            note=people[name].note,
        )
        for name, role in entry.credits
    )
    return BookData(
        reference=entry.isbn,
        isbn=entry.isbn,
        descriptive=DescriptiveData(
            title=entry.title,
            subtitle=entry.subtitle,
            format=entry.format,
            product_form="",  # no feed sent it; the format's own code stands
            pages=entry.pages,
            contributors=contributors,
            subjects=tuple(subjects[name] for name in entry.subjects),
        ),
        collateral=CollateralData(description=entry.description, praise=entry.praise),
        publishing=PublishingData(imprint=imprints[entry.imprint], published=entry.published),
        supply=SupplyData(rrp=Decimal(entry.rrp), stock=entry.stock),
    )


def load_demo(*, today: datetime.date | None = None) -> DemoReport:
    """Create the demo catalogue, or bring it back to the demo's state. Safe to run again."""
    entries = demo_books(today=today or timezone.localdate())
    check_demo(entries)
    people, imprints, subjects = _people(), _imprints(), _subjects()
    books = [book_data(entry, people, imprints, subjects) for entry in entries]
    report = DemoReport()
    writer = BookWriter(put_back=True)
    with transaction.atomic():
        # Every person, imprint and subject of the demo, credited or not.
        writer.lookups.prepare_rows(
            {p.slug: p for p in people.values()},
            {i.slug: i for i in imprints.values()},
            {s.slug: s for s in subjects.values()},
        )
        for result in writer.write_batch(books):
            if isinstance(result, list):
                raise ValueError("The demo catalogue could not be written:\n" + str(result))
            if result == "created":
                report.created += 1
            elif result == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
        # The writer's INSERTs send no signals: tell the page caches the catalogue changed.
        if report.created or report.updated:
            transaction.on_commit(bump_catalogue_version)
    return report
