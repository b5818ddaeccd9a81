"""The deadlines app listens to case events (``fayuan.core.events``) and keeps each case's clocks: inside the
event's transaction, so a clock starts or stops exactly when the event commits. It reads the case through the
attributes every clock subject has (center, number, custody, green channel); it never imports ``cases``."""

from __future__ import annotations

from django.utils import timezone

from fayuan.core import events

from . import services
from .models import Track

# Events after which a subject needs no more clocks at all.
ENDING_EVENTS = frozenset({"withdrawn", "terminated", "archived"})


def case_clocks(event: events.Event) -> None:
    """Stop every clock each emitted event satisfies, pause or resume the ones it pauses or resumes, then start every
    clock it begins (rules in force that day, from the event's instant for clocks in hours)."""
    case = event.subject
    for name in event.clocks:
        services.deadline_stop(subject=case, event=name, at=event.at, actor=event.actor)
        services.deadline_pause_resume(subject=case, event=name, at=event.at, actor=event.actor)
        if name in ENDING_EVENTS:
            services.deadline_cancel_all(subject=case, actor=event.actor, reason=name)
            continue
        services.deadline_start(
            subject=case, event=name, on=timezone.localdate(event.at), at=event.at, center=case.center,
            track=Track.GREEN_CHANNEL if case.green_channel else Track.STANDARD, custody=case.in_custody,
            reference=case.number, actor=event.actor,
        )


def register() -> None:
    events.subscribe("case.*", case_clocks, phase=events.IN_TRANSACTION)
