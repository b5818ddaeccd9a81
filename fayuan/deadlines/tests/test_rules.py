"""Each statutory or local deadline rule, as loaded by the migration, started through ``deadline_start`` on a plain
subject: the due date on the official 2026 (or 2019) calendar and the legal basis it cites."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from fayuan.deadlines import events as ev
from fayuan.deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from fayuan.deadlines.selectors import holiday_calendar
from fayuan.deadlines.services import deadline_start

D = dt.date

# (event, start kwargs, rule code, start date, expected due date, fragment of the legal basis)
CASES = [
    # 28 Sep + 7 = 5 Oct, National Day (1-7 Oct) -> Thu 8 Oct.
    (ev.APPLICATION_RECEIVED, {}, "decide-application", D(2026, 9, 28), D(2026, 10, 8), "第四十三条"),
    # 30 Apr + 3 = 3 May, Labour Day (1-5 May) -> Wed 6 May.
    (ev.AID_GRANTED, {}, "assign-provider", D(2026, 4, 30), D(2026, 5, 6), "第四十三条"),
    # 16 Jun + 5 = Sun 21 Jun, Dragon Boat Festival -> Mon 22 Jun.
    (ev.PROVIDER_ASSIGNED, {}, "sign-agreement", D(2026, 6, 16), D(2026, 6, 22), "第四十六条"),
    # 1 Apr + 5 = Mon 6 Apr, Tomb-sweeping Day -> Tue 7 Apr.
    (ev.OBJECTION_FILED, {}, "decide-objection", D(2026, 4, 1), D(2026, 4, 7), "第四十九条"),
    (ev.SUPPLEMENT_REQUESTED, {}, "supplement-materials", D(2026, 3, 2), D(2026, 3, 17), "第四十三条第二款"),
    # 24 hours from a custody applicant: 1 Oct is National Day, but custody periods are never extended.
    (ev.STATION_RECEIVED, {"custody": True}, "forward-custody-application", D(2026, 9, 30), D(2026, 10, 1),
     "第三十九条"),
    # 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, make-up workday).
    (ev.STATION_RECEIVED, {"custody": False}, "forward-station-application", D(2026, 9, 30), D(2026, 10, 10),
     "本地默认"),
    # Organ's notice on the make-up Saturday 14 Feb + 3 = 17 Feb, Spring Festival: custody, not extended.
    (ev.NOTICE_RECEIVED, {}, "assign-on-notice", D(2026, 2, 14), D(2026, 2, 17), "第三十六条"),
    # 6 Mar + 30 = Sun 5 Apr, then Mon 6 Apr Tomb-sweeping Day -> Tue 7 Apr.
    (ev.JUDGMENT_RECEIVED, {}, "submit-closing", D(2026, 3, 6), D(2026, 4, 7), "江苏省法律援助条例"),
    # Green channel: 12 Feb + 2 = Sat 14 Feb, a make-up workday, so it stays.
    (ev.APPLICATION_RECEIVED, {"track": "green_channel"}, "green-decide", D(2026, 2, 12), D(2026, 2, 14), "第14条"),
    (ev.AID_GRANTED, {"track": "green_channel"}, "green-assign", D(2026, 2, 13), D(2026, 2, 14), "第14条"),
    # Before the 2021 law: the 2003 Regulation's 5 working days. 29 Sep 2019 (Sun) was a make-up workday:
    # 29 Sep, 30 Sep, [1-7 Oct National Day], 8, 9, 10 Oct.
    (ev.OBJECTION_FILED, {}, "decide-objection", D(2019, 9, 27), D(2019, 10, 10), "条例》（2003）第十九条"),
    (ev.STATION_RECEIVED, {"custody": True}, "forward-custody-application", D(2019, 9, 30), D(2019, 10, 1),
     "条例》（2003）第十五条"),
]


@pytest.mark.parametrize(("event", "kwargs", "code", "on", "due", "basis"), CASES,
                         ids=[f"{c[2]}-{c[3].year}" for c in CASES])
def test_statutory_rule_due_date_and_basis(city, event, kwargs, code, on, due, basis):
    started = deadline_start(subject=city.person_a, event=event, on=on, center=city.center_a,
                             actor=city.user("reviewer_a"), **kwargs)
    assert [d.rule.code for d in started] == [code]
    deadline = started[0]
    assert deadline.due_on == due
    assert deadline.provisional is False
    assert basis in deadline.rule.legal_basis
    assert deadline.rule.legal_basis in deadline.explanation
    assert deadline.rule.in_force_on(on)


def test_every_loaded_rule_is_exercised_above(db):
    assert {r.code for r in DeadlineRule.objects.all()} == {c[2] for c in CASES}


def test_local_rules_say_they_are_local(db):
    for code in ["sign-agreement", "supplement-materials", "forward-station-application", "submit-closing",
                 "green-decide", "green-assign"]:
        rule = DeadlineRule.objects.get(code=code)
        assert "本地" in rule.name or "本地" in rule.legal_basis


def test_rules_load_with_the_expected_shape(db):
    notice = DeadlineRule.objects.get(code="assign-on-notice")
    assert (notice.length, notice.day_kind, notice.custody, notice.stop_events) == (
        3, "calendar", True, ["provider_assigned"])
    station = DeadlineRule.objects.in_force_on(D(2026, 1, 1)).get(code="forward-station-application")
    assert (station.length, station.day_kind, station.custody) == (3, "working", False)
    assert DeadlineRule.objects.get(code="supplement-materials").length == 15
    assert DeadlineRule.objects.in_force_on(D(2021, 12, 31)).filter(code="decide-application").count() == 0
    assert DeadlineRule.objects.in_force_on(D(2022, 1, 1)).get(code="decide-objection").day_kind == "calendar"
    assert DeadlineRule.objects.in_force_on(D(2021, 12, 31)).get(code="decide-objection").day_kind == "working"


def test_migration_loaded_every_year_the_package_knows_in_chinese(db):
    years = {d.year for d in chinese_calendar.holidays}
    assert set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)) >= years
    assert CalendarYear.objects.get(year=2026).source == "国务院办公厅节假日安排通知（chinese-calendar 1.11.0）"
    stored = {d.date: d for d in CalendarDay.objects.all()}
    for day in chinese_calendar.holidays:
        assert stored[day].is_workday is False
    for day in chinese_calendar.workdays:
        assert stored[day].is_workday is True and day.weekday() >= 5
    names = set(CalendarDay.objects.values_list("name", flat=True))
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节", "中秋节", "抗战胜利纪念日"}
    assert stored[D(2015, 9, 3)].name == "抗战胜利纪念日"


def test_loader_builds_the_official_calendar(db):
    cal = holiday_calendar()
    assert cal.is_known(2026) and not cal.is_known(2031)
    assert not cal.is_workday(D(2026, 2, 17))
    assert cal.is_workday(D(2026, 2, 14))
    assert cal.describe(D(2026, 10, 1)) == "国庆节"
