"""The pure counting rules (no database): start day not counted, holidays extend the last day except in custody,
working days follow the State Council schedule with its make-up workdays, unknown years are provisional."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fayuan.deadlines.calendar import CALENDAR_DAYS, WORKING_DAYS, HolidayCalendar, compute_due

D = dt.date
KNOWN_YEARS = {d.year for d in chinese_calendar.holidays}
OFFICIAL = HolidayCalendar(KNOWN_YEARS, chinese_calendar.holidays, chinese_calendar.workdays,
                           names={d: "春节" for d, n in chinese_calendar.holidays.items() if n == "Spring Festival"})
WEEKENDS_ONLY = HolidayCalendar(set(), set(), set())


def test_spring_festival_2026_is_as_the_state_council_published_it():
    for day in (D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)):
        assert chinese_calendar.holidays[day] == "Spring Festival"
        assert not OFFICIAL.is_workday(day)
    assert D(2026, 2, 14).weekday() == 5 and D(2026, 2, 28).weekday() == 5
    assert chinese_calendar.workdays[D(2026, 2, 14)] == chinese_calendar.workdays[D(2026, 2, 28)] == "Spring Festival"
    assert OFFICIAL.is_workday(D(2026, 2, 14)) and OFFICIAL.is_workday(D(2026, 2, 28))
    assert OFFICIAL.is_workday(D(2026, 2, 24))


def test_calendar_period_ending_on_a_holiday_moves_to_the_first_working_day_after_it():
    due = compute_due(D(2026, 2, 10), 7, CALENDAR_DAYS, False, OFFICIAL)
    assert due.due == D(2026, 2, 24)
    assert due.provisional is False
    assert "2026年2月17日" in due.explanation and "春节" in due.explanation and "2026年2月24日" in due.explanation
    assert "第一百零五条" in due.explanation


def test_custody_period_is_never_extended_by_holidays():
    due = compute_due(D(2026, 2, 10), 7, CALENDAR_DAYS, True, OFFICIAL)
    assert due.due == D(2026, 2, 17)
    assert "在押" in due.explanation and "不因节假日延长" in due.explanation


def test_start_day_is_not_counted():
    assert compute_due(D(2026, 3, 2), 1, CALENDAR_DAYS, False, OFFICIAL).due == D(2026, 3, 3)
    assert compute_due(D(2026, 3, 2), 1, WORKING_DAYS, False, OFFICIAL).due == D(2026, 3, 3)


def test_calendar_period_ending_on_a_plain_weekend_moves_to_monday():
    assert compute_due(D(2026, 3, 2), 5, CALENDAR_DAYS, False, OFFICIAL).due == D(2026, 3, 9)


def test_calendar_period_ending_on_a_makeup_workday_stays_there():
    due = compute_due(D(2026, 2, 12), 2, CALENDAR_DAYS, False, OFFICIAL)
    assert due.due == D(2026, 2, 14)


def test_working_days_across_the_spring_festival_count_both_makeup_workdays():
    # 13 Feb (Fri) 1, 14 Feb (Sat, 调休) 2, 15-23 Feb holiday, 24-27 Feb 3-6, 28 Feb (Sat, 调休) 7, 2 Mar (Mon) 8.
    due = compute_due(D(2026, 2, 12), 8, WORKING_DAYS, False, OFFICIAL)
    assert due.due == D(2026, 3, 2)
    assert due.provisional is False
    assert "2026年2月14日" in due.explanation and "2026年2月28日" in due.explanation and "调休" in due.explanation
    # The two make-up Saturdays shorten the count by two days...
    no_makeups = HolidayCalendar(KNOWN_YEARS, chinese_calendar.holidays, set())
    assert compute_due(D(2026, 2, 12), 8, WORKING_DAYS, False, no_makeups).due == D(2026, 3, 4)
    # ...and without any schedule the festival's weekdays count as working days: provisional.
    unknown = compute_due(D(2026, 2, 12), 8, WORKING_DAYS, False, WEEKENDS_ONLY)
    assert (unknown.due, unknown.provisional) == (D(2026, 2, 24), True)


def test_working_days_skip_the_whole_holiday():
    assert compute_due(D(2026, 2, 13), 2, WORKING_DAYS, False, OFFICIAL).due == D(2026, 2, 24)


def test_custody_does_not_change_a_working_day_count():
    for custody in (True, False):
        assert compute_due(D(2026, 2, 12), 8, WORKING_DAYS, custody, OFFICIAL).due == D(2026, 3, 2)


def test_year_without_schedule_counts_weekends_only_and_is_provisional():
    assert not OFFICIAL.is_known(2031)
    # 1 Jan 2031 is a Wednesday and New Year's Day; unknown to the calendar, it counts as a working day.
    assert OFFICIAL.is_workday(D(2031, 1, 1))
    due = compute_due(D(2031, 1, 1), 3, CALENDAR_DAYS, False, OFFICIAL)
    assert due.due == D(2031, 1, 6)  # Sat 4 Jan -> Mon 6 Jan, weekends only
    assert due.provisional is True
    assert "2031年" in due.explanation and "暂定" in due.explanation
    working = compute_due(D(2031, 1, 1), 5, WORKING_DAYS, False, OFFICIAL)
    assert working.due == D(2031, 1, 8) and working.provisional is True


def test_period_reaching_into_an_unknown_year_is_provisional():
    due = compute_due(D(2026, 12, 28), 7, CALENDAR_DAYS, False, OFFICIAL)
    assert due.due == D(2027, 1, 4)
    assert due.provisional is True and "2027年" in due.explanation
    inside = compute_due(D(2026, 12, 1), 7, CALENDAR_DAYS, False, OFFICIAL)
    assert inside.provisional is False


def test_custody_period_never_consults_the_calendar_so_is_never_provisional():
    due = compute_due(D(2031, 1, 1), 3, CALENDAR_DAYS, True, OFFICIAL)
    assert (due.due, due.provisional) == (D(2031, 1, 4), False)


def test_entered_days_of_an_incomplete_year_are_ignored():
    cal = HolidayCalendar({2026}, {D(2027, 1, 1)}, set())
    assert cal.is_workday(D(2027, 1, 1))
    assert not HolidayCalendar({2027}, {D(2027, 1, 1)}, set()).is_workday(D(2027, 1, 1))


@pytest.mark.parametrize("length", [0, -3])
def test_length_must_be_positive(length):
    with pytest.raises(ValueError, match="正整数"):
        compute_due(D(2026, 3, 2), length, CALENDAR_DAYS, False, OFFICIAL)


def test_unknown_day_kind_and_datetime_start_are_refused():
    with pytest.raises(ValueError, match="计算方式"):
        compute_due(D(2026, 3, 2), 3, "lunar", False, OFFICIAL)
    with pytest.raises(TypeError):
        compute_due(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), 3, CALENDAR_DAYS, False, OFFICIAL)


def test_a_day_cannot_be_both_holiday_and_makeup_workday():
    with pytest.raises(ValueError, match="调休"):
        HolidayCalendar({2026}, {D(2026, 2, 14)}, {D(2026, 2, 14)})


# Property tests, on the official calendar and on arbitrary ones.
starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2032, 12, 31))
lengths = st.integers(min_value=1, max_value=60)
window = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> HolidayCalendar:
    holidays = draw(st.sets(window, max_size=60))
    weekends = [d for d in draw(st.sets(window, max_size=20)) if d.weekday() >= 5 and d not in holidays]
    known = draw(st.sets(st.sampled_from([2026, 2027])))
    return HolidayCalendar(known, holidays, weekends)


any_calendar = st.one_of(st.just(OFFICIAL), st.just(WEEKENDS_ONLY), calendars())


@given(start=starts, length=lengths, custody=st.booleans(), cal=any_calendar)
def test_calendar_due_is_never_before_start_plus_length(start, length, custody, cal):
    due = compute_due(start, length, CALENDAR_DAYS, custody, cal)
    assert due.due >= start + dt.timedelta(days=length)
    if custody:
        assert due.due == start + dt.timedelta(days=length)
    else:
        assert cal.is_workday(due.due)
        # Every day between the nominal end and the due date is a rest day: it moved to the *first* working day.
        assert all(not cal.is_workday(start + dt.timedelta(days=k)) for k in range(length, (due.due - start).days))


@given(start=starts, length=lengths, cal=any_calendar)
def test_working_day_due_is_a_working_day_after_exactly_length_working_days(start, length, cal):
    due = compute_due(start, length, WORKING_DAYS, False, cal).due
    assert cal.is_workday(due)
    counted = sum(cal.is_workday(start + dt.timedelta(days=k)) for k in range(1, (due - start).days + 1))
    assert counted == length


@given(start=starts, length=lengths, kind=st.sampled_from([CALENDAR_DAYS, WORKING_DAYS]), cal=any_calendar)
def test_custody_is_never_later_than_non_custody(start, length, kind, cal):
    assert compute_due(start, length, kind, True, cal).due <= compute_due(start, length, kind, False, cal).due


@given(start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31)), length=st.integers(1, 30),
       kind=st.sampled_from([CALENDAR_DAYS, WORKING_DAYS]))
def test_inside_known_years_nothing_is_provisional(start, length, kind):
    assert compute_due(start, length, kind, False, OFFICIAL).provisional is False


@given(start=st.dates(min_value=D(2028, 1, 1), max_value=D(2035, 12, 31)), length=lengths,
       kind=st.sampled_from([CALENDAR_DAYS, WORKING_DAYS]))
def test_outside_known_years_everything_not_in_custody_is_provisional(start, length, kind):
    due = compute_due(start, length, kind, False, OFFICIAL)
    assert due.provisional is True
    assert due.due == compute_due(start, length, kind, False, WEEKENDS_ONLY).due
