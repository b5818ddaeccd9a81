"""Each deadline rule as the migrations ship it, started through ``deadline_start`` on a plain subject: one table of
scenarios whose ids name the article; the due date (and, for clocks in hours, the due instant) on the official
calendar; then the hour clock across the 2026 Spring Festival and the decision clock paused for a supplement."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from fayuan.core.dated import BasisStatus
from fayuan.core.errors import ValidationFailed
from fayuan.core.tests import lawtext
from fayuan.deadlines import events as ev
from fayuan.deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineRule
from fayuan.deadlines.selectors import deadlines_due_by, deadlines_for_center, holiday_calendar
from fayuan.deadlines.services import deadline_pause_resume, deadline_start, deadline_stop

D = dt.date
SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


# (id naming the article, event, kwargs, rule code, start date or instant, due date, due instant, basis fragment)
CASES = [
    # 28 Sep + 7 = 5 Oct, National Day (1-7 Oct) -> Thu 8 Oct.
    ("LAL-art43(1)-decide-in-7-days-past-national-day", ev.APPLICATION_RECEIVED, {}, "decide-application",
     D(2026, 9, 28), D(2026, 10, 8), None, "法律援助法第四十三条第一款"),
    # 30 Apr + 3 = 3 May, Labour Day (1-5 May) -> Wed 6 May.
    ("LAL-art43(1)-assign-in-3-days-past-labour-day", ev.AID_GRANTED, {}, "assign-provider", D(2026, 4, 30),
     D(2026, 5, 6), None, "法律援助法第四十三条第一款"),
    # 16 Jun + 5 = Sun 21 Jun, Dragon Boat Festival -> Mon 22 Jun.
    ("local-agreement-in-5-days-see-LAL-art46", ev.PROVIDER_ASSIGNED, {}, "sign-agreement", D(2026, 6, 16),
     D(2026, 6, 22), None, "第四十六条"),
    # 1 Apr + 5 = Mon 6 Apr, Tomb-sweeping Day -> Tue 7 Apr.
    ("LAL-art49-objection-in-5-days", ev.OBJECTION_FILED, {}, "decide-objection", D(2026, 4, 1), D(2026, 4, 7),
     None, "法律援助法第四十九条"),
    # 29 Sep 2019 (Sun) was a make-up workday: 29 Sep, 30 Sep, [1-7 Oct National Day], 8, 9, 10 Oct.
    ("REG2003-art19-objection-in-5-working-days-2019", ev.OBJECTION_FILED, {}, "decide-objection", D(2019, 9, 27),
     D(2019, 10, 10), None, "法律援助条例第十九条"),
    ("LAL-art43(2)-supplement-15-days-local", ev.SUPPLEMENT_REQUESTED, {}, "supplement-materials", D(2026, 3, 2),
     D(2026, 3, 17), None, "法律援助法第四十三条第二款"),
    ("REG2003-art18-supplement-15-days-local-2021", ev.SUPPLEMENT_REQUESTED, {}, "supplement-materials",
     D(2021, 3, 1), D(2021, 3, 16), None, "法律援助条例第十八条"),
    # 24 hours from the instant, across the Spring Festival holiday (15-23 Feb 2026): never extended.
    ("LAL-art39-police-art47-forward-in-24-hours-spring-festival", ev.STATION_RECEIVED, {"custody": True},
     "forward-custody-application", at(2026, 2, 16, 10, 30), D(2026, 2, 17), at(2026, 2, 17, 10, 30),
     "法律援助法第三十九条"),
    ("REG2003-art15-forward-in-24-hours-2019", ev.STATION_RECEIVED, {"custody": True},
     "forward-custody-application", at(2019, 9, 30, 20), D(2019, 10, 1), at(2019, 10, 1, 20),
     "法律援助条例第十五条"),
    # 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, make-up workday).
    ("local-station-forwards-in-3-working-days", ev.STATION_RECEIVED, {"custody": False},
     "forward-station-application", D(2026, 9, 30), D(2026, 10, 10), None, "本市工作站"),
    # Organ's notice on the make-up Saturday 14 Feb + 3 = 17 Feb, Spring Festival: custody, not extended.
    ("LAL-art36-assign-on-notice-in-3-days-custody", ev.NOTICE_RECEIVED, {}, "assign-on-notice", D(2026, 2, 14),
     D(2026, 2, 17), None, "法律援助法第三十六条"),
    # 6 Mar + 30 = Sun 5 Apr, then Mon 6 Apr Tomb-sweeping Day -> Tue 7 Apr.
    ("LAL-art50-closing-file-30-days-local", ev.JUDGMENT_RECEIVED, {}, "submit-closing", D(2026, 3, 6),
     D(2026, 4, 7), None, "法律援助法第五十条"),
    # Green channel: 12 Feb + 2 = Sat 14 Feb, a make-up workday, so it stays.
    ("plan14-green-decide-in-2-days", ev.APPLICATION_RECEIVED, {"track": "green_channel"}, "green-decide",
     D(2026, 2, 12), D(2026, 2, 14), None, "第十四点"),
    ("plan14-green-assign-in-1-day", ev.AID_GRANTED, {"track": "green_channel"}, "green-assign", D(2026, 2, 13),
     D(2026, 2, 14), None, "第十四点"),
    # Complaints (arts. 55-56; the days are the city's defaults): 1 Sep + 45 = Fri 16 Oct.
    ("LAL-art55-56-handle-complaint-45-days-local", "complaint_received", {}, "handle-complaint", D(2026, 9, 1),
     D(2026, 10, 16), None, "法律援助法第五十五条、第五十六条"),
    # 28 Sep + 5 = 3 Oct, National Day (1-7 Oct) -> Thu 8 Oct.
    ("LAL-art56-inform-complainant-5-days-local", "complaint_decided", {}, "inform-complainant", D(2026, 9, 28),
     D(2026, 10, 8), None, "法律援助法第五十六条"),
]


def _start(city, event, begin, subject=None, **kwargs):
    on = begin.date() if isinstance(begin, dt.datetime) else begin
    moment = begin if isinstance(begin, dt.datetime) else None
    return deadline_start(subject=subject or city.person_a, event=event, on=on, at=moment, center=city.center_a,
                          actor=city.user("reviewer_a"), **kwargs)


@pytest.mark.parametrize(("event", "kwargs", "code", "begin", "due", "due_at", "basis"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_shipped_rule(city, event, kwargs, code, begin, due, due_at, basis):
    started = _start(city, event, begin, **kwargs)
    assert [d.rule.code for d in started] == [code]
    deadline = started[0]
    assert (deadline.due_on, deadline.due_at) == (due, due_at)
    assert deadline.provisional is False
    assert basis in deadline.rule.legal_basis
    assert deadline.rule.legal_basis in deadline.explanation
    assert deadline.rule.in_force_on(deadline.started_on)
    if deadline.rule.basis_pending:
        assert "依据待确认" in deadline.explanation or "依据待补" in deadline.explanation


def test_every_shipped_rule_is_exercised_above(db):
    assert {r.code for r in DeadlineRule.objects.all()} == {c[3] for c in CASES}
    exercised = {(c[3], (c[4].date() if isinstance(c[4], dt.datetime) else c[4]).year < 2022) for c in CASES}
    for rule in DeadlineRule.objects.all():
        assert (rule.code, rule.effective_from < D(2022, 1, 1)) in exercised, rule


def test_local_lengths_and_missing_texts_are_pending(db):
    for code in ["sign-agreement", "supplement-materials", "forward-station-application", "submit-closing",
                 "green-decide", "green-assign", "decide-application"]:
        for rule in DeadlineRule.objects.filter(code=code):
            assert rule.basis_status == BasisStatus.PENDING, rule
            assert "待市局" in rule.legal_basis, rule
    for code in ["assign-provider", "decide-objection", "forward-custody-application", "assign-on-notice"]:
        assert not DeadlineRule.objects.filter(code=code, basis_status=BasisStatus.PENDING).exists(), code


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
def test_every_quotation_matches_the_article_it_cites(db):
    for rule in DeadlineRule.objects.all():
        assert rule.basis_text.strip(), rule
        found = lawtext.problems(basis_text=rule.basis_text, legal_basis=rule.legal_basis,
                                 effective_from=rule.effective_from, effective_to=rule.effective_to)
        assert found == [], f"{rule.code} {rule.effective_from}: {found}"


def test_rules_load_with_the_expected_shape(db):
    notice = DeadlineRule.objects.get(code="assign-on-notice")
    assert (notice.length, notice.day_kind, notice.custody, notice.stop_events) == (
        3, "calendar", True, ["provider_assigned"])
    for custody in DeadlineRule.objects.filter(code="forward-custody-application"):
        assert (custody.length, custody.day_kind, custody.length_label) == (24, "hours", "24小时")
    decide = DeadlineRule.objects.get(code="decide-application")
    assert (decide.pause_events, decide.resume_events) == (["supplement_requested"], ["supplement_received"])
    assert DeadlineRule.objects.in_force_on(D(2021, 12, 31)).filter(code="decide-application").count() == 0
    assert DeadlineRule.objects.in_force_on(D(2022, 1, 1)).get(code="decide-objection").day_kind == "calendar"
    assert DeadlineRule.objects.in_force_on(D(2021, 12, 31)).get(code="decide-objection").day_kind == "working"


# --- the 24-hour clock (law art. 39; police rules art. 47) -----------------------------------------------------
FORWARDS = [
    ("LAL-art39-forwarded-after-23h59-on-time", at(2026, 2, 17, 10, 29), False),
    ("LAL-art39-forwarded-at-24h-on-time", at(2026, 2, 17, 10, 30), False),
    ("LAL-art39-forwarded-after-24h01-late", at(2026, 2, 17, 10, 31), True),
    # The old one-calendar-day clock called this on time: same day as its due date.
    ("LAL-art39-forwarded-37-hours-later-late", at(2026, 2, 17, 23, 30), True),
]


@pytest.mark.parametrize(("forwarded", "late"), [f[1:] for f in FORWARDS], ids=[f[0] for f in FORWARDS])
def test_custody_forwarding_is_met_or_late_by_the_instant(city, forwarded, late):
    (deadline,) = _start(city, ev.STATION_RECEIVED, at(2026, 2, 16, 10, 30), custody=True)
    assert "春节" in deadline.explanation and "不因节假日延长" in deadline.explanation
    (met,) = deadline_stop(subject=city.person_a, event=ev.FORWARDED_TO_CENTER, at=forwarded)
    assert met.met_late is late


def test_a_clock_in_hours_needs_its_starting_instant(city):
    with pytest.raises(ValidationFailed, match="小时"):
        deadline_start(subject=city.person_a, event=ev.STATION_RECEIVED, on=D(2026, 2, 16), custody=True,
                       center=city.center_a)
    assert not Deadline.objects.exists()


# --- the decision clock paused for a supplement (MoJ procedure rules; row pending) -----------------------------
def test_decision_clock_pauses_for_a_supplement_and_resumes_with_the_days_left(city):
    """Received Thu 5 Feb 2026: due Thu 12 Feb. Supplement requested Mon 9 Feb (4 days used, 3 left). Materials
    arrive Fri 20 Feb, in the Spring Festival holiday: 3 days from then end on Mon 23 Feb, a holiday -> Tue 24."""
    (decide,) = _start(city, ev.APPLICATION_RECEIVED, at(2026, 2, 5))
    assert decide.due_on == D(2026, 2, 12)
    (paused,) = deadline_pause_resume(subject=city.person_a, event=ev.SUPPLEMENT_REQUESTED, at=at(2026, 2, 9))
    assert paused.is_paused and paused.days_left == 3
    assert "暂停计算（已计4日，剩余3日）" in paused.explanation
    # A paused clock is neither overdue nor reminded about, however long the applicant takes.
    queue = deadlines_for_center(city.center_a, on=D(2026, 2, 19))
    assert paused not in queue.overdue and paused not in deadlines_due_by(D(2026, 2, 19))
    (resumed,) = deadline_pause_resume(subject=city.person_a, event=ev.SUPPLEMENT_RECEIVED, at=at(2026, 2, 20))
    assert not resumed.is_paused and resumed.due_on == D(2026, 2, 24)
    assert "以剩余日数恢复计算" in resumed.explanation and "春节" in resumed.explanation
    (met,) = deadline_stop(subject=city.person_a, event=ev.AID_GRANTED, at=at(2026, 2, 24, 16))
    assert met.met_late is False


def test_a_decision_made_while_paused_is_on_time(city):
    _start(city, ev.APPLICATION_RECEIVED, at(2026, 3, 2))
    deadline_pause_resume(subject=city.person_a, event=ev.SUPPLEMENT_REQUESTED, at=at(2026, 3, 8))
    (met,) = deadline_stop(subject=city.person_a, event=ev.AID_GRANTED, at=at(2026, 3, 20))
    assert met.met_late is False


def test_events_that_pause_nothing_change_nothing(city):
    _start(city, ev.AID_GRANTED, D(2026, 3, 2))
    assert deadline_pause_resume(subject=city.person_a, event=ev.SUPPLEMENT_REQUESTED, at=at(2026, 3, 3)) == []
    assert deadline_pause_resume(subject=city.person_a, event=ev.SUPPLEMENT_RECEIVED, at=at(2026, 3, 4)) == []


# --- the official calendar, as loaded ---------------------------------------------------------------------------
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


# --- events that touch no running clock ------------------------------------------------------------------------
def test_an_event_no_shipped_rule_is_met_paused_or_resumed_by_reads_no_clock(city):
    """The receipt of an application starts the decision clock and meets, pauses or resumes none on the shipped
    rows: stopping and pausing for it skip the subject's clocks (two locking reads fewer on every submit). An event a
    rule does name still reads them and meets the clock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fayuan.deadlines.selectors import clock_events

    (decide,) = _start(city, ev.APPLICATION_RECEIVED, at(2026, 2, 5))
    known = clock_events()
    assert ev.APPLICATION_RECEIVED not in known.stop | known.pause | known.resume
    assert ev.AID_GRANTED in known.stop and ev.SUPPLEMENT_REQUESTED in known.pause
    assert ev.SUPPLEMENT_RECEIVED in known.resume
    with CaptureQueriesContext(connection) as queries:
        assert deadline_stop(subject=city.person_a, event=ev.APPLICATION_RECEIVED, at=at(2026, 2, 5, 11)) == []
        assert deadline_pause_resume(subject=city.person_a, event=ev.APPLICATION_RECEIVED, at=at(2026, 2, 5, 11)) == []
    assert not any("deadlines_deadline" in q["sql"] for q in queries.captured_queries)
    (met,) = deadline_stop(subject=city.person_a, event=ev.AID_GRANTED, at=at(2026, 2, 6))
    assert met.pk == decide.pk
