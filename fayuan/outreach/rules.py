"""Pure rules of outreach: the early-intervention task's transitions, the date windows, the nearest station."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from fayuan.core.geo import haversine_km

OPEN, IN_PROGRESS, CLOSED = "open", "in_progress", "closed"
# status -> the statuses a task may move to. Closed is final: a need found again is a new visit's new task.
TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({IN_PROGRESS, CLOSED}),
    IN_PROGRESS: frozenset({CLOSED}),
    CLOSED: frozenset(),
}
# A visit or a task is entered on the day or afterwards from the visitor's notes, not more than about a year late.
LATE_ENTRY_DAYS = 400
# The longest a task may be given: early intervention is meant to come before a dispute hardens.
MAX_DUE_DAYS = 90
PLAN_MAX_DAYS = 366


def may_move(status: str, to: str) -> bool:
    return to in TRANSITIONS.get(status, frozenset())


def overdue(*, status: str, due_on: dt.date, today: dt.date) -> bool:
    return status != CLOSED and due_on < today


def within_entry_window(day: dt.date, today: dt.date) -> bool:
    return today - dt.timedelta(days=LATE_ENTRY_DAYS) <= day <= today


class Located(Protocol):
    @property
    def latitude(self) -> object: ...

    @property
    def longitude(self) -> object: ...


L = TypeVar("L", bound=Located)


def distance_km(a: Located, b: Located) -> float:
    """Great-circle distance; enough to pick the nearest office to a village."""
    return haversine_km(float(str(a.latitude)), float(str(a.longitude)), float(str(b.latitude)),
                        float(str(b.longitude)))


def nearest(origin: Located, candidates: Iterable[L]) -> L | None:
    return min(candidates, key=lambda c: distance_km(origin, c), default=None)
