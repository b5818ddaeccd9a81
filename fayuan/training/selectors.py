"""Scoped reads of training. A center sees the sessions it organised and those of the bureaus above it (the city
bureau's, its district bureau's); a district bureau its own and its district's centers'; the city bureau all.
Hours per person count every session a person attended, whoever organised it, for the people of the user's scope
(a center's staff and the providers whose home it is; a district's centers'; the city's)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id

from .models import Attendance, TrainingSession

TRAINING_ROLES = CENTER_ROLES | BUREAU_ROLES


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        district = user.center.district_id if user.center else None
        above = Q(by_bureau=True, organiser_district__isnull=True)
        if district is not None:
            above |= Q(by_bureau=True, organiser_district_id=district)
        return Q(organiser_center_id=user.center_id) | above
    if user.role in BUREAU_ROLES:
        if user.district_id is None:
            return Q()
        return Q(by_bureau=True, organiser_district_id=user.district_id) | Q(
            organiser_center__district_id=user.district_id)
    return None


def sessions_visible_to(user: User) -> QuerySet[TrainingSession]:
    scope = _scope(user)
    if scope is None:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(scope).select_related("organiser_center", "organiser_district")


def may_manage(user: User, session: TrainingSession) -> bool:
    """The organiser records attendance: the organising center's staff, or the organising bureau."""
    if user.role in CENTER_ROLES:
        return session.organiser_center_id is not None and session.organiser_center_id == user.center_id
    if user.role in BUREAU_ROLES:
        return session.by_bureau and session.organiser_district_id == user.district_id
    return False


def session_get_for_user(user: User, session_id: Any, *, for_update: bool = False) -> TrainingSession:
    pk = parse_id(str(session_id))
    qs = sessions_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    session = qs.filter(pk=pk).first() if pk is not None else None
    if session is None:
        raise NotFoundOrForbidden("未找到该培训，或您无权查看。")
    return session


def attendances_of(session: TrainingSession) -> QuerySet[Attendance]:
    return (Attendance.objects.filter(session=session)
            .select_related("staff__center", "provider__home_center").order_by("-attended", "pk"))


def _people_scope(user: User) -> tuple[Q, Q] | None:
    """(staff filter, provider filter) of the people whose hours the user may read."""
    if user.role in CENTER_ROLES and user.center_id:
        return Q(staff__center_id=user.center_id), Q(provider__home_center_id=user.center_id)
    if user.role in BUREAU_ROLES:
        if user.district_id is None:
            return Q(staff__isnull=False), Q(provider__isnull=False)
        d = user.district_id
        return Q(staff__center__district_id=d), Q(provider__home_center__district_id=d)
    return None


@dataclass(frozen=True)
class PersonHours:
    kind: str  # "中心工作人员" or "法律援助人员"
    name: str
    unit: str
    sessions: int
    hours: Decimal


def _tenths(value: Decimal | None) -> Decimal:
    # SQLite sums a decimal column to a float-like value: one decimal place on every backend.
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


def hours_by_person(user: User, year: int) -> list[PersonHours]:
    """Training hours credited in ``year`` to each person of the user's scope who attended anything, most first."""
    scope = _people_scope(user)
    if scope is None:
        return []
    staff_q, provider_q = scope
    base = Attendance.objects.filter(session__held_on__year=year, attended=True)
    rows: list[PersonHours] = []
    for r in (base.filter(staff_q).values("staff_id", "staff__name", "staff__center__name")
              .annotate(hours=Sum("hours_credited"), n=Count("id"))):
        rows.append(PersonHours("中心工作人员", r["staff__name"], r["staff__center__name"], r["n"],
                                _tenths(r["hours"])))
    for r in (base.filter(provider_q).values("provider_id", "provider__name", "provider__home_center__name")
              .annotate(hours=Sum("hours_credited"), n=Count("id"))):
        rows.append(PersonHours("法律援助人员", r["provider__name"], r["provider__home_center__name"], r["n"],
                                _tenths(r["hours"])))
    return sorted(rows, key=lambda p: (-p.hours, p.unit, p.name))
