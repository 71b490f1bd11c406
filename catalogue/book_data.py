"""Plain data classes: what the catalogue should hold for a book, whoever sends it (an
ONIX feed, the demo catalogue), and the `Problem`s that skip one. `catalogue.sync`
writes them."""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from catalogue.richtext import html_to_text


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
        return plain_text(*self.note)


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


@functools.lru_cache(maxsize=65536)
def slug_for(text: str, kind: str, max_length: int) -> str:
    """An ASCII slug (URLs need one); a name with no Latin letters gets a stable
    `kind-<hash>` one."""
    slug = slugify(text)[:max_length].strip("-")
    if not slug:
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        slug = f"{kind}-{digest}"
    return slug


def plain_text(content: str, is_html: bool) -> str:
    """Plain text (paragraphs separated by a blank line) from a text as sent."""
    if is_html:
        return html_to_text(content)
    if "\n" not in content:
        return " ".join(content.split())
    paragraphs = re.split(r"\n\s*\n", content.replace("\r\n", "\n"))
    return "\n\n".join(
        "\n".join(" ".join(line.split()) for line in p.strip().splitlines())
        for p in paragraphs
        if p.strip()
    )
