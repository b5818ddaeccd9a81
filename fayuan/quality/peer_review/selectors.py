"""Scoped reads of the peer review. The city bureau runs the rounds and reads everything; a center (and a district
bureau) reads the results of the cases in its scope (``quality_cases``); a reviewer reads the cases assigned to
them and nothing else. Anything else is a 404 (``NotFoundOrForbidden``).

``peer_review_lowers_subsidy`` and ``provider_peer_results`` are what the subsidies app (issue 14) reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, PROVIDER_ROLES
from fayuan.cases.models import Case, CaseEvent
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id
from fayuan.eligibility.models import CaseType

from ..selectors import CLOSED_STATUSES, quality_cases
from . import rules
from .models import InspectionRound, PeerSample

# Who may review: a center's staff or a lawyer (provider account). Who reads results: centers and bureaus.
REVIEWER_ROLES = CENTER_ROLES | PROVIDER_ROLES
RESULT_READERS = CENTER_ROLES | BUREAU_ROLES
PEER_ROLES = REVIEWER_ROLES | BUREAU_ROLES
CLOSING_EVENT = "accept_closing"


def is_city_bureau(user: User) -> bool:
    return user.role in BUREAU_ROLES and user.district_id is None


def round_get(user: User, round_id: Any) -> InspectionRound:
    pk = parse_id(str(round_id))
    found = (InspectionRound.objects.filter(pk=pk).select_related("rubric", "created_by").first()
             if pk is not None and is_city_bureau(user) else None)
    if found is None:
        raise NotFoundOrForbidden("未找到该评查，或您无权查看。")
    return found


def rounds_for(user: User) -> QuerySet[InspectionRound]:
    return InspectionRound.objects.all() if is_city_bureau(user) else InspectionRound.objects.none()


def _result_scope(user: User) -> QuerySet[PeerSample]:
    """The samples whose results the user reads: all for the city bureau, their scope's cases for others."""
    samples = PeerSample.objects.all()
    if is_city_bureau(user):
        return samples
    if user.role not in RESULT_READERS:
        return samples.none()
    return samples.filter(case__in=quality_cases(user))


def sample_get_for_user(user: User, sample_id: Any) -> PeerSample:
    """A sample the user may open: its reviewer, or a reader of its results."""
    pk = parse_id(str(sample_id))
    found = None
    if pk is not None:
        scope = _result_scope(user) | PeerSample.objects.filter(reviewer=user)
        found = (scope.filter(pk=pk).select_related("round", "round__rubric", "case", "center", "provider",
                                                    "reviewer").first())
    if found is None:
        raise NotFoundOrForbidden("未找到该评估案件，或您无权查看。")
    return found


def sample_for_reviewer(user: User, sample_id: Any) -> PeerSample:
    pk = parse_id(str(sample_id))
    found = (PeerSample.objects.filter(pk=pk, reviewer=user).select_related("round", "round__rubric", "case",
                                                                            "center").first()
             if pk is not None else None)
    if found is None:
        raise NotFoundOrForbidden("未找到该评估案件，或您无权查看。")
    return found


def my_reviews(user: User) -> QuerySet[PeerSample]:
    return (PeerSample.objects.filter(reviewer=user).select_related("round", "case", "center")
            .order_by("scored_at", "round", "pk"))


def round_samples(round_: InspectionRound) -> QuerySet[PeerSample]:
    return (round_.samples.select_related("case", "center", "provider", "reviewer", "improvement")
            .order_by("center__name", "case_type", "case__number"))


# ---- the draw's input, shared by the service and the redraw check ---------------------------------------------


def closed_in_year(year: int, *, until: dt.datetime | None = None) -> QuerySet[Case]:
    """Closed (or archived) cases whose closing was accepted in ``year`` (and, with ``until``, not after it: a round
    of the current year samples the closings up to its draw, so cases closed later do not change its redraw)."""
    start = dt.date(year, 1, 1)
    events = CaseEvent.objects.filter(kind=CLOSING_EVENT, at__date__gte=start, at__date__lt=dt.date(year + 1, 1, 1))
    if until is not None:
        events = events.filter(at__lte=until)
    return Case.objects.filter(status__in=CLOSED_STATUSES, pk__in=events.values("case_id"))


def candidates(year: int, *, until: dt.datetime | None = None) -> list[rules.Candidate]:
    rows = closed_in_year(year, until=until).values_list("pk", "center_id", "case_type", "number")
    return [rules.Candidate(pk, center_id, case_type, number) for pk, center_id, case_type, number in rows]


def round_redraw(round_: InspectionRound) -> list[int]:
    """The case ids the recorded seed draws today over the year's closings up to the round's draw, in the draw's
    order: equal to the stored sample unless those cases changed since (``round_redraw_matches``)."""
    pool = candidates(round_.year, until=round_.created_at)
    return [cid for s in rules.draw(pool, rate=round_.rate, seed=round_.seed) for cid in s.drawn]


def round_redraw_matches(round_: InspectionRound) -> bool:
    stored = sorted(round_.samples.values_list("case_id", flat=True))
    return sorted(round_redraw(round_)) == stored


# ---- results ---------------------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    key: int | None
    label: str
    sampled: int = 0
    scored: int = 0
    grades: dict[str, int] = field(default_factory=lambda: {"excellent": 0, "good": 0, "pass": 0, "fail": 0})
    total_sum: Decimal = Decimal(0)

    @property
    def mean(self) -> Decimal | None:
        return None if not self.scored else (self.total_sum / self.scored).quantize(Decimal("0.1"))

    @property
    def lowers_subsidy(self) -> bool:
        return self.grades["fail"] > 0


def results(user: User, *, year: int | None = None) -> tuple[list[ResultRow], list[ResultRow]]:
    """Per center and per provider: samples, scored, mean score, the count of each grade (one query)."""
    samples = _result_scope(user)
    if year:
        samples = samples.filter(round__year=year)
    by_center: dict[int, ResultRow] = {}
    by_provider: dict[int | None, ResultRow] = {}
    rows = samples.values_list("center_id", "center__name", "provider_id", "provider__name", "total", "grade",
                               "scored_at")
    for center_id, center_name, provider_id, provider_name, total, grade, scored_at in rows:
        for table, key, label in ((by_center, center_id, center_name),
                                  (by_provider, provider_id, provider_name or "（未记录承办人员）")):
            row = table.setdefault(key, ResultRow(key, label))
            row.sampled += 1
            if scored_at is not None:
                row.scored += 1
                row.grades[grade] += 1
                row.total_sum += total or 0
    return (sorted(by_center.values(), key=lambda r: r.label),
            sorted(by_provider.values(), key=lambda r: (r.label, r.key or 0)))


def result_samples(user: User, *, year: int | None = None, center_id: int | None = None,
                   provider_id: int | None = None, grade: str = "", limit: int = 300) -> QuerySet[PeerSample]:
    """The records behind a figure of the report."""
    samples = _result_scope(user).select_related("round", "case", "center", "provider", "improvement")
    if year:
        samples = samples.filter(round__year=year)
    if center_id:
        samples = samples.filter(center_id=center_id)
    if provider_id:
        samples = samples.filter(provider_id=provider_id)
    if grade:
        samples = samples.filter(grade=grade, scored_at__isnull=False)
    return samples.order_by("-round__year", "center__name", "case__number")[:limit]


def improvements_due(user: User) -> QuerySet[PeerSample]:
    """Unqualified results in the user's scope whose improvement is not recorded or not done."""
    return (_result_scope(user).filter(scored_at__isnull=False, grade="fail")
            .filter(Q(improvement__isnull=True) | Q(improvement__done_on__isnull=True))
            .select_related("round", "case", "center", "improvement").order_by("round", "pk"))


# ---- what other apps read (subsidies, issue 14) ---------------------------------------------------------------


def case_peer_grade(case: Case | int) -> str | None:
    """The grade of the case's latest scored peer review, or None."""
    case_id = case if isinstance(case, int) else case.pk
    return (PeerSample.objects.filter(case_id=case_id, scored_at__isnull=False).order_by("-round__year")
            .values_list("grade", flat=True).first())


def peer_review_lowers_subsidy(case: Case | int) -> bool:
    """True when a peer review found the case unqualified (不合格): Legal Aid Law practice and the issue make an
    unqualified result lower the provider's subsidy for the case. The subsidies app reads this."""
    case_id = case if isinstance(case, int) else case.pk
    return PeerSample.objects.filter(case_id=case_id, scored_at__isnull=False, grade="fail").exists()


def provider_peer_results(provider_id: int, year: int) -> dict[str, Any]:
    """One provider's peer-review results of a year: {"sampled", "scored", "grades": {code: n},
    "unqualified_case_ids": [...]}: the subsidies app lowers the subsidy of each unqualified case."""
    grades: dict[str, int] = defaultdict(int)
    sampled = scored = 0
    unqualified = []
    for case_id, grade, scored_at in (PeerSample.objects.filter(provider_id=provider_id, round__year=year)
                                      .values_list("case_id", "grade", "scored_at").order_by("case_id")):
        sampled += 1
        if scored_at is not None:
            scored += 1
            grades[grade] += 1
            if grade == "fail":
                unqualified.append(case_id)
    return {"sampled": sampled, "scored": scored, "grades": dict(grades), "unqualified_case_ids": unqualified}


def case_type_label(code: str) -> str:
    return dict(CaseType.choices).get(code, code)
