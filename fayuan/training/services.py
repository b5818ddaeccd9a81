"""Writes of training: a center or a bureau records a session it organised, and who attended it with the hours
credited. Bad input changes nothing; each write is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES
from fayuan.core.audit import audit_record
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Provider, Staff

from .models import Attendance, TrainingSession
from .selectors import may_manage, session_get_for_user

MAX_HOURS = Decimal(80)  # two working weeks: a longer course is recorded as several sessions
SCHEDULE_WINDOW_DAYS = 366


@dataclass
class SessionInput:
    title: str
    held_on: dt.date
    hours: Decimal
    place: str
    topic: str = ""


def _text(value: str, *, label: str, name: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


def _hours(value: Any, *, name: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("学时应为数字（可保留一位小数）。", field=name) from None
    if not low <= hours <= high:
        raise ValidationFailed(f"学时应在 {low} 到 {high} 之间。", field=name)
    return hours


@atomic_service
def session_create(*, actor: User, data: SessionInput) -> TrainingSession:
    """A session organised by the actor's center, or by the actor's bureau; planned (up to a year ahead) or held."""
    organiser: dict[str, Any]
    if actor.role in CENTER_ROLES and actor.center_id:
        organiser = {"organiser_center_id": actor.center_id}
    elif actor.role in BUREAU_ROLES:
        organiser = {"by_bureau": True, "organiser_district_id": actor.district_id}
    else:
        raise PermissionDenied("只有法律援助中心工作人员或司法局可以登记培训。")
    if abs((data.held_on - timezone.localdate()).days) > SCHEDULE_WINDOW_DAYS:
        raise ValidationFailed("培训日期应在前后一年之内。", field="held_on")
    session = TrainingSession.objects.create(
        title=_text(data.title, label="培训名称", name="title", low=2, high=200), held_on=data.held_on,
        hours=_hours(data.hours, name="hours", low=Decimal("0.5"), high=MAX_HOURS),
        place=_text(data.place, label="培训地点", name="place", low=2, high=200),
        topic=_text(data.topic, label="培训内容", name="topic", low=0, high=300), created_by=actor, **organiser)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session,
                 detail={"held_on": data.held_on.isoformat(), "hours": str(session.hours)})
    return session


def _person(person: str) -> dict[str, Any]:
    """``staff:<id>`` or ``provider:<id>`` of an active person."""
    kind, _, raw = (person or "").partition(":")
    if raw.isdigit():
        if kind == "staff" and Staff.objects.filter(pk=int(raw), active=True).exists():
            return {"staff_id": int(raw)}
        if kind == "provider" and Provider.objects.filter(pk=int(raw), active=True).exists():
            return {"provider_id": int(raw)}
    raise ValidationFailed("请选择在岗的中心工作人员或在册的法律援助人员。", field="person")


@atomic_service
def attendance_record(*, actor: User, session_id: Any, person: str, attended: bool,
                      hours: Decimal | None = None) -> Attendance:
    """Record (or correct) one person's attendance once the session has been held. Attended: the session's hours
    unless fewer are given (a person who left early); absent: none."""
    session = session_get_for_user(actor, session_id, for_update=True)
    if not may_manage(actor, session):
        raise PermissionDenied("只有主办单位可以登记出勤。")
    if session.held_on > timezone.localdate():
        raise ValidationFailed("培训尚未举办，不能登记出勤。", field="person")
    who = _person(person)
    credited = Decimal(0)
    if attended:
        credited = session.hours if hours is None else _hours(hours, name="hours", low=Decimal(0), high=session.hours)
    attendance, created = Attendance.objects.update_or_create(
        session=session, **who, defaults={"attended": attended, "hours_credited": credited, "recorded_by": actor})
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=attendance,
                 detail={"session": session.pk, **who, "attended": attended, "hours": str(credited)})
    return attendance
