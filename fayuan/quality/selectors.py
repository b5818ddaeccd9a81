"""Scoped reads of quality records. Every record belongs to a case, so the scope is the cases' own
(``cases.selectors.cases_visible_to``): a center's staff their center's cases, a district bureau its district's
centers, the city bureau all, a provider the cases they hold (read-only). Out of scope is a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, PROVIDER_ROLES
from fayuan.cases.models import Case, ProgressEntry, ProgressKind, Status
from fayuan.cases.selectors import case_get_for_user, cases_visible_to
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id
from fayuan.org.models import District
from fayuan.org.scale import bureau_too_big_to_count

from .models import (
    AttendanceStatus,
    CaseGrading,
    ClosingEvaluation,
    CollectiveDiscussion,
    FollowUpVisit,
    HearingAttendance,
    PeerSample,
    QualityGrade,
    Satisfaction,
    StageEvaluation,
    VisitStatus,
)

# The center does quality control over its own cases; the bureau reads; a provider reads their own cases' records.
QUALITY_WRITERS = CENTER_ROLES
QUALITY_SUPERVISORS = CENTER_ROLES | BUREAU_ROLES
QUALITY_READERS = QUALITY_SUPERVISORS | PROVIDER_ROLES
CLOSED_STATUSES = (Status.CLOSED, Status.ARCHIVED)


def quality_cases(user: User) -> QuerySet[Case]:
    if user.role not in QUALITY_READERS:
        return Case.objects.none()
    return cases_visible_to(user)


def quality_case_get(user: User, public_id: Any, *, for_update: bool = False) -> Case:
    if user.role not in QUALITY_READERS:
        raise NotFoundOrForbidden("未找到该案件，或您无权查看。")
    return case_get_for_user(user, public_id, audit=False, for_update=for_update)


def case_quality_link(case: Case, user: User) -> list[tuple[str, str]]:
    """The case page's link to the case's quality record, for those who may read it (the case page already scoped the
    case to the user). No query: the label is the same whatever the record holds."""
    if user.role not in QUALITY_READERS:
        return []
    label = "质量管理（案件等级、集体讨论、一案一评、庭审旁听、回访）"
    return [(label, reverse("quality:case", args=[case.public_id]))]


@dataclass
class CaseQuality:
    case: Case
    grading: CaseGrading | None
    discussions: list[CollectiveDiscussion]
    stage_evaluations: list[StageEvaluation]
    evaluation: ClosingEvaluation | None
    attendances: list[HearingAttendance]
    followup: FollowUpVisit | None
    hearings: list[ProgressEntry] = field(default_factory=list)


def case_quality(case: Case) -> CaseQuality:
    """Everything quality keeps on one case (a fixed number of queries)."""
    return CaseQuality(
        case=case,
        grading=CaseGrading.objects.filter(case=case).first(),
        discussions=list(CollectiveDiscussion.objects.filter(case=case)),
        stage_evaluations=list(StageEvaluation.objects.filter(case=case)),
        evaluation=ClosingEvaluation.objects.filter(case=case).select_related("rubric").first(),
        attendances=list(HearingAttendance.objects.filter(case=case)),
        followup=FollowUpVisit.objects.filter(case=case).first(),
        hearings=list(hearing_entries(case)),
    )


def hearing_entries(case: Case) -> QuerySet[ProgressEntry]:
    """The hearings the provider recorded (progress entries of kind 出庭 with the hearing time)."""
    return ProgressEntry.objects.filter(case=case, kind=ProgressKind.HEARING, hearing_at__isnull=False)


GRADE_ORDER: dict[str, int] = {QualityGrade.FAIL: 0, QualityGrade.PASS: 1, QualityGrade.GOOD: 2,
                               QualityGrade.EXCELLENT: 3}


def case_quality_grade(case: Case | int) -> str | None:
    """The quality grade of a case (优秀/良好/合格/不合格 as its code), or None: its completed closing evaluation's,
    lowered to the grade of a scored peer review (同行评估) when that is worse. A peer review is an outside check of
    a sample, so it may lower a case's grade but never raise it: the closing evaluation also weighs the recipient,
    the organ and the hearings, which the reviewers do not see. The subsidies app reads this to raise or lower a
    subsidy (and ``peer_review.selectors.peer_review_lowers_subsidy`` for the peer review alone)."""
    case_id = case if isinstance(case, int) else case.pk
    grade = (ClosingEvaluation.objects.filter(case_id=case_id, completed_at__isnull=False)
             .values_list("grade", flat=True).first()) or None
    peer = (PeerSample.objects.filter(case_id=case_id, scored_at__isnull=False).order_by("-round__year")
            .values_list("grade", flat=True).first()) or None
    if grade is None or peer is None:
        return grade or peer
    return min(grade, peer, key=lambda g: GRADE_ORDER.get(g, 0))


def grading_to_confirm(user: User) -> QuerySet[CaseGrading]:
    return (CaseGrading.objects.filter(case__in=quality_cases(user), confirmed_at__isnull=True)
            .select_related("case", "case__center").order_by("proposed_at", "pk"))


@dataclass
class CenterGaps:
    center_id: int
    center_name: str
    closed: int = 0
    missing: int = 0


def scope_too_big_to_count(user: User, *, district_id: int | None = None) -> bool:
    """Whether the user's quality pages leave the scope's closed cases uncounted: the city bureau over more than
    ``LIVE_CENTERS`` centers (a country's bureau), no district chosen. Every closed case without a completed
    evaluation is an anti-join over all the scope's closings (250 ms at a million cases, seconds at ten million; see
    docs/capacity.md), so such a bureau reads the coverage per center from the dashboard's stored sums, or picks a
    district here. A district bureau, a center and the bureau of a city count live."""
    return district_id is None and user.district_id is None and bureau_too_big_to_count(user)


def districts_to_pick(user: User) -> list[tuple[int, str]]:
    """The districts the city bureau may narrow the quality pages to, as (id, name); no one else narrows."""
    if user.role not in BUREAU_ROLES or user.district_id is not None:
        return []
    return list(District.objects.order_by("sort_order", "code").values_list("pk", "name"))


@dataclass
class EvaluationGaps:
    counted: bool  # False: the scope is too big to count (``scope_too_big_to_count``); rows and cases are empty
    rows: list[CenterGaps]
    cases: list[Case]


def evaluation_gaps(user: User, *, district_id: int | None = None, limit: int = 200) -> EvaluationGaps:
    """Closed (or archived) cases without a completed closing evaluation: the count per center and the cases, in
    the user's scope or in one district of it."""
    if scope_too_big_to_count(user, district_id=district_id):
        return EvaluationGaps(counted=False, rows=[], cases=[])
    closed = quality_cases(user).filter(status__in=CLOSED_STATUSES)
    if district_id is not None:
        closed = closed.filter(center__district_id=district_id)
    done = ClosingEvaluation.objects.filter(completed_at__isnull=False).values("case_id")
    per_center = (closed.values("center_id", "center__name")
                  .annotate(closed=Count("pk"), missing=Count("pk", filter=~Q(pk__in=done)))
                  .order_by("center__name"))
    rows = [CenterGaps(r["center_id"], r["center__name"], r["closed"], r["missing"]) for r in per_center]
    missing = list(closed.exclude(pk__in=done).select_related("center", "provider").order_by("center_id", "pk")
                   [:limit])
    return EvaluationGaps(counted=True, rows=rows, cases=missing)


def attendance_get_for_user(user: User, attendance_id: Any) -> HearingAttendance:
    pk = parse_id(str(attendance_id))
    found = (HearingAttendance.objects.filter(case__in=quality_cases(user), pk=pk).select_related("case").first()
             if pk is not None else None)
    if found is None:
        raise NotFoundOrForbidden("未找到该旁听安排，或您无权查看。")
    return found


def hearings_to_plan(user: User, *, since: dt.date, limit: int = 200) -> QuerySet[ProgressEntry]:
    """Hearings the providers entered from ``since`` on that no attendance is planned for yet."""
    planned = HearingAttendance.objects.filter(progress_entry__isnull=False).values("progress_entry_id")
    return (ProgressEntry.objects.filter(case__in=quality_cases(user), kind=ProgressKind.HEARING,
                                         hearing_at__date__gte=since)
            .exclude(pk__in=planned).select_related("case", "case__provider").order_by("hearing_at", "pk")[:limit])


def attendances_for_user(user: User, *, limit: int = 200) -> QuerySet[HearingAttendance]:
    return (HearingAttendance.objects.filter(case__in=quality_cases(user))
            .select_related("case", "case__provider").order_by("-hearing_at", "-pk")[:limit])


def visit_get_for_user(user: User, visit_id: Any) -> FollowUpVisit:
    pk = parse_id(str(visit_id))
    found = (FollowUpVisit.objects.filter(case__in=quality_cases(user), pk=pk).select_related("case", "provider")
             .first() if pk is not None else None)
    if found is None:
        raise NotFoundOrForbidden("未找到该回访，或您无权查看。")
    return found


def visits_for_user(user: User, *, status: str = VisitStatus.DUE, limit: int = 200) -> QuerySet[FollowUpVisit]:
    return (FollowUpVisit.objects.filter(case__in=quality_cases(user), status=status)
            .select_related("case", "center", "provider").order_by("created_at", "pk")[:limit])


@dataclass
class SatisfactionRow:
    label: str
    visits: int = 0
    reached: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0

    @property
    def rate(self) -> float | None:
        """满意率: (满意 + 基本满意) ÷ the visits that reached the recipient."""
        return None if not self.reached else round(100 * (self.satisfied + self.basic) / self.reached, 1)


def satisfaction_report(user: User, *, year: int | None = None) -> tuple[list[SatisfactionRow], list[SatisfactionRow]]:
    """The satisfaction rate of the follow-up visits per center and per provider (two queries)."""
    visits = FollowUpVisit.objects.filter(case__in=quality_cases(user)).exclude(status=VisitStatus.DUE)
    if year:
        visits = visits.filter(visited_on__year=year)
    counts = dict(
        reached=Count("pk", filter=Q(status=VisitStatus.DONE)), visits=Count("pk"),
        satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        basic=Count("pk", filter=Q(satisfaction=Satisfaction.BASIC)),
        dissatisfied=Count("pk", filter=Q(satisfaction=Satisfaction.DISSATISFIED)))
    by_center = [SatisfactionRow(r["center__name"], r["visits"], r["reached"], r["satisfied"], r["basic"],
                                 r["dissatisfied"])
                 for r in visits.values("center__name").annotate(**counts).order_by("center__name")]
    by_provider = [SatisfactionRow(r["provider__name"] or "（未记录承办人员）", r["visits"], r["reached"],
                                   r["satisfied"], r["basic"], r["dissatisfied"])
                   for r in visits.values("provider__name").annotate(**counts).order_by("provider__name")]
    return by_center, by_provider


def provider_evaluations(user: User, *, limit: int = 200) -> QuerySet[Case]:
    """A provider's own closed cases with their evaluation (read-only)."""
    evaluation = ClosingEvaluation.objects.all()
    return (quality_cases(user).filter(status__in=CLOSED_STATUSES)
            .prefetch_related(Prefetch("quality_evaluation", queryset=evaluation))
            .order_by("-updated_at", "-pk")[:limit])


@dataclass(frozen=True)
class Overview:
    """The quality page's counts. ``gaps`` and ``grades`` are None where the scope is too big to count them
    (``scope_too_big_to_count``, decided once for both)."""
    to_confirm: int
    gaps: int | None
    visits_due: int
    attendances_planned: int
    grades: dict[str, int] | None


def overview(user: User) -> Overview:
    cases = quality_cases(user)
    counted = not scope_too_big_to_count(user)
    gaps = (cases.filter(status__in=CLOSED_STATUSES).exclude(
        pk__in=ClosingEvaluation.objects.filter(completed_at__isnull=False).values("case_id")).count()
        if counted else None)
    return Overview(
        to_confirm=grading_to_confirm(user).count(),
        gaps=gaps,
        visits_due=FollowUpVisit.objects.filter(case__in=cases, status=VisitStatus.DUE).count(),
        attendances_planned=HearingAttendance.objects.filter(case__in=cases, status=AttendanceStatus.PLANNED).count(),
        grades=_grade_counts(cases) if counted else None,
    )


def _grade_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """The completed evaluations of the cases by grade, every grade shown."""
    rows = (ClosingEvaluation.objects.filter(case__in=cases, completed_at__isnull=False)
            .values("grade").annotate(n=Count("pk")))
    found = defaultdict(int, {r["grade"]: r["n"] for r in rows})
    return {label: found[code] for code, label in QualityGrade.choices}
