"""Custody listens to the case's forwarding events: whoever forwards the application (the organ through this app,
or the center's staff taking it in with the station action), the forwarding row records the instant once, from the
same event that stops the 24-hour clock. ``cases`` never imports this app."""

from __future__ import annotations

from fayuan.core import events

from .linking import notifications_link_case
from .models import Forwarding

FORWARDING_EVENTS = ("case.forward_from_custody", "case.forward")


def forwarding_mark_forwarded(event: events.Event) -> None:
    Forwarding.objects.filter(case_id=event.subject.pk, forwarded_at__isnull=True).update(forwarded_at=event.at)


def notifications_meet_case(event: events.Event) -> None:
    """A new case of a person the police told of the right to apply links their earlier notifications."""
    notifications_link_case(actor=event.actor, case=event.subject)


def register() -> None:
    for name in FORWARDING_EVENTS:
        events.subscribe(name, forwarding_mark_forwarded, phase=events.IN_TRANSACTION)
    events.subscribe("case.received", notifications_meet_case, phase=events.IN_TRANSACTION)
