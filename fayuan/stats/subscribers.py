"""The rollups follow the case events inside the event's transaction: a figure on a dashboard commits or rolls back
with the decision, closing or deadline behind it. Registered after the deadlines app (INSTALLED_APPS order), so a
deadline the event met is already marked met when this handler reads it. Consultations and duty help (apps on lower
floors that import nothing of stats) publish their own events, counted here the same way."""

from __future__ import annotations

from fayuan.cases.models import Case
from fayuan.consultations.models import Consultation
from fayuan.core import events
from fayuan.duty.models import HelpRecord

from . import measures, measures_consultations, measures_duty, services


def case_rollups(event: events.Event) -> None:
    case = event.subject if isinstance(event.subject, Case) else Case.objects.get(pk=event.payload["case_id"])
    cells = measures.cells_for_case_event(case=case, kind=event.kind, event_id=event.payload.get("event_id"),
                                          at=event.at, clocks=event.clocks)
    if cells:
        services.tally_add(cells=cells)


def consultation_rollup(event: events.Event) -> None:
    consultation = event.subject if isinstance(event.subject, Consultation) else Consultation.objects.select_related(
        "center", "station").get(pk=event.payload["consultation_id"])
    services.tally_add(cells=[measures_consultations.cell_for_consultation(consultation)])


def duty_help_rollup(event: events.Event) -> None:
    record = event.subject if isinstance(event.subject, HelpRecord) else HelpRecord.objects.get(
        pk=event.payload["help_record_id"])
    services.tally_add(cells=[measures_duty.cell_for_help(record)])


def register() -> None:
    events.subscribe("case.*", case_rollups, phase=events.IN_TRANSACTION)
    events.subscribe("consultation.record", consultation_rollup, phase=events.IN_TRANSACTION)
    events.subscribe("duty.help_recorded", duty_help_rollup, phase=events.IN_TRANSACTION)
