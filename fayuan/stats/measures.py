"""What each case event adds to the rollups, and the same figures recomputed from the raw records.

Two paths compute every measure, and the tests hold them equal on the demo city before and after a rebuild:
``cells_for_case_event`` (the subscriber, one event at a time, in the event's transaction) and ``rebuild_cells``
(``manage.py stats_rebuild``: every cell again from the case, event, closing-file and deadline tables).

The measures, each with the month it counts in:
- ``applications``: applications and notices received, by channel (the month received);
- ``aided``: cases in which aid began (granted, aid first, or a notice from a police, procuratorate or court, which
  needs no decision), by type, criminal stage and origin (notice or application), in the month aid began; one case
  is one person aided (受援人次);
- ``aided_group``: the same cases by the groups the applicant belongs to (a case may count in several; ``women``
  from the applicant's sex);
- ``green_channel`` and ``aid_first``: of the aided cases, those on the green channel and those given aid first;
- ``refused``: refusals, by type (the month of the refusal);
- ``closed``: closings accepted by the center, by type, with the money recovered for the recipient (the month of the
  acceptance);
- ``deadline``: statutory deadlines of cases met, by rule and on time or late (the month met).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, Count, DateField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan

from fayuan.cases.models import Case, CaseEvent, ClosingFile
from fayuan.cases.models import Status as CaseStatus
from fayuan.cases.models.case import Channel
from fayuan.deadlines.models import Deadline

from .attribution import case_district_id, district_expression, month_of

APPLICATIONS, AIDED, AIDED_GROUP = "applications", "aided", "aided_group"
GREEN_CHANNEL, AID_FIRST, REFUSED, CLOSED, DEADLINE = "green_channel", "aid_first", "refused", "closed", "deadline"
MEASURES = (APPLICATIONS, AIDED, AIDED_GROUP, GREEN_CHANNEL, AID_FIRST, REFUSED, CLOSED, DEADLINE)

# Aid has begun once a case first enters one of these states (a notice case is created granted).
AIDED_STATUSES = frozenset({CaseStatus.GRANTED, CaseStatus.AID_FIRST})
WOMEN = "women"
ON_TIME, LATE = "on_time", "late"
NOTICE, APPLICATION = "notice", "application"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Cell:
    measure: str
    center_id: int
    district_id: int | None
    month: dt.date
    key: str = ""
    count: int = 1
    amount: Decimal = ZERO

    @property
    def address(self) -> tuple[str, int, int | None, dt.date, str]:
        return (self.measure, self.center_id, self.district_id, self.month, self.key)


def aided_key(case_type: str, stage: str, channel: str) -> str:
    return f"{case_type}|{stage}|{NOTICE if channel == Channel.ORGAN_NOTICE else APPLICATION}"


def deadline_key(rule_code: str, late: bool) -> str:
    return f"{rule_code}|{LATE if late else ON_TIME}"


def _aided_cells(where: tuple[int, int | None, dt.date], *, case_type: str, stage: str, channel: str,
                 groups: Iterable[str], female: bool, green: bool, aid_first: bool) -> list[Cell]:
    center_id, district_id, month = where
    cells = [Cell(AIDED, center_id, district_id, month, aided_key(case_type, stage, channel))]
    cells += [Cell(AIDED_GROUP, center_id, district_id, month, g) for g in sorted(set(groups))]
    if female:
        cells.append(Cell(AIDED_GROUP, center_id, district_id, month, WOMEN))
    if green:
        cells.append(Cell(GREEN_CHANNEL, center_id, district_id, month, case_type))
    if aid_first:
        cells.append(Cell(AID_FIRST, center_id, district_id, month, case_type))
    return cells


def cells_for_case_event(*, case: Case, kind: str, event_id: int | None, at: dt.datetime,
                         clocks: tuple[str, ...] = ()) -> list[Cell]:
    """What one case event adds. ``case`` is the case after the event (its status is the event's target);
    ``clocks`` the clock events it emitted (the deadlines it met were stopped by one of them)."""
    where = (case.center_id, case_district_id(case), month_of(at))
    cells: list[Cell] = []
    if kind == "received":
        cells.append(Cell(APPLICATIONS, *where, case.channel))
    if kind == "refuse":
        cells.append(Cell(REFUSED, *where, case.case_type))
    earlier = CaseEvent.objects.filter(case=case, to_status__in=AIDED_STATUSES)
    if event_id is not None:
        earlier = earlier.exclude(pk=event_id)
    if case.status in AIDED_STATUSES and not earlier.exists():
        cells += _aided_cells(where, case_type=case.case_type, stage=case.criminal_stage, channel=case.channel,
                              groups=case.groups or (), female=case.applicant.gender == "F",
                              green=case.green_channel, aid_first=case.status == CaseStatus.AID_FIRST)
    if kind == "accept_closing":
        # The file under review: the transition runs before the review marks it accepted.
        closing = case.closing_files.exclude(accepted=False).order_by("-submitted_at", "-id").first()
        amount = closing.money_recovered if closing is not None and closing.money_recovered else ZERO
        cells.append(Cell(CLOSED, *where, case.case_type, amount=amount))
    # The deadlines this event met: stopped at its instant by one of its clocks (two events of one case at one
    # instant, as under a frozen test clock, must not both count a deadline only one of them met).
    met = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk,
                                  met_at=at, met_event__in=clocks).select_related("rule") if clocks else []
    cells += [Cell(DEADLINE, case.center_id, where[1], where[2], deadline_key(d.rule.code, bool(d.met_late)))
              for d in met]
    return cells


# --- The same figures from the raw records -------------------------------------------------------------------------

def merge(cells: Iterable[Cell]) -> list[Cell]:
    """One cell per address, counts and amounts summed."""
    counts: Counter[tuple] = Counter()
    amounts: dict[tuple, Decimal] = {}
    for cell in cells:
        counts[cell.address] += cell.count
        amounts[cell.address] = amounts.get(cell.address, ZERO) + cell.amount
    return [Cell(measure, center_id, district_id, month, key, n, amounts[(measure, center_id, district_id, month, key)])
            for (measure, center_id, district_id, month, key), n in counts.items()]


# The rebuild counts in the database: each query groups by the cell's address and returns one row per cell (with its
# count), not one per case or event. Row by row in Python, the rebuild took 145 s at 100,000 cases and would take
# hours at 10,000,000 (bench/dashboards.py, issue 14); grouped, it is a handful of scans. The month is the same
# calendar month in Beijing time (``month_of``: TruncMonth in the current time zone), the district the same rule
# (``district_expression``). ``order_by()`` drops the models' default ordering, which would split the groups.

CHUNK = 5000  # rows per fetch, for the measure modules that still rebuild row by row


def month_expression(field: str) -> TruncMonth:
    """The calendar month of ``field`` in the current time zone (Beijing), in SQL: ``month_of`` for a queryset."""
    return TruncMonth(field, output_field=DateField())


def rebuild_cells() -> Iterator[Cell]:
    """Every cell of every measure from the raw records (a generator: the rebuild writes as it goes)."""
    for rebuild in REBUILDERS:
        yield from rebuild()


def _applications() -> Iterator[Cell]:
    rows = (Case.objects.annotate(district=district_expression(), m=month_expression("received_at"))
            .values_list("center_id", "district", "m", "channel").annotate(n=Count("pk")).order_by())
    for c, d, month, channel, n in rows:
        yield Cell(APPLICATIONS, c, d, month, channel, count=n)


def _aided() -> Iterator[Cell]:
    # The event in which aid began: a case's first event into an aided state (earliest, then lowest id), found by an
    # anti-join (no earlier such event of the same case) that the database runs as one hash join, not a lookup per
    # case. At ten million cases a subquery per case did not finish in hours.
    earlier = CaseEvent.objects.filter(case_id=OuterRef("case_id"), to_status__in=AIDED_STATUSES).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
    began = CaseEvent.objects.filter(to_status__in=AIDED_STATUSES).filter(~Exists(earlier))
    rows = began.annotate(district=district_expression("case__"), m=month_expression("at")).values_list(
        "case__center_id", "district", "m", "to_status", "case__case_type", "case__criminal_stage", "case__channel",
        "case__groups", "case__applicant__gender", "case__green_channel").annotate(n=Count("pk")).order_by()
    for c, d, month, began_as, case_type, stage, channel, groups, gender, green, n in rows:
        for cell in _aided_cells((c, d, month), case_type=case_type, stage=stage, channel=channel,
                                 groups=groups or (), female=gender == "F", green=green,
                                 aid_first=began_as == CaseStatus.AID_FIRST):
            yield replace(cell, count=n)


def _refused() -> Iterator[Cell]:
    refusals = CaseEvent.objects.filter(kind="refuse")
    rows = (refusals.annotate(district=district_expression("case__"), m=month_expression("at"))
            .values_list("case__center_id", "district", "m", "case__case_type").annotate(n=Count("pk")).order_by())
    for c, d, month, case_type, n in rows:
        yield Cell(REFUSED, c, d, month, case_type, count=n)


def _closed() -> Iterator[Cell]:
    # The closing file the center accepted with this event (the latest accepted one by then).
    accepted = ClosingFile.objects.filter(case=OuterRef("case_id"), accepted=True, reviewed_at__lte=OuterRef("at"))
    events = CaseEvent.objects.filter(kind="accept_closing").annotate(recovered=Subquery(
        accepted.order_by("-reviewed_at", "-id").values("money_recovered")[:1]))
    rows = events.annotate(district=district_expression("case__"), m=month_expression("at")).values_list(
        "case__center_id", "district", "m", "case__case_type").annotate(n=Count("pk"), amount=Sum("recovered")
                                                                        ).order_by()
    for c, d, month, case_type, n, amount in rows:
        yield Cell(CLOSED, c, d, month, case_type, count=n, amount=amount or ZERO)


def _deadlines() -> Iterator[Cell]:
    # Deadline.met_late, in SQL so that the database can group by it: met while paused is on time; a period in hours
    # is late after its instant, one in days after its day (the day met in Beijing time).
    late = models.Case(
        models.When(paused_at__isnull=False, met_at__gte=F("paused_at"), then=Value(False)),
        models.When(due_at__isnull=False, then=GreaterThan(F("met_at"), F("due_at"))),
        default=GreaterThan(TruncDate("met_at"), F("due_on")), output_field=BooleanField())
    # The case through its generic relation: a join, not a lookup per deadline.
    met = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Case), met_at__isnull=False,
                                  case__isnull=False).annotate(district=district_expression("case__"),
                                                               m=month_expression("met_at"), late=late)
    rows = met.values_list("case__center_id", "district", "m", "rule__code", "late").annotate(n=Count("pk")).order_by()
    for c, d, month, code, is_late, n in rows:
        yield Cell(DEADLINE, c, d, month, deadline_key(code, bool(is_late)), count=n)


# Each module of measures adds its rebuild here (``measures_*.py`` append theirs when imported by ``apps.ready``).
REBUILDERS: list[Callable[[], Iterator[Cell]]] = [_applications, _aided, _refused, _closed, _deadlines]
