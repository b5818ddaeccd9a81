"""Quality reacts to case and rating events inside their transaction (the records must commit with the event):
the grade is proposed when the aid is granted or the case assigned (acceptance), the closing evaluation opened and
the follow-up drawn when the closing is accepted, and a recipient's rating on the public site (a floor above,
which quality may not import) becomes the recipient's stage evaluation."""

from __future__ import annotations

from fayuan.cases.models import Case
from fayuan.core import events

from . import services

# Acceptance: the aid granted (by decision, aid first, or an upheld objection) or, for an organ's notice that opens
# a case already granted, the first assignment.
ACCEPTANCE_EVENTS = ("grant", "provide_aid_first", "overturn_refusal", "overturn_termination", "assign")


def propose_grade(event: events.Event) -> None:
    case = event.subject if isinstance(event.subject, Case) else Case.objects.get(pk=event.payload["case_id"])
    services.grading_propose(actor=None, case=case, at=event.at)


def open_evaluation(event: events.Event) -> None:
    case = event.subject if isinstance(event.subject, Case) else Case.objects.get(pk=event.payload["case_id"])
    services.evaluation_open(actor=None, case=case, at=event.at)
    services.followup_draw(actor=None, case=case, at=event.at)


def feed_rating(event: events.Event) -> None:
    p = event.payload
    services.stage_evaluation_from_rating(actor=None, case_id=p["case_id"], rating_id=p["rating_id"],
                                          stage=p["stage"], score=p["score"], comment=p.get("comment", ""),
                                          provider_id=p.get("provider_id"), at=event.at)


def register() -> None:
    for kind in ACCEPTANCE_EVENTS:
        events.subscribe(f"case.{kind}", propose_grade, phase=events.IN_TRANSACTION)
    events.subscribe("case.accept_closing", open_evaluation, phase=events.IN_TRANSACTION)
    events.subscribe("rating.submit", feed_rating, phase=events.IN_TRANSACTION)
