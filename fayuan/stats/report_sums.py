"""The statistical report of a scope of thousands of centers, read from sums stored a few minutes ago.

A report is one aggregate over the scope's rollup cells of the period (``reports.tally_sums``). For a city that is a
few thousand cells; for a country's bureau over ~3,000 centers a year is about 900,000 (245 ms of SQL at 400,000
cases, measured, and growing with the years of cells). Such a scope's report page therefore reads sums stored by the
job (``tasks.sum_big_scopes``: this and last year, this and last month, the periods people ask for) or by a view
that found none fresh enough (any other period: summed once, then read for ``STALE_AFTER``). The limit and the ages
are the dashboard's (``scope_cells``), so the two pages of one scope are as fresh as each other.

The exports never read them: an exported report states the figures of the moment it was generated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fayuan.org.scale import STALE_AFTER, too_many_to_count_live

from .models import ReportSums

if TYPE_CHECKING:
    from .reports import Period, Scope

Sums = dict[tuple[str, str], tuple[int, Decimal]]


def sums_key(scope: Scope) -> str | None:
    """The key of the scope's stored report, or None for a scope small enough to sum on each view. Only a scope
    over all of its centers' figures is stored: one narrowed to a district reads that district's cells only."""
    if scope.district is not None or not too_many_to_count_live(len(scope.center_ids)):
        return None
    return "city:"


def stored(key: str, period: Period, *, now: dt.datetime) -> tuple[Sums, dt.datetime] | None:
    """The sums stored under ``key`` for the period and when they were summed, if fresh enough to show."""
    row = ReportSums.objects.filter(scope_key=key, period=period.code,
                                    summed_at__gte=now - STALE_AFTER).first()
    return (decoded(row.cells), row.summed_at) if row is not None else None


def refreshed_periods(today: dt.date) -> list[str]:
    """The periods the job keeps summed: the year and the month so far, and the last ones (a monthly report is
    made in the first days of the next month, the annual one in January)."""
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return [f"{today.year}", f"{today.year - 1}", f"{this_month:%Y-%m}", f"{last_month:%Y-%m}"]


# --- Stored as JSON: [measure, key, count, amount] with the amount as a string (exact) --------------------------

def encoded(sums: Sums) -> list[list[Any]]:
    return [[measure, key, n, str(amount)] for (measure, key), (n, amount) in sums.items()]


def decoded(rows: list[list[Any]]) -> Sums:
    return {(measure, key): (int(n), Decimal(amount)) for measure, key, n, amount in rows}
