"""Which district a case counts for, and in which month: the rule every rollup, dashboard and report shares.

The plan's aid rate is per district (point 8), but the city center also takes cases. The rule, stated on every
dashboard: a district center's case counts for its district; a city center's case counts for the district of the
station that received it, or else for the district the city center sits in (``Center.seat_district``). A month is
the calendar month in Beijing time of the event that the figure counts (the decision, the closing, ...)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from fayuan.org.models import Center

RULE_TEXT = ("区（县级市）中心的案件计入本区；市中心的案件计入受理工作站所在区，"
             "未经工作站受理的计入市中心所在区。月份按决定、结案等事件发生时的北京时间计。")


def month_of(at: dt.datetime) -> dt.date:
    return timezone.localdate(at).replace(day=1)


def district_of(*, center_district_id: int | None, station_district_id: int | None,
                seat_district_id: int | None) -> int | None:
    return center_district_id or station_district_id or seat_district_id


def case_district_id(case: object) -> int | None:
    center = case.center  # type: ignore[attr-defined]
    station = case.receiving_station  # type: ignore[attr-defined]
    return district_of(center_district_id=center.district_id,
                       station_district_id=station.district_id if station is not None else None,
                       seat_district_id=center.seat_district_id)


def district_expression(prefix: str = "", *, station: str = "receiving_station") -> Coalesce:
    """The same rule in SQL, for a queryset of cases (``prefix`` ``"case__"`` from a related model); ``station`` names
    the relation to the station that took the record (``"station"`` for a consultation)."""
    return Coalesce(F(f"{prefix}center__district_id"), F(f"{prefix}{station}__district_id"),
                    F(f"{prefix}center__seat_district_id"))


def centers_that_may_count_in(district_id: int) -> QuerySet[Center]:
    """The centers whose cases the rule above can give the district: its own, and those of no district (a city's,
    whose cases count by station or seat). A necessary condition, cheap to index, to narrow by before the rule."""
    return Center.objects.filter(Q(district_id=district_id) | Q(district_id__isnull=True))
