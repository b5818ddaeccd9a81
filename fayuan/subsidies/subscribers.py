"""The subsidy is computed when the center accepts the closing file, in that transaction (it must commit with the
closing: a closed case without its subsidy would wait for nobody)."""

from __future__ import annotations

from fayuan.cases.models import Case
from fayuan.core import events

from . import services


def compute_subsidy(event: events.Event) -> None:
    case = event.subject if isinstance(event.subject, Case) else Case.objects.get(pk=event.payload["case_id"])
    services.subsidy_compute(case=case, at=event.at)


def register() -> None:
    events.subscribe("case.accept_closing", compute_subsidy, phase=events.IN_TRANSACTION)
