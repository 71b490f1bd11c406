"""Reads of a basket: its lines with their books and authors, and the totals."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from djmoney.money import Money

from catalogue.models import Contribution
from shop import pricing
from shop.models import Basket, BasketLine


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


def basket_lines_with_books(basket: Basket) -> list[BasketLine]:
    return list(
        basket.lines.select_related("book").prefetch_related(
            Prefetch("book__contributions", queryset=Contribution.objects.select_related("author"))
        )
    )
