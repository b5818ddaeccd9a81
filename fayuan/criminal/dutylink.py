"""The duty side of a notice routed to a duty station (full coverage, simplified or fast-track procedure).

criminal and duty sit on the same floor and import neither each other, so they speak through domain events
(``fayuan.core.events``) whose names and payloads are this module's contract:

- ``notice.duty_routed`` (published here, in the receiving transaction): payload ``notice`` (public id, str),
  ``organ_id``, ``center_id``, ``custody_place_id``, ``station_id`` (the organ's duty station or None),
  ``person_id``, ``received_at`` (ISO). The duty app finds the station and the lawyer on the rota and answers with
- ``duty_notice.staffed`` / ``duty_notice.unstaffed`` / ``duty_notice.helped``: payload ``notice``, ``station_id``,
  ``provider_id``, ``date`` (ISO: the duty day, or the day help was given), ``note`` (Chinese, no personal data).
  This module's subscriber writes them onto the notice through ``notice_mark_duty_status``, so the organ's page and
  the API read the notice row alone.

Both handlers run in the publisher's transaction: a notice is never left without its duty answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Provider, Station

from .models import DutyStatus, Notice

ROUTED = "notice.duty_routed"
STAFFED, UNSTAFFED, HELPED = "duty_notice.staffed", "duty_notice.unstaffed", "duty_notice.helped"
STATUS_BY_EVENT = {STAFFED: DutyStatus.STAFFED, UNSTAFFED: DutyStatus.UNSTAFFED, HELPED: DutyStatus.HELPED}
MAX_NOTE = 300


def publish_routed(notice: Notice, *, actor: Any) -> None:
    """Call inside ``notice_receive``'s transaction, after the notice row exists."""
    events.publish(events.Event(
        name=ROUTED, subject=notice, at=notice.received_at, actor=actor,
        payload={"notice": str(notice.public_id), "organ_id": notice.organ_id, "center_id": notice.center_id,
                 "custody_place_id": notice.custody_place_id, "station_id": notice.duty_station_id,
                 "person_id": notice.person_id, "received_at": notice.received_at.isoformat()}))


@atomic_service
def notice_mark_duty_status(*, actor: Any, public_id: Any, status: str, station_id: int | None,
                            provider_id: int | None, on: dt.date | None, note: str = "") -> Notice:
    """Record on a duty-routed notice what the duty app reported: the station and lawyer on the rota for the day
    (staffed), none on the rota (unstaffed), or the help the lawyer recorded (helped). Called by the subscriber of
    the ``duty_notice.*`` events; ``actor`` is whoever caused the duty event (None for a job)."""
    if status not in DutyStatus.values or status == DutyStatus.PENDING:
        raise ValidationFailed("值班律师安排情况不正确。", field="status")
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    notice = Notice.objects.select_for_update().filter(public_id=key, route="duty").first()
    if notice is None:
        raise NotFoundOrForbidden()
    provider = Provider.objects.filter(pk=provider_id).first() if provider_id else None
    if status != DutyStatus.UNSTAFFED and (provider is None or on is None):
        raise ValidationFailed("已安排或已提供法律帮助的，须有值班律师和日期。", field="provider_id")
    station = Station.objects.filter(pk=station_id).first() if station_id else None
    fields = ["duty_status", "duty_assigned_lawyer", "duty_assigned_for", "duty_status_note"]
    if status == DutyStatus.HELPED:
        # The help the duty lawyer recorded answers the notice, as the center's own record of it does.
        notice.duty_lawyer, notice.duty_helped_on = provider, on
        notice.duty_note = (note or "")[:200]
        fields += ["duty_lawyer", "duty_helped_on", "duty_note"]
        if notice.duty_assigned_lawyer_id is None:
            notice.duty_assigned_lawyer = provider
    else:
        notice.duty_assigned_lawyer, notice.duty_assigned_for = provider, on
    notice.duty_status, notice.duty_status_note = status, (note or "")[:MAX_NOTE]
    if station is not None and notice.duty_station_id != station.pk:
        notice.duty_station = station
        fields.append("duty_station")
    notice.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, detail={"fields": fields, "status": status})
    return notice


def on_duty_answer(event: events.Event) -> None:
    p = event.payload
    on = dt.date.fromisoformat(p["date"]) if p.get("date") else None
    notice_mark_duty_status(actor=event.actor, public_id=p["notice"], status=STATUS_BY_EVENT[event.name],
                            station_id=p.get("station_id"), provider_id=p.get("provider_id"), on=on,
                            note=p.get("note", ""))


def register() -> None:
    for name in STATUS_BY_EVENT:
        events.subscribe(name, on_duty_answer, phase=events.IN_TRANSACTION)
