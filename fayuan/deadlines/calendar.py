"""Counting legal periods on the official holiday calendar. Pure: no database, no Django.

Counting follows the procedure laws (Criminal Procedure Law art. 105): the day the period starts is not counted;
when the last day of a period is a holiday (节假日, weekends included) the period ends on the first working day after
it, except that a period concerning a person in custody runs to its last day and is never extended by holidays.
A period in hours (forwarding a detained person's application within 24 hours, Legal Aid Law art. 39) runs from an
instant to an instant and is never extended by holidays. A period in days may be paused and resumed with the days
it has left (the time an applicant takes to supplement materials is not counted).

Working days follow the State Council's schedule for each year: weekdays are working days unless declared public
holidays; weekends are rest days unless declared make-up workdays (调休). A year whose schedule is not known is
counted on weekends alone and every result that consulted it is flagged as provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CALENDAR_DAYS = "calendar"
WORKING_DAYS = "working"
HOURS = "hours"
DAY_KINDS = frozenset({CALENDAR_DAYS, WORKING_DAYS})

# A holiday run never lasts this long; a longer walk means the calendar data is corrupt.
_MAX_ROLL_DAYS = 400
_COUNTING_RULE = "期间计算参照《刑事诉讼法》第一百零五条：期间开始之日不计算在内"


class HolidayCalendar:
    """Which days are working days. ``holidays`` and ``makeup_workdays`` hold only the exceptions to the
    Monday-to-Friday week; they count only for years in ``known_years`` (a year whose schedule is complete)."""

    def __init__(
        self,
        known_years: Iterable[int],
        holidays: Iterable[dt.date],
        makeup_workdays: Iterable[dt.date],
        names: Mapping[dt.date, str] | None = None,
    ) -> None:
        self.known_years = frozenset(known_years)
        self.holidays = frozenset(holidays)
        self.makeup_workdays = frozenset(makeup_workdays)
        overlap = self.holidays & self.makeup_workdays
        if overlap:
            raise ValueError(f"同一日期不能既是节假日又是调休上班日：{sorted(overlap)}")
        self.names = dict(names or {})

    def is_known(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        if self.is_known(day.year):
            if day in self.makeup_workdays:
                return True
            if day in self.holidays:
                return False
        return day.weekday() < 5

    def describe(self, day: dt.date) -> str:
        """A short Chinese label for a rest day: the holiday's name, or 周六/周日."""
        if self.is_known(day.year) and day in self.holidays:
            return self.names.get(day) or "法定节假日"
        return "周六" if day.weekday() == 5 else "周日" if day.weekday() == 6 else "工作日"


@dataclass(frozen=True)
class DueDate:
    due: dt.date
    provisional: bool
    explanation: str


@dataclass(frozen=True)
class DueInstant:
    due_at: dt.datetime
    explanation: str


def _fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _fmt_at(moment: dt.datetime) -> str:
    return f"{_fmt(moment.date())}{moment:%H:%M}"


def _provisional_note(years: set[int], calendar: HolidayCalendar) -> tuple[bool, str]:
    unknown = sorted(y for y in years if not calendar.is_known(y))
    if not unknown:
        return False, ""
    listed = "、".join(f"{y}年" for y in unknown)
    return True, f"{listed}的国务院节假日安排尚未录入，暂按周末计算，结果为暂定，安排公布后应重新计算。"


def compute_due(
    start: dt.date, length: int, day_kind: str, custody: bool, calendar: HolidayCalendar
) -> DueDate:
    """The last day of a period of ``length`` days (calendar or working) that starts on ``start``."""
    if isinstance(start, dt.datetime):
        raise TypeError("start must be a date, not a datetime")
    if length < 1:
        raise ValueError("期间长度必须是正整数。")
    if day_kind == CALENDAR_DAYS:
        return _calendar_days(start, length, custody, calendar)
    if day_kind == WORKING_DAYS:
        return _working_days(start, length, calendar)
    raise ValueError(f"未知的期间计算方式：{day_kind!r}")


def _calendar_days(start: dt.date, length: int, custody: bool, calendar: HolidayCalendar) -> DueDate:
    nominal = start + dt.timedelta(days=length)
    parts = [f"{_COUNTING_RULE}，自{_fmt(start)}次日起算{length}日，届满日为{_fmt(nominal)}。"]
    if custody:
        # The custody exception never looks at the calendar, so the result cannot be provisional.
        if not calendar.is_workday(nominal):
            parts.append(f"该日为{calendar.describe(nominal)}，但本期间涉及在押人员，不因节假日延长。")
        return DueDate(nominal, False, "".join(parts))
    touched = {nominal.year}
    due = nominal
    for _ in range(_MAX_ROLL_DAYS):
        if calendar.is_workday(due):
            break
        due += dt.timedelta(days=1)
        touched.add(due.year)
    else:  # pragma: no cover - only with corrupt calendar data
        raise ValueError("节假日数据异常：找不到届满日之后的工作日。")
    if due != nominal:
        parts.append(
            f"该日为{calendar.describe(nominal)}，依法顺延至节假日后的第一个工作日{_fmt(due)}。"
        )
    provisional, note = _provisional_note(touched, calendar)
    parts.append(note)
    return DueDate(due, provisional, "".join(parts))


def _working_days(start: dt.date, length: int, calendar: HolidayCalendar) -> DueDate:
    day, counted, touched, skipped = start, 0, set(), 0
    while counted < length:
        day += dt.timedelta(days=1)
        touched.add(day.year)
        if calendar.is_workday(day):
            counted += 1
        else:
            skipped += 1
        if skipped > _MAX_ROLL_DAYS:  # pragma: no cover - only with corrupt calendar data
            raise ValueError("节假日数据异常：找不到足够的工作日。")
    makeups = sorted(
        d for d in calendar.makeup_workdays if start < d <= day and calendar.is_known(d.year)
    )
    parts = [
        f"{_COUNTING_RULE}，自{_fmt(start)}次日起计{length}个工作日（按国务院节假日安排，"
        f"期间跳过{skipped}个休息日），届满日为{_fmt(day)}。"
    ]
    if makeups:
        parts.append(f"其中调休上班日{'、'.join(_fmt(d) for d in makeups)}计为工作日。")
    provisional, note = _provisional_note(touched, calendar)
    parts.append(note)
    return DueDate(day, provisional, "".join(parts))


def compute_due_instant(start: dt.datetime, hours: int, calendar: HolidayCalendar | None = None) -> DueInstant:
    """The instant a period of ``hours`` hours that starts at ``start`` runs out: ``start`` plus the hours, to the
    minute, whatever the days in between (a period in hours is never extended by holidays)."""
    if not isinstance(start, dt.datetime) or start.tzinfo is None:
        raise TypeError("start must be an aware datetime")
    if hours < 1:
        raise ValueError("期间长度必须是正整数。")
    due = start + dt.timedelta(hours=hours)
    text = (f"期间以小时计算（《刑事诉讼法》第一百零五条：期间以时、日、月计算），自{_fmt_at(start)}起{hours}小时，"
            f"至{_fmt_at(due)}届满。")
    if calendar is not None:
        rest = sorted({d for d in _days_between(start.date(), due.date()) if not calendar.is_workday(d)})
        if rest:
            names = "、".join(sorted({calendar.describe(d) for d in rest}))
            text += f"期间经过休息日（{names}），以小时计算的期间不因节假日延长。"
    return DueInstant(due, text)


def _days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def days_used(start: dt.date, until: dt.date, day_kind: str, calendar: HolidayCalendar) -> int:
    """How many days of a period that started on ``start`` have run by the end of ``until`` (the start day is not
    counted): calendar days, or the working days among them."""
    if until <= start:
        return 0
    if day_kind == WORKING_DAYS:
        return sum(1 for d in _days_between(start + dt.timedelta(days=1), until) if calendar.is_workday(d))
    return (until - start).days


def compute_resumed(resume: dt.date, days_left: int, day_kind: str, custody: bool, calendar: HolidayCalendar
                    ) -> DueDate:
    """The last day of a paused period resumed on ``resume`` with ``days_left`` days: counted from the next day
    like a new period; with no days left it ends on the day it resumes (rolled to a working day unless custody)."""
    if days_left < 0:
        raise ValueError("剩余日数不能为负。")
    if days_left == 0:
        result = _calendar_days(resume, 0, custody, calendar)
        return DueDate(result.due, result.provisional,
                       f"暂停前期间已用尽，自{_fmt(resume)}恢复计算，当日届满。"
                       + result.explanation.split("。", 1)[1])
    return compute_due(resume, days_left, day_kind, custody, calendar)
