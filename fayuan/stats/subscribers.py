"""The rollups follow the case events inside the event's transaction: a figure on a dashboard commits or rolls back
with the decision, closing or deadline behind it. Registered after the deadlines app (INSTALLED_APPS order), so a
deadline the event met is already marked met when this handler reads it."""

from __future__ import annotations

from fayuan.cases.models import Case
from fayuan.core import events

from . import measures, services


def case_rollups(event: events.Event) -> None:
    case = event.subject if isinstance(event.subject, Case) else Case.objects.get(pk=event.payload["case_id"])
    cells = measures.cells_for_case_event(case=case, kind=event.kind, event_id=event.payload.get("event_id"),
                                          at=event.at)
    if cells:
        services.tally_add(cells=cells)


def register() -> None:
    events.subscribe("case.*", case_rollups, phase=events.IN_TRANSACTION)
