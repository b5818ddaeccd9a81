"""Writes of consultations: recording one (counted per person-time; the caller may stay anonymous)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.eligibility.models import Matter
from fayuan.people.selectors import person_get_for_user

from .models import Consultation, ConsultationChannel

OTHER_MATTER = "other"


@transaction.atomic
def consultation_record(
    *, actor: User, channel: str, question: str, advice: str, person_id: Any = None, caller_name: str = "",
    matter: str = "", referred_to_application: bool = False, occurred_at: dt.datetime | None = None,
) -> Consultation:
    """Record one consultation at the actor's station or center. Every problem is reported at once."""
    if actor.role != Role.STATION_CLERK and actor.role not in CENTER_ROLES:
        raise PermissionDenied("您的角色不能登记咨询。")
    occurred_at = occurred_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if channel not in ConsultationChannel.values:
        errors["channel"] = ["请选择咨询渠道。"]
    if not question.strip():
        errors["question"] = ["请填写咨询的问题。"]
    if not advice.strip():
        errors["advice"] = ["请填写解答意见。"]
    if len(caller_name.strip()) > 40:
        errors["caller_name"] = ["称呼不能超过 40 个字。"]
    if occurred_at > timezone.now():
        errors["occurred_at"] = ["咨询时间不能晚于现在。"]
    if matter and matter != OTHER_MATTER and not Matter.objects.in_force_on(
            timezone.localdate(occurred_at)).filter(code=matter).exists():
        errors["matter"] = ["咨询事项不在目录中；不属于目录事项的，请选择“其他”。"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    # Out-of-scope people are not found (404), as everywhere else.
    person = person_get_for_user(actor, person_id, audit=False) if person_id else None
    station = actor.station if actor.role == Role.STATION_CLERK else None
    center = station.center if station is not None else actor.center
    if center is None:  # pragma: no cover - the User constraints give these roles a center or a station
        raise PermissionDenied("您的账户未关联法律援助中心或工作站。")
    consultation = Consultation.objects.create(
        channel=channel, center=center, station=station, person=person,
        caller_name="" if person else caller_name.strip(), matter=matter, question=question.strip(),
        advice=advice.strip(), referred_to_application=referred_to_application, recorded_by=actor,
        occurred_at=occurred_at,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=consultation,
                 detail={"channel": channel, "person": person.pk if person else None})
    # Apps on higher floors (stats' rollups) listen; this app imports none of them.
    events.publish(events.Event(name="consultation.record", subject=consultation, at=occurred_at, actor=actor,
                                payload={"consultation_id": consultation.pk, "channel": channel,
                                         "center_id": center.pk, "station_id": station.pk if station else None}))
    return consultation
