"""Scoped reads of the prison stations' work. The staff of the center a prison station belongs to and the station's
own clerks see (and write) the prison's rooms, appointments and lectures; a district bureau reads the prisons of its
district, the city bureau every prison; a lawyer reads their own appointments. Anything else is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, PROVIDER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id
from fayuan.org.models import Station, StationType

from .models import Appointment, Lecture, VideoRoom

PRISON_WRITERS = CENTER_ROLES | {Role.STATION_CLERK}
PRISON_READERS = PRISON_WRITERS | BUREAU_ROLES


def _station_scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(center_id=user.center_id)
    if user.role == Role.STATION_CLERK and user.station_id:
        return Q(pk=user.station_id)
    if user.role in BUREAU_ROLES:
        if user.district_id is None:
            return Q()
        return Q(district_id=user.district_id) | Q(center__district_id=user.district_id)
    return None


def prisons_visible_to(user: User) -> QuerySet[Station]:
    scope = _station_scope(user)
    if scope is None:
        return Station.objects.none()
    return Station.objects.filter(scope, type=StationType.PRISON).select_related("center", "district")


def can_write(user: User, station: Station) -> bool:
    return user.role in PRISON_WRITERS and prisons_visible_to(user).filter(pk=station.pk).exists()


def prison_get_for_user(user: User, station_id: Any, *, for_write: bool = False) -> Station:
    pk = parse_id(str(station_id))
    station = prisons_visible_to(user).filter(pk=pk).first() if pk is not None else None
    if station is None or (for_write and user.role not in PRISON_WRITERS):
        raise NotFoundOrForbidden("未找到该监狱工作站，或您无权查看。")
    return station


def appointments_visible_to(user: User) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related("room", "provider", "station")
    if user.is_authenticated and user.is_active and user.role in PROVIDER_ROLES and user.provider_id:
        return qs.filter(provider_id=user.provider_id)
    return qs.filter(station__in=prisons_visible_to(user))


def appointment_get_for_user(user: User, appointment_id: Any, *, for_update: bool = False) -> Appointment:
    pk = parse_id(str(appointment_id))
    qs = appointments_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    appointment = qs.filter(pk=pk).first() if pk is not None else None
    if appointment is None:
        raise NotFoundOrForbidden("未找到该会见预约，或您无权查看。")
    return appointment


def rooms_of(station: Station, *, active_only: bool = True) -> QuerySet[VideoRoom]:
    qs = VideoRoom.objects.filter(station=station)
    return qs.filter(active=True) if active_only else qs


def appointments_between(station: Station, start: dt.datetime, end: dt.datetime) -> QuerySet[Appointment]:
    """The prison's appointments starting in [start, end), in time order (the calendar's month)."""
    return (Appointment.objects.filter(station=station, starts_at__gte=start, starts_at__lt=end)
            .select_related("room", "provider").order_by("starts_at", "room__name"))


def lectures_of(station: Station) -> QuerySet[Lecture]:
    return Lecture.objects.filter(station=station).order_by("-held_on", "-pk")
