"""Pagination that stays fast deep into a large catalogue.

OFFSET makes the database walk past every earlier row: the last of 4,000 listing pages cost
over a second on SQLite. Pages past the middle are read from the other end instead, in
reverse order, so the last page costs what the first does and the worst is the middle.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class BalancedPaginator(Paginator):
    """A Paginator that reads later pages backwards; `count` may be given when it is
    already known (a cached count), sparing a COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills Paginator's cached_property

    def page(self, number) -> Page:
        number = self.validate_number(number)
        items = self.object_list
        if (
            isinstance(items, QuerySet)
            and items.ordered
            and number > 1
            and number > (self.num_pages + 1) // 2
        ):
            bottom = (number - 1) * self.per_page
            top = min(bottom + self.per_page, self.count)
            backwards = list(items.reverse()[self.count - top : self.count - bottom])
            backwards.reverse()
            return self._get_page(backwards, number, self)
        return super().page(number)
