"""The duty overview (值班律师总览) of the stations a user oversees: the city bureau every station of the city, a
district bureau those of the centers it set up, a center its own. Per station and month: who is on duty today,
working days without a lawyer (gaps), no-shows, help records, organs' notices put on the rota and those left
unstaffed. Every figure is the count of the rows ``records`` lists for it (the overview links each one there).
A constant number of queries, however many stations."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from fayuan.accounts.models import User
from fayuan.deadlines.selectors import holiday_calendar
from fayuan.org.models import Organ, Station
from fayuan.org.selectors import centers_in_scope

from .models import Duty, HelpRecord, NoticeAssignment, NoticeDutyStatus, RotaGap
from .reports import month_range
from .selectors import (
    assignments_visible_to,
    organs_without_duty_station,
    stations_overseen_by,
)
from .services.rota import working_days

WHAT = {"today": "今日值班", "gaps": "无人值班的工作日", "no_shows": "缺勤", "help": "法律帮助记录",
        "notices": "安排到值班律师的通知", "unstaffed": "无值班律师的通知"}


@dataclass
class StationRow:
    station: Station
    today: list[Duty] = field(default_factory=list)
    working_days: int = 0
    covered: int = 0
    no_shows: int = 0
    help: int = 0
    notices: int = 0
    unstaffed: int = 0

    @property
    def gaps(self) -> int:
        return self.working_days - self.covered


@dataclass
class Overview:
    month: dt.date
    today: dt.date
    rows: list[StationRow]
    organs_missing: list[Organ]
    unstaffed_without_station: int  # notices no station could take: counted apart, listed under ``unstaffed``

    @property
    def totals(self) -> dict[str, int]:
        return {name: sum(getattr(r, name) for r in self.rows)
                for name in ("working_days", "covered", "gaps", "no_shows", "help", "notices", "unstaffed")}

    @property
    def on_duty_today(self) -> int:
        return sum(len(r.today) for r in self.rows)

    @property
    def unstaffed(self) -> int:
        return self.totals["unstaffed"] + self.unstaffed_without_station


def overview(user: User, month: dt.date, today: dt.date) -> Overview:
    first, following = month_range(month)
    stations = list(stations_overseen_by(user).order_by("center__level", "center__name", "type", "pk"))
    rows = {s.pk: StationRow(s) for s in stations}
    days = set(working_days(first, holiday_calendar()))
    for row in rows.values():
        row.working_days = len(days)
    for duty in (Duty.objects.filter(station__in=stations, active=True, date=today).select_related("provider")
                 .order_by("station_id")):
        rows[duty.station_id].today.append(duty)
    covered: Counter[int] = Counter()
    for station_id, day in (Duty.objects.filter(station__in=stations, active=True, date__gte=first, date__lt=following)
                            .values_list("station_id", "date").distinct()):
        covered[station_id] += day in days
    no_shows = dict(Duty.objects.filter(station__in=stations, no_show=True, date__gte=first, date__lt=following)
                    .values_list("station_id").annotate(n=Count("id")).values_list("station_id", "n"))
    help_counts = dict(HelpRecord.objects.filter(station__in=stations, duty__date__gte=first,
                                                 duty__date__lt=following)
                       .values_list("station_id").annotate(n=Count("id")).values_list("station_id", "n"))
    without_station = 0
    for station_id, status, n in (assignments_visible_to(user).select_related(None).order_by()
                                  .filter(date__gte=first, date__lt=following)
                                  .values_list("station_id", "status").annotate(n=Count("id"))):
        if station_id not in rows:
            without_station += n if status == NoticeDutyStatus.UNSTAFFED else 0
            continue
        rows[station_id].notices += n
        rows[station_id].unstaffed += n if status == NoticeDutyStatus.UNSTAFFED else 0
    for station_id, row in rows.items():
        row.covered = covered[station_id]
        row.no_shows = no_shows.get(station_id, 0)
        row.help = help_counts.get(station_id, 0)
    organs = list(organs_without_duty_station().filter(center__in=centers_in_scope(user)))
    return Overview(first, today, list(rows.values()), organs, without_station)


def records(user: User, what: str, month: dt.date, today: dt.date, station: Station | None) -> Any:
    """The rows behind one figure of the overview, scoped to the stations the user oversees (``station``, when
    given, was fetched through ``overseen_station_get``). No personal data: no names of the persons helped."""
    first, following = month_range(month)
    stations: QuerySet[Station] | list[Station] = [station] if station else stations_overseen_by(user)
    if what == "today":
        return (Duty.objects.filter(station__in=stations, active=True, date=today)
                .select_related("station", "provider").order_by("station__name"))
    if what == "no_shows":
        return (Duty.objects.filter(station__in=stations, no_show=True, date__gte=first, date__lt=following)
                .select_related("station", "provider").order_by("-date", "station__name"))
    if what == "help":
        return (HelpRecord.objects.filter(station__in=stations, duty__date__gte=first, duty__date__lt=following)
                .select_related("station", "provider", "duty").order_by("-duty__date", "-pk"))
    if what in ("notices", "unstaffed"):
        qs = assignments_visible_to(user).filter(date__gte=first, date__lt=following)
        qs = qs.filter(station=station) if station else qs
        return (qs.filter(status=NoticeDutyStatus.UNSTAFFED) if what == "unstaffed" else qs).order_by("-date", "-pk")
    return gap_days(stations, first, following)


@dataclass(frozen=True)
class GapDay:
    station: Station
    date: dt.date
    reason: str


def gap_days(stations: Any, first: dt.date, following: dt.date) -> list[GapDay]:
    """Working days of the month without an active duty at the station, with the generator's reason if any."""
    stations = list(stations)
    days = working_days(first, holiday_calendar())
    taken = set(Duty.objects.filter(station__in=stations, active=True, date__gte=first, date__lt=following)
                .values_list("station_id", "date"))
    reasons = {(g.station_id, g.date): g.reason
               for g in RotaGap.objects.filter(station__in=stations, date__gte=first, date__lt=following)}
    return [GapDay(s, d, reasons.get((s.pk, d), "未生成或未发布排班")) for s in stations for d in days
            if (s.pk, d) not in taken]


def unstaffed_for_center(center_id: int, month: dt.date) -> QuerySet[NoticeAssignment]:
    """The center's notices with nobody on the rota for their day (the center's own coverage report)."""
    first, following = month_range(month)
    return (NoticeAssignment.objects.filter(center_id=center_id, status=NoticeDutyStatus.UNSTAFFED,
                                            date__gte=first, date__lt=following)
            .select_related("organ", "station").order_by("date", "pk"))
