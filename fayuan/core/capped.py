"""Counts of long lists, counted up to a cap.

At national size a center holds about 1.4 million cases, 700,000 people and hundreds of thousands of open deadlines:
the exact total of such a list costs more than reading and rendering the page (``count(*)`` over the center's rows
took 100-200 ms of a people list's 180 ms at 10,000,000 cases). Nobody reads 10,001 rows page by page; "10,000+"
says enough and tells the user to narrow the search. The count stops after ``COUNT_CAP + 1`` rows: bounded whatever
the size.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .params import parse_int

COUNT_CAP = 10_000


class CappedCount(int):
    """A count that is exact up to ``COUNT_CAP`` and "more than that" beyond: compares and sums as the number it
    counted (at most ``COUNT_CAP + 1``), shows as "10,000+" when capped."""

    @property
    def capped(self) -> bool:
        return self > COUNT_CAP

    def __str__(self) -> str:
        return f"{COUNT_CAP:,}+" if self.capped else super().__str__()

    @property
    def label(self) -> str:
        return f"超过 {COUNT_CAP:,} 条" if self.capped else f"共 {int(self)} 条"


def capped_count(qs: QuerySet[Any]) -> CappedCount:
    """``qs.count()``, stopping after ``COUNT_CAP + 1`` rows (ordering dropped: it changes no count)."""
    return CappedCount(qs.order_by()[: COUNT_CAP + 1].count())


class CappedPaginator(Paginator):
    """A page-numbered list whose total is counted up to the cap: past it, the pages stop at ``COUNT_CAP`` rows
    (page 400 of 25) and the total reads "10,000+".

    ``first_rows(n)``, when given, is the same list limited to its first ``n`` rows in a way the database can use
    better than a LIMIT outside (a UNION whose branches are each limited): the page is read from it."""

    counted = True  # the total shows (as "10,000+" past the cap); ``UncountedPaginator`` has none

    def __init__(self, object_list: Any, per_page: int, *, first_rows: Callable[[int], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.first_rows = first_rows

    @cached_property
    def count(self) -> CappedCount:  # type: ignore[override]  # a cached_property in Django too; an int subclass
        return capped_count(self.object_list)  # type: ignore[arg-type]  # built on querysets only

    @property
    def shown(self) -> int:
        """How many rows the pages reach: all of them, or the first ``COUNT_CAP``."""
        return min(int(self.count), COUNT_CAP)

    @cached_property
    def num_pages(self) -> int:  # type: ignore[override]
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return -(-max(1, self.shown - self.orphans) // self.per_page)

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.shown:
            top = self.shown
        rows = self.first_rows(top) if self.first_rows is not None else self.object_list
        return self._get_page(rows[bottom:top], number, self)  # type: ignore[attr-defined]


class UncountedPage(Page):
    """A page of an ``UncountedPaginator``: it knows whether another follows from the one row read past it."""

    def __init__(self, rows: list[Any], number: int, paginator: UncountedPaginator, *, more: bool) -> None:
        super().__init__(rows, number, paginator)
        self.more = more

    def __repr__(self) -> str:
        return f"<Page {self.number} of an uncounted list>"

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class UncountedPaginator(Paginator):
    """A list read page by page without a total, for a scope too big to count even up to the cap: a country's
    records behind a dashboard figure, where counting 10,001 of a month's million aided cases took 4-12 s at ten
    million cases while a page took 20 ms (docs/capacity.md). Each page reads one row more than it shows, to know
    whether another follows; the pages stop at ``COUNT_CAP`` rows like a capped list's. The figure the list
    explains gives its size."""

    counted = False

    @property
    def count(self) -> int:  # type: ignore[override]  # never counted: asking is a bug
        raise TypeError("an uncounted list has no total")

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        raise TypeError("an uncounted list has no last page")

    @property
    def last_page(self) -> int:
        """The last page the cap allows (whether or not the rows reach it)."""
        return max(1, -(-COUNT_CAP // self.per_page))

    def page(self, number: Any) -> UncountedPage:
        return self.get_page(number)

    def get_page(self, number: Any) -> UncountedPage:
        """The page asked for; page 1 for anything that is not a page number (as Django's ``get_page``), the last
        page the cap allows for one past it. A page past the end of the rows is empty."""
        last = self.last_page
        asked = parse_int(str(number) if number is not None else None, minimum=1, default=1) or 1
        page = min(asked, last)
        bottom = (page - 1) * self.per_page
        shown = min(self.per_page, COUNT_CAP - bottom)  # the last page stops at the cap's row
        rows = list(self.object_list[bottom:bottom + shown + 1])
        return UncountedPage(rows[:shown], page, self, more=len(rows) > shown and page < last)
