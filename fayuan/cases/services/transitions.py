"""The one transition service. Callers lock the case (``case_get_for_user(..., for_update=True)``) first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict
from fayuan.core.models import AuditAction

from .. import workflow
from ..models import Case, CaseEvent
from . import effects


def actor_role(actor: User | None) -> str:
    return "system" if actor is None else actor.role


def apply_transition(
    *, actor: User | None, case: Case, action: str, note: str = "", payload: dict[str, Any] | None = None,
    at: dt.datetime | None = None, extra_fields: tuple[str, ...] = (),
) -> CaseEvent:
    """Check the table, move the case, record the event, start and stop the clocks; refuse with a reason."""
    try:
        transition = workflow.check(case.status, action, actor_role(actor))
    except workflow.TransitionRefused as exc:
        raise Conflict(exc.message) from None
    at = at or timezone.now()
    from_status = case.status
    case.status = transition.target
    case.save(update_fields=["status", "updated_at", *extra_fields])
    event = CaseEvent.objects.create(case=case, kind=action, from_status=from_status, to_status=case.status,
                                     actor=actor, at=at, note=note, payload=payload or {})
    for name in transition.events:
        effects.emit(case=case, event=name, at=at, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case,
                 detail={"action": action, "from": from_status, "to": case.status})
    transaction.on_commit(lambda: effects.notify_after_transition(case_id=case.pk, action=action))
    return event


def record_event(*, actor: User | None, case: Case, kind: str, note: str = "",
                 payload: dict[str, Any] | None = None, at: dt.datetime | None = None,
                 emits: tuple[str, ...] = ()) -> CaseEvent:
    """A fact on the timeline that does not change the status (acceptance, progress, decision confirmed)."""
    at = at or timezone.now()
    event = CaseEvent.objects.create(case=case, kind=kind, from_status=case.status, to_status=case.status,
                                     actor=actor, at=at, note=note, payload=payload or {})
    for name in emits:
        effects.emit(case=case, event=name, at=at, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, detail={"event": kind})
    return event
