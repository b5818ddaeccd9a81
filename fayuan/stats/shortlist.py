"""Which rows of a per-district or per-center table the dashboard page shows.

A city has a handful of districts and centers, and the page lists them all in their usual order. A scope with more
of them (a province's or the country's bureau: about 3,000 centers in one database) would put thousands of rows and
bars on one page, slow to draw and of no use to read; there the page shows the ``ON_PAGE`` that most need attention
(target not met, figures missing, the furthest from the target first) and says how many there are, and the export
(导出本表) keeps every row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from fayuan.typical_cases import rules as typical_rules

ON_PAGE = 30

T = TypeVar("T")


@dataclass(frozen=True)
class Shortlist(Generic[T]):
    rows: list[T]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


def shortlist(rows: Sequence[T], attention: Callable[[T], Any], *, limit: int | None = None) -> Shortlist[T]:
    """All rows in their order when they fit; else the ``limit`` that come first by ``attention`` (ascending)."""
    limit = ON_PAGE if limit is None else limit
    if len(rows) <= limit:
        return Shortlist(list(rows), len(rows))
    return Shortlist(sorted(rows, key=attention)[:limit], len(rows))


def _missing_then_lowest(meets: bool | None, value: Decimal | float | None) -> tuple[bool, bool, Decimal | float]:
    """Not met (or unknown) before met; among those, a figure that cannot be computed before the lowest one."""
    return meets is True, value is not None, value if value is not None else 0


def aid_rate_attention(row: Any) -> tuple[bool, bool, Decimal | float]:
    return _missing_then_lowest(row.meets, row.projected_rate)


def staff_attention(row: Any) -> tuple[bool, bool, Decimal | float]:
    return _missing_then_lowest(row.meets, row.percent)


def typical_attention(row: Any) -> tuple[int, int]:
    """The most months missed or short first, then the fewest cases reported."""
    return (-sum(1 for c in row.cells if c.status in (typical_rules.MISSED, typical_rules.SHORT)),
            sum(c.submitted for c in row.cells))


def quality_attention(row: Any) -> tuple[bool, float]:
    """The lowest evaluation coverage (一案一评) first; a center with nothing closed last."""
    coverage = row.figures.coverage
    return coverage is None, coverage if coverage is not None else 0.0


def duty_attention(row: Any) -> tuple[bool, float, int]:
    """A center without a duty station first (the plan wants one at every court and detention center), then the
    lowest coverage of working days, then the most no-shows."""
    return row.percent is not None, row.percent if row.percent is not None else 0.0, -row.no_shows
