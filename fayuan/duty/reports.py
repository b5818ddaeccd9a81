"""The duty reports of one center and month: coverage per station, no-shows per lawyer and per station, help by
kind, the stations left without a lawyer on a working day, and the courts and detention centers without a duty
station. Each figure is a count of rows the linked list shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from fayuan.deadlines.selectors import holiday_calendar
from fayuan.org.models import Organ

from .models import Duty, HelpKind, HelpRecord
from .selectors import duty_stations, organs_without_duty_station
from .services.rota import working_days


@dataclass(frozen=True)
class Coverage:
    station_id: int
    name: str
    working_days: int
    covered: int
    uncovered: list[dt.date]

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.working_days) if self.working_days else 0


def month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def coverage(center_id: int, month: dt.date) -> list[Coverage]:
    """Working days (the holiday calendar's) with an active duty at the station, of all its working days."""
    days = working_days(month, holiday_calendar())
    first, following = month_range(month)
    stations = list(duty_stations().filter(center_id=center_id).order_by("pk"))
    taken: dict[int, set[dt.date]] = {s.pk: set() for s in stations}
    for station_id, day in Duty.objects.filter(station__in=stations, active=True, date__gte=first,
                                               date__lt=following).values_list("station_id", "date"):
        taken[station_id].add(day)
    return [Coverage(s.pk, s.name, len(days), len(taken[s.pk] & set(days)),
                     [d for d in days if d not in taken[s.pk]]) for s in stations]


def no_shows(center_id: int, month: dt.date) -> tuple[list[dict], list[dict]]:
    first, following = month_range(month)
    base = Duty.objects.filter(station__center_id=center_id, no_show=True, date__gte=first, date__lt=following)
    by_lawyer = list(base.values("provider_id", "provider__name").annotate(n=Count("id")).order_by("-n",
                                                                                                  "provider__name"))
    by_station = list(base.values("station_id", "station__name").annotate(n=Count("id")).order_by("-n",
                                                                                                 "station__name"))
    return by_lawyer, by_station


def help_by_kind(center_id: int, month: dt.date) -> list[tuple[str, str, int]]:
    first, following = month_range(month)
    counts = dict(HelpRecord.objects.filter(station__center_id=center_id, duty__date__gte=first,
                                            duty__date__lt=following)
                  .values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in HelpKind.choices]


def organs_missing(center_id: int) -> list[Organ]:
    return list(organs_without_duty_station(center_id))
