"""Reads of a basket: its lines with their books and authors, and the totals."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from djmoney.money import Money

from catalogue.models import Contribution
from shop import pricing
from shop.models import BasketLine

# What a basket line shows of its book (cover, title, format, price, availability and
# purchase limit) and of its authors; only these columns are read. A template that needs
# another field would read it with a query per line, which the page's query-count test
# catches.
_BOOK_FIELDS = (
    "title", "subtitle", "slug", "isbn", "format", "cover",
    "rrp", "rrp_currency", "published", "stock", "is_visible",
)  # fmt: skip
_CONTRIBUTION_FIELDS = ("book_id", "role", "position", "author__name", "author__slug")


@dataclass
class BasketSummary:
    """What the basket page shows: lines with their books, and the totals."""

    lines: list[BasketLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> Money:
        return pricing.total(line.line_total for line in self.lines)

    @property
    def gst(self) -> Money:
        return pricing.gst_included(self.total)


def lines_with_books(lines: QuerySet[BasketLine], *, authors: bool = True) -> list[BasketLine]:
    """The lines, each with its book and (unless authors=False, for pages that name no
    author) the book's contributors: two queries, or one, however many lines."""
    line_fields = [field.attname for field in BasketLine._meta.concrete_fields]
    found = list(
        lines.select_related("book").only(*line_fields, *(f"book__{name}" for name in _BOOK_FIELDS))
    )
    if not authors:
        return found
    contributions = Contribution.objects.select_related("author").only(*_CONTRIBUTION_FIELDS)
    prefetch_related_objects(
        [line.book for line in found], Prefetch("contributions", queryset=contributions)
    )
    return found
