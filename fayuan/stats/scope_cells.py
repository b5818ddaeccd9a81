"""A dashboard scope's rollup cells, summed three ways, each as coarse as its figures need: per measure, month and
key (every total, the months, types, groups and deadlines), the aided per district (the rates) and the quality
measures per center. One query per center and month and key would carry a country's ~3,000 centers' cells (about
72,000 rows for 300 centers at 1M cases) into Python for figures that never show a center.

Even so the sums read every cell of the scope's year: about 1.5 million for 3,000 centers at 2.7M cases (450 ms
of SQL, measured), and the overdue deadlines are counted one by one (about a second there). A scope with more than
``LIVE_CENTERS`` centers therefore reads both stored (``ScopeSums``): a job sums them every ``SUMS_EVERY`` and a
view that finds them older than ``STALE_AFTER`` (the job stopped) or of another day sums them again and stores
them. The page says when they were summed."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, Sum

from fayuan.deadlines.models import RUNNING, Deadline
from fayuan.org.scale import STALE_AFTER, too_many_to_count_live

from . import measures
from .figures_quality import MEASURES as QUALITY_MEASURES
from .models import ScopeSums, Tally

if TYPE_CHECKING:
    from .dashboard import Period, Scope

SUMS_EVERY = dt.timedelta(minutes=10)
NOT_ON_DASHBOARD = ("consultations", "duty_help")


@dataclass(frozen=True)
class ScopeCells:
    by_key: list[dict[str, Any]]  # measure, month, key, n, amount: this year's measures and last year's aided
    aided_by_district: dict[int | None, int]  # this year
    quality_by_center: list[dict[str, Any]]  # center_id, measure, key, n, amount: this year
    overdue_open: int  # deadlines running and past due today (not a cell: counted off their partial index)
    summed_at: dt.datetime | None = None  # when stored sums were summed; None: summed for this view


def overdue_open(scope: Scope, today: dt.date) -> int:
    """Running and overdue, as the queues count them (a paused clock is neither due nor overdue). At a country's
    scope there are hundreds of thousands: counting them off the partial index of running deadlines took about a
    second at 2.7M cases, so a big scope stores the count with its sums."""
    return Deadline.objects.filter(RUNNING, scope.of_centers(), due_on__lt=today).count()


def sum_cells(scope: Scope, period: Period, today: dt.date) -> ScopeCells:
    # Last year only for the aided month by month; this year every measure the dashboard shows (consultations and
    # duty help have their own pages).
    cells = Tally.objects.filter(scope.cells(), month__lte=period.until)
    january = dt.date(period.year, 1, 1)
    this_year = Q(month__gte=january) & ~Q(measure__in=NOT_ON_DASHBOARD)
    last_year = Q(month__gte=dt.date(period.year - 1, 1, 1), measure=measures.AIDED)
    by_key = list(cells.filter(this_year | last_year).values("measure", "month", "key")
                  .annotate(n=Sum("count"), amount=Sum("amount")).order_by())
    aided = cells.filter(month__gte=january, measure=measures.AIDED)
    by_district: dict[int | None, int] = dict(aided.values("district_id").annotate(n=Sum("count")).order_by()
                                              .values_list("district_id", "n"))
    quality = list(cells.filter(month__gte=january, measure__in=QUALITY_MEASURES)
                   .values("center_id", "measure", "key").annotate(n=Sum("count"), amount=Sum("amount")).order_by())
    return ScopeCells(by_key, by_district, quality, overdue_open(scope, today))


def sums_key(scope: Scope) -> str | None:
    """The key of the scope's stored sums, or None for a scope small enough to sum on each view."""
    if not too_many_to_count_live(len(scope.centers)):
        return None
    return f"{scope.level}:{scope.district_id or ''}"


def stored_sums(key: str, period: Period, *, now: dt.datetime) -> ScopeCells | None:
    """The stored sums under ``key`` (``sums_key``) for the period, if they are fresh enough to show."""
    stamp = (ScopeSums.objects.filter(scope_key=key, year=period.year, until=period.until,
                                      summed_at__gte=now - STALE_AFTER).values_list("pk", "summed_at").first())
    if stamp is None:
        return None
    try:
        return _decoded_row(*stamp)
    except ScopeSums.DoesNotExist:  # dropped meanwhile by a rebuild of the rollups
        return None


# Decoded once per process and stored row: a country's sums are ~40,000 cells, and reading and decoding them again
# took 50-60 ms of each view of its dashboard although they change once in ``SUMS_EVERY``. Keyed by the row and its
# ``summed_at``, which every store moves, so a memo never outlives the content it was decoded from (a store between
# the two reads leaves newer content under the older key, never older). Callers must not mutate what they get.
@functools.lru_cache(maxsize=16)  # the city's and a few big districts' years
def _decoded_row(pk: int, summed_at: dt.datetime) -> ScopeCells:
    return decoded(ScopeSums.objects.get(pk=pk))


def forget_decoded() -> None:
    _decoded_row.cache_clear()


# --- Stored as JSON: months as ISO dates, amounts as strings (exact), districts as [id, n] pairs -----------------

def encoded(cells: ScopeCells) -> dict[str, Any]:
    return {
        "by_key": [{**r, "month": r["month"].isoformat(), "amount": str(r["amount"] or 0)} for r in cells.by_key],
        "aided_by_district": [[district, n] for district, n in cells.aided_by_district.items()],
        "quality_by_center": [{**r, "amount": str(r["amount"] or 0)} for r in cells.quality_by_center],
        "overdue_open": cells.overdue_open,
    }


def decoded(row: ScopeSums) -> ScopeCells:
    return ScopeCells(
        by_key=[{**r, "month": dt.date.fromisoformat(r["month"]), "amount": Decimal(r["amount"])} for r in row.by_key],
        aided_by_district={district: n for district, n in row.aided_by_district},
        quality_by_center=[{**r, "amount": Decimal(r["amount"])} for r in row.quality_by_center],
        overdue_open=row.overdue_open,
        summed_at=row.summed_at,
    )
