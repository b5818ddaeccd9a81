"""The records behind a dashboard figure: the cases a cell counts, within what the user may open (the case list's
own scope), so that every number on a dashboard can be checked case by case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import Case, CaseEvent
from fayuan.cases.selectors import case_list_for_user
from fayuan.org.scale import bureau_too_big_to_count

from . import measures
from .attribution import centers_that_may_count_in, district_expression

LABELS = {
    measures.AIDED: "受援人次（开始提供法律援助的案件）",
    measures.GREEN_CHANNEL: "绿色通道案件",
    measures.AID_FIRST: "先行提供法律援助的案件",
    measures.CLOSED: "审查结案的案件",
    measures.REFUSED: "决定不予法律援助的案件",
    measures.APPLICATIONS: "收到的申请和通知",
}


@dataclass(frozen=True)
class Criteria:
    measure: str
    start: dt.date
    end: dt.date  # exclusive
    district_id: int | None = None
    case_type: str = ""


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _counted_events(qs: QuerySet[Case], which: dict[str, Any], start: dt.datetime, end: dt.datetime, *,
                    first: bool) -> QuerySet[Case]:
    """``qs`` joined to the one event of each case that a cell counts, where it falls in the period: the first event
    matching ``which`` (``first``) or the latest. No other event of the case matching ``which`` comes before it (or
    after it), ties broken by id. The list is then read in the order of those events: PostgreSQL walks the period's
    events by time and stops after a page, instead of finding every candidate case's event to sort them (4-6 s for
    a year of the country's aided cases at 400,000 cases)."""
    period = Q(events__at__gte=start, events__at__lt=end, **{f"events__{name}": v for name, v in which.items()})
    # The subquery refers to the joined event through its annotations: a path through the filtered relation
    # ("counted__at") would join the events a second time and list a case once per event of the period.
    at, pk = OuterRef("counted_at"), OuterRef("counted_event")
    other = CaseEvent.objects.filter(case_id=OuterRef("pk"), **which)
    other = (other.filter(Q(at__lt=at) | Q(at=at, id__lt=pk)) if first
             else other.filter(Q(at__gt=at) | Q(at=at, id__gt=pk)))
    return (qs.annotate(counted=FilteredRelation("events", condition=period))
            .annotate(counted_at=F("counted__at"), counted_event=F("counted__id"),
                      counted_status=F("counted__to_status"))
            .filter(counted_event__isnull=False).filter(~Exists(other)))


def records_behind(user: User, criteria: Criteria) -> QuerySet[Case]:
    qs = case_list_for_user(user)
    start, end = _instant(criteria.start), _instant(criteria.end)
    m = criteria.measure
    if m in (measures.AIDED, measures.GREEN_CHANNEL, measures.AID_FIRST):
        # Counted when aid began: the case's first event into an aided status.
        qs = _counted_events(qs, {"to_status__in": measures.AIDED_STATUSES}, start, end, first=True)
        if m == measures.GREEN_CHANNEL:
            qs = qs.filter(green_channel=True)
        if m == measures.AID_FIRST:
            qs = qs.filter(counted_status="aid_first")  # type: ignore[misc]  # annotated in _counted_events
    elif m in (measures.CLOSED, measures.REFUSED):
        # Counted at the latest acceptance of the closing file, or the latest refusal.
        kind = "accept_closing" if m == measures.CLOSED else "refuse"
        qs = _counted_events(qs, {"kind": kind}, start, end, first=False)
    elif m == measures.APPLICATIONS:
        qs = qs.annotate(counted_at=F("received_at")).filter(counted_at__gte=start, counted_at__lt=end)
    else:
        return qs.none()
    if criteria.district_id is not None:
        # Naming the centers that may count there first lets PostgreSQL start from their cases instead of walking
        # the period's events of every center (a district of the 10M-case country: 31 s to 0.07 s).
        qs = (qs.filter(center__in=centers_that_may_count_in(criteria.district_id).values("pk"))
              .annotate(counted_district=district_expression()).filter(counted_district=criteria.district_id))
    if criteria.case_type:
        qs = qs.filter(case_type=criteria.case_type)
    return qs.order_by("-counted_at", "-pk")


def too_many_to_count(user: User, criteria: Criteria) -> bool:
    """Whether the list is read without a total: a bureau's scope of more than ``LIVE_CENTERS`` centers, not narrowed
    to a district. Even counted up to the cap, a country's month of aided cases took 4-11 s at ten million cases (a
    join of every event the period counts, docs/capacity.md); the figure the list explains is its size. Narrowed to a
    district, the count starts from that district's centers and stays cheap."""
    return criteria.district_id is None and bureau_too_big_to_count(user)
