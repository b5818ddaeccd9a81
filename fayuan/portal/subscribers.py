"""The public site listens to case events and tells the applicant (in-app and by SMS) after each commit."""

from __future__ import annotations

from fayuan.core import events

from .services.following import APPLICANT_MESSAGES, notify_applicant


def tell_applicant(event: events.Event) -> None:
    notify_applicant(event.payload["case_id"], event.kind)


def register() -> None:
    for kind in APPLICANT_MESSAGES:
        events.subscribe(f"case.{kind}", tell_applicant, phase=events.AFTER_COMMIT)
