"""The one transition service, and the one place case events are published (``fayuan.core.events``).

Callers lock the case (``case_get_for_user(..., for_update=True)``) first. Every event is published as
``case.<kind>`` with the clock events it emits; the deadlines app starts and stops its clocks from them inside the
transaction, and the apps above (the public site, later quality, finance, stats) react without ``cases`` importing
them. See ``subscribers.py`` in each app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied
from fayuan.core.models import AuditAction

from .. import workflow
from ..models import Case, CaseEvent


def actor_role(actor: User | None) -> str:
    return "system" if actor is None else actor.role


def apply_transition(
    *, actor: User | None, case: Case, action: str, note: str = "", payload: dict[str, Any] | None = None,
    at: dt.datetime | None = None, extra_fields: tuple[str, ...] = (),
) -> CaseEvent:
    """Check the table, move the case, record the event, start and stop the clocks; refuse with a reason."""
    try:
        transition = workflow.check(case.status, action, actor_role(actor))
    except workflow.RoleRefused as exc:
        raise PermissionDenied(exc.message) from None
    except workflow.TransitionRefused as exc:
        raise Conflict(exc.message) from None
    at = at or timezone.now()
    from_status = case.status
    case.status = transition.target
    case.save(update_fields=["status", "updated_at", *extra_fields])
    event = CaseEvent.objects.create(case=case, kind=action, from_status=from_status, to_status=case.status,
                                     actor=actor, at=at, note=note, payload=payload or {})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case,
                 detail={"action": action, "from": from_status, "to": case.status})
    _publish(event, case, clocks=transition.events)
    return event


def record_event(*, actor: User | None, case: Case, kind: str, note: str = "",
                 payload: dict[str, Any] | None = None, at: dt.datetime | None = None,
                 emits: tuple[str, ...] = ()) -> CaseEvent:
    """A fact on the timeline that does not change the status (acceptance, progress, decision confirmed)."""
    at = at or timezone.now()
    event = CaseEvent.objects.create(case=case, kind=kind, from_status=case.status, to_status=case.status,
                                     actor=actor, at=at, note=note, payload=payload or {})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, detail={"event": kind})
    _publish(event, case, clocks=emits)
    return event


def _publish(event: CaseEvent, case: Case, *, clocks: tuple[str, ...]) -> None:
    events.publish(events.Event(name=f"case.{event.kind}", subject=case, at=event.at, actor=event.actor,
                                payload={"case_id": case.pk, "event_id": event.pk, **event.payload},
                                clocks=tuple(clocks)))
