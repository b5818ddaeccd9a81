"""Quality measures of the rollups (issue 14 part 4): closing evaluations, follow-up visits and the recipients'
ratings from the public site, each kept by a subscriber in the event's transaction and rebuilt from the raw rows.

- ``evaluation``: closing evaluations completed, by quality grade, with the combined score summed in ``amount``
  (a mean score is ``amount / count``). It counts in the month of the closing (the evaluation is opened when the
  closing is accepted), so that evaluated ÷ ``closed`` is the coverage of the cases closed in a period. Completing
  again corrects the grade: the old grade's cell loses one, the new one gains one.
- ``follow_up``: the visits drawn at closing, each in exactly one cell ``status|satisfaction`` (``due|``,
  ``done|satisfied``, ``unreachable|``, ...), in the month of the closing. A visit recorded moves from its cell to
  the new one, so the cells always sum to the visits drawn.
- ``rating``: the recipients' stage ratings (1-5) from the public site, by score, in the month submitted.

Every figure counts for the case's center and the district of the shared attribution rule (``attribution.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from fayuan.cases.models import Case
from fayuan.core import events
from fayuan.portal.models import Rating
from fayuan.quality.models import ClosingEvaluation, FollowUpVisit

from . import measures, services
from .attribution import case_district_id, district_of, month_of
from .measures import ZERO, Cell

EVALUATION, FOLLOW_UP, RATING = "evaluation", "follow_up", "rating"
MEASURES = (EVALUATION, FOLLOW_UP, RATING)

CASE_WHERE = ("center_id", "center__district_id", "receiving_station__district_id", "center__seat_district_id")


def follow_up_key(status: str, satisfaction: str) -> str:
    return f"{status}|{satisfaction or ''}"


def case_rows(queryset: QuerySet[Any], *fields: str, prefix: str = "case__") -> Iterator[tuple[Any, ...]]:
    """(center, attributed district, *fields) of each row of a queryset that hangs off a case by ``prefix``."""
    where = tuple(f"{prefix}{f}" for f in CASE_WHERE)
    for row in queryset.values_list(*where, *fields).iterator(chunk_size=measures.CHUNK):
        yield (row[0], district_of(center_district_id=row[1], station_district_id=row[2], seat_district_id=row[3]),
               *row[4:])


def _where(case_id: int, at: dt.datetime) -> tuple[int, int | None, dt.date]:
    case = Case.objects.select_related("center", "receiving_station").get(pk=case_id)
    return case.center_id, case_district_id(case), month_of(at)


def _decimal(value: Any) -> Decimal:
    return Decimal(value) if value not in (None, "") else ZERO


# --- Cells of one event --------------------------------------------------------------------------------------------

def evaluation_cells(event: events.Event) -> list[Cell]:
    p = event.payload
    evaluation = event.subject if isinstance(event.subject, ClosingEvaluation) \
        else ClosingEvaluation.objects.get(pk=p["evaluation_id"])
    where = _where(p["case_id"], evaluation.opened_at)
    cells = [Cell(EVALUATION, *where, p["grade"], amount=_decimal(p.get("total")))]
    if p.get("previous_grade"):
        cells.append(Cell(EVALUATION, *where, p["previous_grade"], count=-1, amount=-_decimal(p.get("previous_total"))))
    return cells


def follow_up_cells(event: events.Event) -> list[Cell]:
    p = event.payload
    visit = event.subject if isinstance(event.subject, FollowUpVisit) \
        else FollowUpVisit.objects.get(pk=p["visit_id"])
    where = _where(p["case_id"], visit.created_at)
    cells = [Cell(FOLLOW_UP, *where, follow_up_key(p["status"], p.get("satisfaction", "")))]
    if p.get("previous_status"):
        cells.append(Cell(FOLLOW_UP, *where, follow_up_key(p["previous_status"], p.get("previous_satisfaction", "")),
                          count=-1))
    return cells


def rating_cells(event: events.Event) -> list[Cell]:
    p = event.payload
    return [Cell(RATING, *_where(p["case_id"], event.at), str(p["score"]))]


def _add(cells: list[Cell]) -> None:
    # A correction to the same grade or state merges to nothing (or to a change of score only).
    cells = [c for c in measures.merge(cells) if c.count or c.amount]
    if cells:
        services.tally_add(cells=cells)


def evaluation_rollups(event: events.Event) -> None:
    _add(evaluation_cells(event))


def follow_up_rollups(event: events.Event) -> None:
    _add(follow_up_cells(event))


def rating_rollups(event: events.Event) -> None:
    _add(rating_cells(event))


def register() -> None:
    events.subscribe("quality.evaluation_completed", evaluation_rollups, phase=events.IN_TRANSACTION)
    events.subscribe("quality.followup_drawn", follow_up_rollups, phase=events.IN_TRANSACTION)
    events.subscribe("quality.followup_recorded", follow_up_rollups, phase=events.IN_TRANSACTION)
    events.subscribe("rating.submit", rating_rollups, phase=events.IN_TRANSACTION)


# --- The same figures from the raw rows ----------------------------------------------------------------------------

def rebuild_evaluations() -> Iterator[Cell]:
    done = ClosingEvaluation.objects.filter(completed_at__isnull=False)
    for c, d, opened_at, grade, total in case_rows(done, "opened_at", "grade", "total"):
        yield Cell(EVALUATION, c, d, month_of(opened_at), grade, amount=total or ZERO)


def rebuild_follow_ups() -> Iterator[Cell]:
    for c, d, created_at, status, satisfaction in case_rows(FollowUpVisit.objects.all(), "created_at", "status",
                                                             "satisfaction"):
        yield Cell(FOLLOW_UP, c, d, month_of(created_at), follow_up_key(status, satisfaction))


def rebuild_ratings() -> Iterator[Cell]:
    for c, d, created_at, score in case_rows(Rating.objects.all(), "created_at", "score"):
        yield Cell(RATING, c, d, month_of(created_at), str(score))


for _rebuild in (rebuild_evaluations, rebuild_follow_ups, rebuild_ratings):
    if _rebuild not in measures.REBUILDERS:
        measures.REBUILDERS.append(_rebuild)
