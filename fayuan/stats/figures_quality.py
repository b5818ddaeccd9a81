"""The quality and subsidy figures of a year for the dashboards, read from the rollups: one query over the cells of
the centers and months asked for (a few hundred rows a center a year, whatever the number of cases behind them).

Every figure counts in the month of the case's closing (see ``measures_quality`` and ``measures_subsidies``), so
the ratios compare like with like: of the cases closed in the period, how many were evaluated, visited, paid on
time. The ratings count in the month submitted. Callers pass the centers the user may read (the scope is theirs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from fayuan.org.models import Center
from fayuan.quality.models import QualityGrade, Satisfaction, VisitStatus

from .measures import CLOSED, LATE, ON_TIME, ZERO
from .measures_quality import EVALUATION, FOLLOW_UP, RATING
from .measures_subsidies import SUBSIDY_DAYS, SUBSIDY_PAID
from .models import Tally

MEASURES = (CLOSED, EVALUATION, FOLLOW_UP, RATING, SUBSIDY_PAID, SUBSIDY_DAYS)
TENTH = Decimal("0.1")
# Read once: an enum's ``values`` builds a new list on every call, and a country's dashboard makes 3,000 of these.
GRADES = tuple(QualityGrade.values)
SATISFACTION = tuple(Satisfaction.values)


def _percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class QualityFigures:
    closed: int = 0  # closings accepted
    evaluated: int = 0  # of those, closing evaluations completed
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    score_sum: Decimal = ZERO  # the combined scores of the evaluations, for the mean
    followups_due: int = 0  # visits the center's sample called for (drawn at closing)
    followups_done: int = 0  # visits that reached the recipient (已回访)
    followups_unreachable: int = 0
    satisfaction: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SATISFACTION, 0))
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))  # score -> ratings
    subsidies_paid: int = 0
    subsidies_on_time: int = 0
    subsidies_late: int = 0
    subsidy_days: int = 0  # days from closing to payment, summed over the subsidies paid
    subsidy_amount: Decimal = ZERO  # the totals paid

    @property
    def coverage(self) -> float | None:
        """Evaluation coverage (一案一评), percent of the cases closed."""
        return _percent(self.evaluated, self.closed)

    @property
    def mean_score(self) -> Decimal | None:
        return None if not self.evaluated else (self.score_sum / self.evaluated).quantize(TENTH)

    @property
    def followups_pending(self) -> int:
        return self.followups_due - self.followups_done - self.followups_unreachable

    @property
    def followup_coverage(self) -> float | None:
        """Visits done, percent of the visits due."""
        return _percent(self.followups_done, self.followups_due)

    @property
    def satisfied(self) -> int:
        """满意 and 基本满意, as the quality app's satisfaction report counts them."""
        return self.satisfaction[Satisfaction.SATISFIED] + self.satisfaction[Satisfaction.BASIC]

    @property
    def answered(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfaction_rate(self) -> float | None:
        return _percent(self.satisfied, self.answered)

    @property
    def ratings_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def ratings_mean(self) -> float | None:
        n = self.ratings_count
        return None if not n else round(sum(score * k for score, k in self.ratings.items()) / n, 2)

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.subsidies_on_time, self.subsidies_paid)

    @property
    def mean_days(self) -> float | None:
        return None if not self.subsidies_paid else round(self.subsidy_days / self.subsidies_paid, 1)

    def add(self, measure: str, key: str, count: int, amount: Decimal) -> None:
        if measure == CLOSED:
            self.closed += count
        elif measure == EVALUATION:
            self.evaluated += count
            self.grades[key] = self.grades.get(key, 0) + count
            self.score_sum += amount
        elif measure == FOLLOW_UP:
            status, _, satisfaction = key.partition("|")
            self.followups_due += count
            if status == VisitStatus.DONE:
                self.followups_done += count
            elif status == VisitStatus.UNREACHABLE:
                self.followups_unreachable += count
            if satisfaction:
                self.satisfaction[satisfaction] = self.satisfaction.get(satisfaction, 0) + count
        elif measure == RATING:
            self.ratings[int(key)] = self.ratings.get(int(key), 0) + count
        elif measure == SUBSIDY_PAID:
            self.subsidies_paid += count
            self.subsidy_amount += amount
            if key == ON_TIME:
                self.subsidies_on_time += count
            elif key == LATE:
                self.subsidies_late += count
        elif measure == SUBSIDY_DAYS:
            self.subsidy_days += count


@dataclass(frozen=True)
class CenterQualityFigures:
    center_id: int
    center_name: str
    figures: QualityFigures


def _cells(center_ids: Iterable[int], year: int, until: dt.date):  # type: ignore[no-untyped-def]
    """The cells of the year up to ``until``'s month (months are stored as their first day)."""
    return Tally.objects.filter(measure__in=MEASURES, center_id__in=list(center_ids),
                                month__gte=dt.date(year, 1, 1), month__lte=min(until, dt.date(year, 12, 31)))


def quality_figures(center_ids: list[int], year: int, until: dt.date) -> QualityFigures:
    """The figures of these centers from January of ``year`` to the month of ``until`` (one query)."""
    figures = QualityFigures()
    for row in _cells(center_ids, year, until).values("measure", "key").annotate(n=Sum("count"), a=Sum("amount")):
        figures.add(row["measure"], row["key"], row["n"], row["a"])
    return figures


def per_center(center_ids: list[int], year: int, until: dt.date) -> list[CenterQualityFigures]:
    """The same figures, one row per center (every center asked for, in the centers' order; two queries)."""
    by_center: dict[int, QualityFigures] = {pk: QualityFigures() for pk in center_ids}
    rows = _cells(center_ids, year, until).values("center_id", "measure", "key").annotate(
        n=Sum("count"), a=Sum("amount"))
    for row in rows:
        by_center.setdefault(row["center_id"], QualityFigures()).add(row["measure"], row["key"], row["n"], row["a"])
    centers = Center.objects.filter(pk__in=center_ids).order_by("level", "district__sort_order", "name")
    return [CenterQualityFigures(c.pk, c.name, by_center[c.pk]) for c in centers.only("pk", "name")]
