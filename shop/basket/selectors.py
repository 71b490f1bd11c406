"""Reads of a basket: which basket a page means (BasketKey), and what the basket page
shows (BasketSummary). The lines themselves are read by shop.basket.lines_sql."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from djmoney.money import Money

from shop import pricing
from shop.models import BasketLine


@dataclass(frozen=True)
class BasketKey:
    """Which basket's lines: a signed-in customer's (`user_id`), or one basket's
    (`basket_id`; with `visitor=True` only while it belongs to no account, as a
    visitor's session basket must)."""

    basket_id: int | None = None
    user_id: int | None = None
    visitor: bool = False

    def where(self) -> tuple[str, list[int]]:
        """The rule as SQL on the basket's table, aliased `k` (shop.basket.lines_sql)."""
        if self.user_id is not None:
            return "k.user_id = %s", [self.user_id]
        if self.visitor:
            return "k.id = %s AND k.user_id IS NULL", [self.basket_id]
        return "k.id = %s", [self.basket_id]

    def lines(self) -> QuerySet[BasketLine]:
        """The same lines as a QuerySet, for counting and changing them. A plain QuerySet
        rather than BasketLine.objects, whose every queryset djmoney wraps so that it can
        be filtered by a Money amount: these are filtered by their basket only."""
        lines = QuerySet(BasketLine)
        if self.user_id is not None:
            return lines.filter(basket__user_id=self.user_id)
        if self.visitor:
            return lines.filter(basket_id=self.basket_id, basket__user__isnull=True)
        return lines.filter(basket_id=self.basket_id)


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
