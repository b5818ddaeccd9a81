"""Scoped reads of typical cases. A center's staff see their own center's; the city bureau all; a district bureau
those of the centers of its district (read-only: the city bureau reviews, plan point 20: 向市局报送). The public
sees accepted ones only, through ``public_*``. Anything outside the scope is a 404."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case
from fayuan.cases.models import Status as CaseStatus
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.org.models import Center, CenterLevel

from . import rules
from .models import ExcellenceCriterion, ExcellenceReview, MonthlyQuota, Nomination, Score, Status, TypicalCase

LIBRARY_ROLES = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
# Once submitted a write-up counts for its month, whatever the review says (a returned one is resubmitted).
COUNTED = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)


def is_city_bureau(user: User) -> bool:
    return user.role == Role.BUREAU_SUPERVISOR and user.district_id is None


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(center_id=user.center_id)
    if user.role == Role.BUREAU_SUPERVISOR:
        return Q() if user.district_id is None else Q(center__district_id=user.district_id)
    return None


def parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def typical_cases_visible_to(user: User) -> QuerySet[TypicalCase]:
    scope = _scope(user)
    if scope is None:
        return TypicalCase.objects.none()
    return TypicalCase.objects.filter(scope).select_related("center")


def typical_case_get_for_user(user: User, public_id: Any, *, for_update: bool = False) -> TypicalCase:
    qs = typical_cases_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    key = parse_uuid(public_id)
    found = qs.filter(public_id=key).first() if key is not None else None
    if found is None:
        raise NotFoundOrForbidden("未找到该典型案例，或您无权查看。")
    return found


def candidate_cases(user: User) -> QuerySet[Case]:
    """The user's center's closed cases that have no write-up yet (the ones a center may report)."""
    if user.role not in CENTER_ROLES or not user.center_id:
        return Case.objects.none()
    return (Case.objects.filter(center_id=user.center_id, status__in=CLOSED, typical_case__isnull=True)
            .order_by("-updated_at"))


def district_centers() -> QuerySet[Center]:
    """The centers that report: the district and county-level city centers (各市(县)区法律援助中心)."""
    return Center.objects.filter(level=CenterLevel.DISTRICT).order_by("district__code", "name")


def reporting_centers(user: User) -> QuerySet[Center]:
    """The reporting centers as far as the user sees them."""
    qs = district_centers()
    if user.role in CENTER_ROLES:
        return qs.filter(pk=user.center_id) if user.center_id is not None else qs.none()
    if user.role == Role.BUREAU_SUPERVISOR and user.district_id is not None:
        return qs.filter(district_id=user.district_id)
    return qs if user.role == Role.BUREAU_SUPERVISOR else qs.none()


def quota_on(day: dt.date) -> MonthlyQuota | None:
    return MonthlyQuota.objects.in_force_on(day).order_by("-effective_from").first()


@dataclass(frozen=True)
class Cell:
    period: dt.date
    submitted: int
    accepted: int
    status: str

    @property
    def label(self) -> str:
        return rules.CELL_LABELS[self.status]


class ReportingCenter(NamedTuple):
    """What a compliance row shows of its center: a country's table has 3,000, and building them as model rows took
    longer than counting their reports."""

    pk: int
    name: str


@dataclass(frozen=True)
class ComplianceRow:
    center: ReportingCenter
    cells: tuple[Cell, ...]

    @property
    def missed(self) -> list[dt.date]:
        return [c.period for c in self.cells if c.status == rules.MISSED]


def compliance(user: User, year: int, *, today: dt.date) -> list[ComplianceRow]:
    """Who reported how many typical cases for which month of ``year`` (two queries, whatever the size)."""
    reporting = reporting_centers(user)
    centers = list(map(ReportingCenter._make, reporting.values_list("pk", "name")))
    # A subquery, not the list: a country's 3,000 centers as parameters cost more to bind than the count takes.
    counts = {(r["center_id"], r["period"]): r for r in (
        TypicalCase.objects.filter(center__in=reporting.values("pk"), period__year=year, status__in=COUNTED)
        .values("center_id", "period")
        .annotate(n=Count("pk"), accepted=Count("pk", filter=Q(status=Status.ACCEPTED))))}
    quotas = sorted(MonthlyQuota.objects.filter(effective_from__lte=dt.date(year, 12, 31)),
                    key=lambda q: q.effective_from, reverse=True)
    # The quota of each month is the same for every center: found once, not once per center and month.
    months = [(period, next((q for q in quotas if q.in_force_on(period)), None))
              for period in (dt.date(year, month, 1) for month in range(1, 13))]
    # Cells are immutable, and a month's cell depends only on its counts: equal ones are made once and shared. A
    # country's 3,000 centers have 36,000 month cells, nearly all of them "none reported" for one of 12 months.
    made: dict[tuple[dt.date, int, int], Cell] = {}

    def cell(period: dt.date, quota: MonthlyQuota | None, submitted: int, accepted: int) -> Cell:
        found = made.get((period, submitted, accepted))
        if found is None:
            status = rules.NOT_YET if quota is None else rules.cell_status(
                submitted=submitted, minimum=quota.minimum, maximum=quota.maximum, period=period, today=today)
            found = made[(period, submitted, accepted)] = Cell(period, submitted, accepted, status)
        return found

    nothing = tuple(cell(period, quota, 0, 0) for period, quota in months)  # the year of a center that reported none
    reported = {center_id for center_id, _ in counts}
    rows = []
    for center in centers:
        if center.pk not in reported:
            rows.append(ComplianceRow(center, nothing))
            continue
        found = [counts.get((center.pk, period)) for period, _ in months]
        rows.append(ComplianceRow(center, tuple(
            cell(period, quota, f["n"], f["accepted"]) if f is not None else cell(period, quota, 0, 0)
            for (period, quota), f in zip(months, found, strict=True))))
    return rows


def criteria_on(day: dt.date) -> list[ExcellenceCriterion]:
    return list(ExcellenceCriterion.objects.in_force_on(day).order_by("position", "pk"))


def review_get_for_user(user: User, review_id: Any) -> ExcellenceReview:
    """The excellent-case review is the city bureau's (plan point 20: 年度法律援助优秀案件评审)."""
    review = None
    if is_city_bureau(user) and str(review_id).isdigit():
        review = ExcellenceReview.objects.filter(pk=int(review_id)).first()
    if review is None:
        raise NotFoundOrForbidden("未找到该评审，或您无权查看。")
    return review


@dataclass(frozen=True)
class Result:
    nomination: Nomination
    ranked: rules.Ranked


def review_results(review: ExcellenceReview) -> list[Result]:
    """The nominees ranked by the mean of the panel members' totals (three queries)."""
    nominations = {n.pk: n for n in review.nominations.select_related("typical_case__center")}
    totals: dict[object, list[int]] = {pk: [] for pk in nominations}
    for row in (Score.objects.filter(nomination__review=review).values("nomination_id", "member_id")
                .annotate(total=Sum("points"))):
        totals[row["nomination_id"]].append(row["total"])
    panel = review.panel.count()
    return [Result(nominations[int(str(r.key))], r) for r in rules.rank(totals, panel)]


# --- The public site ------------------------------------------------------------------------------------------------

def public_typical_cases() -> QuerySet[TypicalCase]:
    """Accepted write-ups only: each passed the anonymization check and the bureau's review."""
    return (TypicalCase.objects.filter(status=Status.ACCEPTED).select_related("center")
            .order_by("-accepted_at", "-pk"))


def public_typical_case(public_id: Any) -> TypicalCase:
    key = parse_uuid(public_id)
    found = public_typical_cases().filter(public_id=key).first() if key is not None else None
    if found is None:
        raise NotFoundOrForbidden("未找到该典型案例。")
    return found
