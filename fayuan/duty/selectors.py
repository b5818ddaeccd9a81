"""Scoped reads: a center's staff see their own center's duty stations and everything on them; a duty lawyer sees
their own duties, swaps and help records. Anything else is a 404 (``NotFoundOrForbidden``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id
from fayuan.org.models import Organ, OrganKind, Station, StationType
from fayuan.org.selectors import centers_in_scope

from .models import (
    Duty,
    DutyPoolMember,
    HelpRecord,
    Inspection,
    NoticeAssignment,
    NoticeDutyStatus,
    RotaMonth,
    SwapRequest,
    Unavailability,
)

DUTY_ORGAN_KINDS = (OrganKind.COURT, OrganKind.DETENTION_CENTER)
DUTY_STATION_TYPES = (StationType.COURT, StationType.DETENTION_CENTER)


def is_center_staff(user: User) -> bool:
    return user.role in CENTER_ROLES and user.center_id is not None


def duty_stations() -> QuerySet[Station]:
    """Every active duty station of the city (courts and detention centers with a duty lawyer)."""
    return Station.objects.filter(active=True, has_duty_lawyer=True).select_related("center")


def stations_visible_to(user: User) -> QuerySet[Station]:
    if is_center_staff(user):
        return duty_stations().filter(center_id=user.center_id or 0)
    return Station.objects.none()


def station_get_for_user(user: User, station_id: Any) -> Station:
    pk = parse_id(str(station_id))
    station = stations_visible_to(user).filter(pk=pk).first() if pk else None
    if station is None:
        raise NotFoundOrForbidden()
    return station


def stations_with_pool_size(user: User, *, on: dt.date) -> QuerySet[Station]:
    """The user's duty stations, each with ``pool_size``: the lawyers in its pool on ``on`` (one query)."""
    in_pool = Q(duty_pool__admitted_on__lte=on) & (Q(duty_pool__left_on__isnull=True) | Q(duty_pool__left_on__gt=on))
    return stations_visible_to(user).annotate(pool_size=Count("duty_pool", filter=in_pool)).order_by("pk")


def duties_visible_to(user: User) -> QuerySet[Duty]:
    qs = Duty.objects.select_related("station", "provider", "rota")
    if is_center_staff(user):
        return qs.filter(station__center_id=user.center_id or 0)
    if user.role == Role.DUTY_LAWYER and user.provider_id:
        # A lawyer sees published duties only: a draft may still change.
        return qs.filter(provider_id=user.provider_id, rota__status="published")
    return qs.none()


def duty_get_for_user(user: User, duty_id: Any, *, for_update: bool = False) -> Duty:
    pk = parse_id(str(duty_id))
    qs = duties_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    duty = qs.filter(pk=pk).first() if pk else None
    if duty is None:
        raise NotFoundOrForbidden()
    return duty


def pool_members(station: Station, *, on: dt.date | None = None) -> QuerySet[DutyPoolMember]:
    qs = station.duty_pool.select_related("provider")
    if on is not None:
        qs = qs.filter(admitted_on__lte=on).exclude(left_on__lte=on)
    return qs


def member_get_for_user(user: User, member_id: Any) -> DutyPoolMember:
    pk = parse_id(str(member_id))
    member = (DutyPoolMember.objects.select_related("station", "provider")
              .filter(pk=pk, station__in=stations_visible_to(user)).first() if pk else None)
    if member is None:
        raise NotFoundOrForbidden()
    return member


def rota_for(center_id: int, month: dt.date) -> RotaMonth | None:
    return RotaMonth.objects.filter(center_id=center_id, month=month).first()


def swaps_visible_to(user: User) -> QuerySet[SwapRequest]:
    qs = SwapRequest.objects.select_related("duty__station", "duty__provider", "replacement")
    if is_center_staff(user):
        return qs.filter(duty__station__center_id=user.center_id or 0)
    if user.role == Role.DUTY_LAWYER and user.provider_id:
        return qs.filter(duty__provider_id=user.provider_id)
    return qs.none()


def swap_get_for_user(user: User, swap_id: Any, *, for_update: bool = False) -> SwapRequest:
    pk = parse_id(str(swap_id))
    qs = swaps_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    swap = qs.filter(pk=pk).first() if pk else None
    if swap is None:
        raise NotFoundOrForbidden()
    return swap


def help_visible_to(user: User) -> QuerySet[HelpRecord]:
    qs = HelpRecord.objects.select_related("station", "provider", "duty", "person")
    if is_center_staff(user):
        return qs.filter(station__center_id=user.center_id or 0)
    if user.role == Role.DUTY_LAWYER and user.provider_id:
        return qs.filter(provider_id=user.provider_id)
    return qs.none()


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.select_related("station").filter(station__in=stations_visible_to(user))


def unavailability_visible_to(user: User) -> QuerySet[Unavailability]:
    """A center sees the leave of the lawyers in its stations' pools."""
    if not is_center_staff(user):
        return Unavailability.objects.none()
    providers = DutyPoolMember.objects.filter(station__center_id=user.center_id or 0).values("provider_id")
    return Unavailability.objects.select_related("provider").filter(provider_id__in=providers)


def own_unavailability(user: User) -> QuerySet[Unavailability]:
    """A duty lawyer's own leave, whoever entered it (they or the center)."""
    if user.role != Role.DUTY_LAWYER or not user.provider_id:
        return Unavailability.objects.none()
    return Unavailability.objects.filter(provider_id=user.provider_id)


def organs_without_duty_station(center_id: int | None = None) -> QuerySet[Organ]:
    """Courts and detention centers with no active duty station at them (plan point 2: full coverage)."""
    qs = Organ.objects.filter(active=True, kind__in=DUTY_ORGAN_KINDS).select_related("station", "center")
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    return qs.exclude(station__has_duty_lawyer=True, station__active=True)


# --- Oversight (the duty overview): a center its own stations, a district bureau its centers', the city bureau all --

def stations_overseen_by(user: User) -> QuerySet[Station]:
    return duty_stations().filter(center__in=centers_in_scope(user)).select_related("district")


def overseen_station_get(user: User, station_id: Any) -> Station:
    pk = parse_id(str(station_id))
    station = stations_overseen_by(user).filter(pk=pk).first() if pk else None
    if station is None:
        raise NotFoundOrForbidden()
    return station


# --- Organs' notices put on the rota (services.notices) ---------------------------------------------------------

def assignments_visible_to(user: User) -> QuerySet[NoticeAssignment]:
    """A duty lawyer the notices on their own slots; center staff and bureaus those of the centers they oversee
    (by the notice's center, so an unstaffed notice without any station is still seen)."""
    qs = NoticeAssignment.objects.select_related("organ", "station", "duty__provider", "duty__station", "person",
                                                 "help_record")
    if user.role == Role.DUTY_LAWYER and user.provider_id:
        return qs.filter(duty__provider_id=user.provider_id, duty__rota__status="published")
    return qs.filter(center__in=centers_in_scope(user))


def open_assignments_for(user: User) -> QuerySet[NoticeAssignment]:
    """The lawyer's notices still waiting for help."""
    if user.role != Role.DUTY_LAWYER or not user.provider_id:
        return NoticeAssignment.objects.none()
    return assignments_visible_to(user).filter(status=NoticeDutyStatus.STAFFED)
