"""The criminal legal aid dashboard (刑事法律援助): the figures of the three criminal apps side by side, each taken
from the app's own report function (nothing is recounted here), plus the few totals this page adds. Scoped like the
other statistics pages: a center its own, a district bureau its center's, the city bureau every center."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.criminal import selectors as criminal
from fayuan.custody import selectors as custody
from fayuan.duty import oversight
from fayuan.duty.oversight import StationRow
from fayuan.org.models import Center
from fayuan.org.selectors import centers_in_scope


@dataclass(frozen=True)
class DutyFigures:
    """One center's duty month: working days of its duty stations, those covered, and the no-shows, summed over its
    stations' rows of the duty overview (``duty.oversight``)."""

    center: Center
    working_days: int
    covered: int
    no_shows: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.covered / self.working_days, 1) if self.working_days else None


def duty_figures(user: User, month: dt.date, today: dt.date) -> list[DutyFigures]:
    """Every center in scope, in the duty overview's constant number of queries: one report per center asked four
    queries each, 12,000 at a country's 3,000 centers (13 s)."""
    by_center: dict[int, list[StationRow]] = defaultdict(list)
    for row in oversight.overview(user, month, today).rows:
        by_center[row.station.center_id].append(row)
    return [DutyFigures(center, sum(r.working_days for r in rows), sum(r.covered for r in rows),
                        sum(r.no_shows for r in rows))
            for center in centers_in_scope(user).order_by("level", "name") for rows in (by_center[center.pk],)]


@dataclass(frozen=True)
class NoticeTotals:
    total: int
    late: int
    to_duty: int
    assigned: int
    within_3_days: int


@dataclass(frozen=True)
class CriminalDashboard:
    month: dt.date
    notices: list[criminal.OrganFigures]
    notice_totals: NoticeTotals
    coverage: list[criminal.CoverageRow]
    breaches: list[custody.BreachRow]
    rights: list[custody.CoverageRow]
    duty: list[DutyFigures]

    @property
    def breach_total(self) -> int:
        return sum(b.total for b in self.breaches)


def notice_totals(rows: list[criminal.OrganFigures]) -> NoticeTotals:
    return NoticeTotals(sum(r.total for r in rows), sum(r.late for r in rows), sum(r.to_duty for r in rows),
                        sum(r.assigned for r in rows), sum(r.within_3_days for r in rows))


def criminal_dashboard(user: User, month: dt.date) -> CriminalDashboard:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    notices = criminal.notice_report(user)
    return CriminalDashboard(
        month=first, notices=notices, notice_totals=notice_totals(notices),
        coverage=criminal.coverage_report(user, first),
        breaches=custody.forwarding_breaches(user),
        rights=custody.notification_coverage(user, since=first, until=last),
        duty=duty_figures(user, first, timezone.localdate()),
    )
