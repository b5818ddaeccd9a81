"""Staff statistics: scoped, read-only figures about the work of the centers. This app grows into the bureau's and
the centers' dashboards and reports (rollups kept by case-event subscribers)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from fayuan.cases.models import Assignment, AssignmentMethod
from fayuan.org.models import Center, Provider


@dataclass(frozen=True)
class Spread:
    count: int
    minimum: int
    maximum: int
    range: int
    mean: float
    stdev: float
    cv: float | None  # coefficient of variation (stdev / mean); None when nothing was assigned


def spread_of(values: list[int]) -> Spread:
    if not values:
        return Spread(0, 0, 0, 0, 0.0, 0.0, None)
    mean = statistics.fmean(values)
    stdev = statistics.pstdev(values)
    return Spread(len(values), min(values), max(values), max(values) - min(values), round(mean, 2), round(stdev, 2),
                  round(stdev / mean, 3) if mean else None)


@dataclass
class SpreadRow:
    provider_id: int
    name: str
    active: bool
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    def get(self, method: str) -> int:
        return self.by_method.get(method, 0)


@dataclass(frozen=True)
class SpreadReport:
    center: Center
    since: dt.date
    rows: list[SpreadRow]
    totals: dict[str, int]
    spread_total: Spread
    spread_rotation: Spread
    recent: list[Assignment]


def assignment_spread(center: Center, since: dt.date, *, recent: int = 50) -> SpreadReport:
    """Assignments of a center's cases since a date, per provider and method, with the spread across the center's
    active providers (those with none count as zero: an idle provider is what unfairness looks like)."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    assignments = Assignment.objects.filter(case__center=center, assigned_at__gte=start)
    rows: dict[int, SpreadRow] = {
        p.pk: SpreadRow(p.pk, p.name, True) for p in Provider.objects.filter(home_center=center, active=True)
    }
    counts = assignments.values("provider_id", "provider__name", "provider__active", "method").annotate(n=Count("id"))
    totals: dict[str, int] = {m: 0 for m in AssignmentMethod.values}
    for c in counts:
        row = rows.setdefault(c["provider_id"], SpreadRow(c["provider_id"], c["provider__name"],
                                                          c["provider__active"]))
        row.by_method[c["method"]] = row.by_method.get(c["method"], 0) + c["n"]
        totals[c["method"]] = totals.get(c["method"], 0) + c["n"]
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.name))
    active = [r for r in ordered if r.active]
    latest = list(assignments.select_related("case", "provider").order_by("-assigned_at", "-id")[:recent])
    return SpreadReport(center, since, ordered, totals, spread_of([r.total for r in active]),
                        spread_of([r.get(AssignmentMethod.ROTATION) for r in active]), latest)
