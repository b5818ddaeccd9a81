"""Subsidy measures of the rollups (issue 14 part 4): the timeliness of the subsidies paid to providers, kept by a
subscriber to ``subsidy.batch_paid`` in the payment's transaction and rebuilt from the subsidies paid.

- ``subsidy_paid``: subsidies paid, keyed ``on_time`` or ``late``, with the amount paid (the subsidy's total) in
  ``amount``;
- ``subsidy_days``: the same subsidies with ``count`` the days from closing to payment (so a mean is
  ``subsidy_days.count / subsidy_paid.count``), same keys.

A subsidy counts in the month of its closing (``Subsidy.closed_on``), like ``timeliness_by_center`` which counts the
subsidies of the cases closed in a year. On time: paid within the payment term (``PaymentTerm``) in force on the
closing day, the day the term starts to run (``timeliness_by_center`` takes the term in force on 1 January; the two
differ only in a year whose term changed). Center and district are the case's, by the shared attribution rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from fayuan.core import events
from fayuan.subsidies import rules
from fayuan.subsidies.models import Status, Subsidy

from . import measures, services
from .measures import LATE, ON_TIME, Cell
from .measures_quality import case_rows

SUBSIDY_PAID, SUBSIDY_DAYS = "subsidy_paid", "subsidy_days"
MEASURES = (SUBSIDY_PAID, SUBSIDY_DAYS)


class Terms:
    """The payment term in force on each closing day, read once per day."""

    def __init__(self) -> None:
        self._days: dict[dt.date, int] = {}

    def on(self, day: dt.date) -> int:
        if day not in self._days:
            self._days[day] = rules.payment_days_on(day)
        return self._days[day]


def paid_cells(where: tuple[int, int | None], *, closed_on: dt.date, paid_on: dt.date, total: Decimal,
               term_days: int) -> list[Cell]:
    days = (paid_on - closed_on).days
    key = ON_TIME if days <= term_days else LATE
    month = closed_on.replace(day=1)
    return [Cell(SUBSIDY_PAID, *where, month, key, amount=total), Cell(SUBSIDY_DAYS, *where, month, key, count=days)]


def _cells(subsidies: Iterator[tuple], terms: Terms) -> Iterator[Cell]:  # type: ignore[type-arg]
    for c, d, closed_on, paid_on, total in subsidies:
        yield from paid_cells((c, d), closed_on=closed_on, paid_on=paid_on, total=total,
                              term_days=terms.on(closed_on))


def batch_paid_rollups(event: events.Event) -> None:
    paid = Subsidy.objects.filter(batch_id=event.payload["batch_id"], status=Status.PAID)
    cells = list(_cells(case_rows(paid, "closed_on", "paid_on", "total"), Terms()))
    if cells:
        services.tally_add(cells=cells)


def register() -> None:
    events.subscribe("subsidy.batch_paid", batch_paid_rollups, phase=events.IN_TRANSACTION)


def rebuild_subsidies() -> Iterator[Cell]:
    paid = Subsidy.objects.filter(status=Status.PAID)
    yield from _cells(case_rows(paid, "closed_on", "paid_on", "total"), Terms())


if rebuild_subsidies not in measures.REBUILDERS:
    measures.REBUILDERS.append(rebuild_subsidies)
