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

from django.core.paginator import Paginator
from django.db.models import QuerySet

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
