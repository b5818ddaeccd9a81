"""Scoped reads of outreach: households, visit plans, early-intervention tasks and card batches.

Who sees what (by the district of the household's place): a station clerk their station's district, center
staff their center's district (the city center the district it sits in), a district bureau its district, the
city bureau everything; anyone else nothing (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, INTAKE_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id
from fayuan.org.models import District
from fayuan.places.models import Place

from .models import (
    CardBatch,
    Household,
    Intervention,
    InterventionStatus,
    NeedTopic,
    VisitNeed,
    VisitPlan,
)

# Who records visits, opens and closes tasks, issues cards: the stations and centers. Bureaus read.
OUTREACH_WRITERS = INTAKE_ROLES
OUTREACH_READERS = INTAKE_ROLES | {Role.BUREAU_SUPERVISOR}
ALL = "all"


def user_district_id(user: User) -> int | str | None:
    """The district a user's outreach covers; ``ALL`` for the city bureau; None for no outreach at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.STATION_CLERK and user.station is not None:
        return user.station.district_id
    if user.role in CENTER_ROLES and user.center is not None:
        return user.center.district_id or user.center.seat_district_id
    if user.role == Role.BUREAU_SUPERVISOR:
        return ALL if user.district_id is None else user.district_id
    return None


def district_q(user: User, district_field: str) -> Q | None:
    area = user_district_id(user)
    if area is None:
        return None
    return Q() if area == ALL else Q(**{f"{district_field}_id": area})


def covers(user: User, district_id: int) -> bool:
    area = user_district_id(user)
    return area == ALL or (area is not None and area == district_id)


def _scoped(user: User, qs: QuerySet[Any], district_field: str) -> QuerySet[Any]:
    scope = district_q(user, district_field)
    return qs.none() if scope is None else qs.filter(scope)


def _get(qs: QuerySet[Any], raw: Any, message: str, *, for_update: bool = False) -> Any:
    pk = parse_id(str(raw))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise NotFoundOrForbidden(message)
    return row


def places_visible_to(user: User) -> QuerySet[Place]:
    return _scoped(user, Place.objects.select_related("district"), "district")


def districts_visible_to(user: User) -> QuerySet[District]:
    area = user_district_id(user)
    if area is None:
        return District.objects.none()
    return District.objects.all() if area == ALL else District.objects.filter(pk=area)


def households_visible_to(user: User) -> QuerySet[Household]:
    return _scoped(user, Household.objects.select_related("place", "place__district"), "place__district")


def household_get_for_user(user: User, household_id: Any, *, for_update: bool = False) -> Household:
    return _get(households_visible_to(user), household_id, "未找到该家庭，或您无权查看。", for_update=for_update)


def plans_visible_to(user: User) -> QuerySet[VisitPlan]:
    return _scoped(user, VisitPlan.objects.select_related("center", "station", "district"), "district")


def plan_get_for_user(user: User, plan_id: Any) -> VisitPlan:
    return _get(plans_visible_to(user), plan_id, "未找到该走访计划，或您无权查看。")


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    return _scoped(user, Intervention.objects.select_related(
        "need__topic", "need__visit", "household__place__district", "assignee"), "household__place__district")


def intervention_get_for_user(user: User, task_id: Any, *, for_update: bool = False) -> Intervention:
    return _get(interventions_visible_to(user), task_id, "未找到该早期介入任务，或您无权查看。",
                for_update=for_update)


def needs_visible_to(user: User) -> QuerySet[VisitNeed]:
    return _scoped(user, VisitNeed.objects.select_related("topic", "visit__household__place"),
                   "visit__household__place__district")


def batches_visible_to(user: User) -> QuerySet[CardBatch]:
    return _scoped(user, CardBatch.objects.select_related("place", "place__district", "issued_by"),
                   "place__district").annotate(card_count=Count("cards"))


def batch_get_for_user(user: User, public_id: Any) -> CardBatch:
    batch = batches_visible_to(user).filter(public_id=public_id).first()
    if batch is None:
        raise NotFoundOrForbidden("未找到该联系卡批次，或您无权查看。")
    return batch


def staff_for_district(district_id: int) -> QuerySet[User]:
    """Who may be given a visit or a task in a district: its stations' clerks and its center's staff."""
    return (User.objects.filter(is_active=True)
            .filter(Q(role=Role.STATION_CLERK, station__district_id=district_id)
                    | Q(role__in=list(CENTER_ROLES), center__district_id=district_id)
                    | Q(role__in=list(CENTER_ROLES), center__district__isnull=True,
                        center__seat_district_id=district_id))
            .order_by("role", "username"))


def open_tasks(qs: QuerySet[Intervention], *, today: dt.date, overdue_only: bool = False) -> QuerySet[Intervention]:
    qs = qs.exclude(status=InterventionStatus.CLOSED)
    return qs.filter(due_on__lt=today) if overdue_only else qs


# --- The needs report -------------------------------------------------------------------------------------------


@dataclass
class NeedsReport:
    since: dt.date
    until: dt.date
    topics: list[NeedTopic]
    # district name -> topic code -> needs found; plus the households visited and tasks opened per district
    rows: list[tuple[str, list[int], int, int, int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    total: int = 0


def needs_report(user: User, *, since: dt.date, until: dt.date) -> NeedsReport:
    """Needs found on visits between ``since`` and ``until`` by the household's district and the need's topic,
    within the reader's scope; with the households visited and the tasks opened from those needs. Three queries."""
    topics = list(NeedTopic.objects.all())
    needs = needs_visible_to(user).filter(visit__visited_on__gte=since, visit__visited_on__lte=until)
    counts = (needs.values("visit__household__place__district_id", "topic_id")
              .annotate(n=Count("id"), tasks=Count("intervention")))
    visited = (_scoped(user, Household.objects.all(), "place__district")
               .filter(visits__visited_on__gte=since, visits__visited_on__lte=until)
               .values("place__district_id").annotate(n=Count("id", distinct=True)))
    districts = {d.pk: d for d in districts_visible_to(user).order_by("sort_order", "code")}
    index = {t.pk: i for i, t in enumerate(topics)}
    table: dict[int, list[int]] = {pk: [0] * len(topics) for pk in districts}
    tasks: dict[int, int] = dict.fromkeys(districts, 0)
    for row in counts:
        d = row["visit__household__place__district_id"]
        table.setdefault(d, [0] * len(topics))[index[row["topic_id"]]] += row["n"]
        tasks[d] = tasks.get(d, 0) + row["tasks"]
    households = {row["place__district_id"]: row["n"] for row in visited}
    report = NeedsReport(since=since, until=until, topics=topics)
    for pk, d in districts.items():
        cells = table[pk]
        report.rows.append((d.name, cells, sum(cells), households.get(pk, 0), tasks.get(pk, 0)))
    report.totals = [sum(r[1][i] for r in report.rows) for i in range(len(topics))]
    report.total = sum(report.totals)
    return report
