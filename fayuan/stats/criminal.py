"""The criminal legal aid dashboard (刑事法律援助): the figures of the three criminal apps side by side, each taken
from the app's own report function (nothing is recounted here), plus the few totals this page adds. Scoped like the
other statistics pages: a center its own, a district bureau its center's, the city bureau every center."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.criminal import selectors as criminal
from fayuan.custody import selectors as custody
from fayuan.duty import reports as duty
from fayuan.org.models import Center


def centers_in_scope(user: User) -> list[Center]:
    if user.role in CENTER_ROLES:
        return [user.center] if user.center else []
    if user.role == Role.BUREAU_SUPERVISOR:
        qs = Center.objects.all() if user.district_id is None else Center.objects.filter(district_id=user.district_id)
        return list(qs.order_by("level", "name"))
    return []


@dataclass(frozen=True)
class DutyFigures:
    """One center's duty month: working days of its duty stations, those covered, and the no-shows."""

    center: Center
    stations: list[duty.Coverage]
    no_show_lawyers: list[dict]

    @property
    def working_days(self) -> int:
        return sum(s.working_days for s in self.stations)

    @property
    def covered(self) -> int:
        return sum(s.covered for s in self.stations)

    @property
    def percent(self) -> float | None:
        return round(100 * self.covered / self.working_days, 1) if self.working_days else None

    @property
    def no_shows(self) -> int:
        return sum(r["n"] for r in self.no_show_lawyers)


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
    duty_rows = [DutyFigures(c, duty.coverage(c.pk, first), duty.no_shows(c.pk, first)[0])
                 for c in centers_in_scope(user)]
    return CriminalDashboard(
        month=first, notices=notices, notice_totals=notice_totals(notices),
        coverage=criminal.coverage_report(user, first),
        breaches=custody.forwarding_breaches(user),
        rights=custody.notification_coverage(user, since=first, until=last),
        duty=duty_rows,
    )
