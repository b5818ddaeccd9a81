"""Starting, stopping and cancelling deadlines; idempotency; custody; tracks; provisional years; audit."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fayuan.core.audit import verify_chain
from fayuan.core.errors import ValidationFailed
from fayuan.core.models import AuditEntry
from fayuan.deadlines import events as ev
from fayuan.deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineStatus
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.deadlines.services import (
    calendar_sync_from_package,
    deadline_cancel_all,
    deadline_recompute_provisional,
    deadline_start,
    deadline_stop,
)

D = dt.date
SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


MONDAY = D(2026, 3, 2)


def start(city, event=ev.APPLICATION_RECEIVED, on=MONDAY, subject=None, **kwargs):
    return deadline_start(subject=subject or city.person_a, event=event, on=on, center=city.center_a,
                          actor=city.user("reviewer_a"), **kwargs)


def test_start_records_subject_center_and_explanation(city):
    (deadline,) = start(city, reference="（2026）京法援字第1号")
    assert deadline.subject == city.person_a
    assert deadline.center == city.center_a
    assert (deadline.started_on, deadline.due_on) == (D(2026, 3, 2), D(2026, 3, 9))
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.short_reference == "（2026）京法援字第1号"
    assert "2026年3月2日" in deadline.explanation and "第四十三条" in deadline.explanation


def test_subject_may_be_any_model(city):
    (deadline,) = start(city, subject=city.center_b)
    assert deadline.subject == city.center_b
    assert deadline.short_reference == f"center#{city.center_b.pk}"


def test_start_is_idempotent_while_open(city):
    assert len(start(city)) == 1
    assert start(city) == []
    assert Deadline.objects.count() == 1


def test_stop_marks_met_and_only_for_listed_events(city):
    (deadline,) = start(city)
    assert deadline_stop(subject=city.person_a, event=ev.PROVIDER_ASSIGNED, at=at(2026, 3, 3)) == []
    (met,) = deadline_stop(subject=city.person_a, event=ev.AID_GRANTED, at=at(2026, 3, 4),
                           actor=city.user("reviewer_a"))
    assert met.pk == deadline.pk
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert deadline.met_event == ev.AID_GRANTED
    assert deadline.met_late is False
    # Met deadlines are no longer open: the same event may start the rule again (a new application, say).
    assert len(start(city)) == 1


def test_stop_after_due_date_is_recorded_as_late(city):
    start(city)
    (met,) = deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=at(2026, 3, 10))
    assert met.met_late is True


def test_stop_touches_only_its_own_subject(city):
    start(city)
    start(city, subject=city.person_b)
    deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=at(2026, 3, 3))
    assert Deadline.objects.get(subject_id=city.person_b.pk).status == DeadlineStatus.OPEN


def test_stop_needs_an_aware_datetime(city):
    start(city)
    with pytest.raises(ValidationFailed):
        deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=dt.datetime(2026, 3, 3, 10))  # noqa: DTZ001


def test_cancel_all_cancels_open_deadlines_only(city):
    start(city)
    deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=at(2026, 3, 3))
    start(city, event=ev.AID_GRANTED, on=D(2026, 3, 3))
    start(city, event=ev.SUPPLEMENT_REQUESTED, on=D(2026, 3, 3))
    cancelled = deadline_cancel_all(subject=city.person_a, reason="申请人撤回申请")
    assert {d.rule.code for d in cancelled} == {"assign-provider", "supplement-materials"}
    statuses = sorted(d.status for d in deadlines_for_subject(city.person_a))
    assert statuses == ["cancelled", "cancelled", "met"]


def test_custody_applicant_period_is_not_extended(city):
    (plain,) = start(city, on=D(2026, 9, 28))
    (custody,) = start(city, on=D(2026, 9, 28), subject=city.person_b, custody=True)
    assert plain.due_on == D(2026, 10, 8)
    assert (custody.due_on, custody.custody) == (D(2026, 10, 5), True)
    assert "在押" in custody.explanation


def test_custody_rule_is_counted_as_custody_whatever_is_passed(city):
    (notice,) = start(city, event=ev.NOTICE_RECEIVED, on=D(2026, 2, 14))
    assert notice.custody is True and notice.due_on == D(2026, 2, 17)


def test_event_with_separate_custody_rules_needs_the_custody_status(city):
    with pytest.raises(ValidationFailed, match="羁押"):
        start(city, event=ev.STATION_RECEIVED)
    assert Deadline.objects.count() == 0


def test_green_channel_replaces_standard_rows_for_its_events_only(city):
    assert [d.rule.code for d in start(city, track="green_channel")] == ["green-decide"]
    assert [d.rule.code for d in start(city, event=ev.PROVIDER_ASSIGNED, track="green_channel")] == [
        "sign-agreement"]


def test_unknown_event_starts_nothing_and_rule_out_of_force_is_not_used(city):
    assert start(city, event="no_such_event") == []
    assert start(city, on=D(2021, 12, 31)) == []  # the 7-day rule came with the 2021 law


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"on": dt.datetime(2026, 3, 2, 9, tzinfo=SH)}, "on"),
    ({"event": " "}, "event"),
    ({"track": "express"}, "track"),
    ({"reference": "320102198005170011"}, "reference"),
])
def test_bad_input_is_refused_and_changes_nothing(city, kwargs, field):
    args = {"event": ev.APPLICATION_RECEIVED, "on": D(2026, 3, 2), **kwargs}
    with pytest.raises(ValidationFailed) as exc:
        start(city, **args)
    assert exc.value.field == field
    assert Deadline.objects.count() == 0


def test_every_write_is_audited_without_personal_data(city):
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # numbers have gaps
    (deadline,) = start(city)
    deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=at(2026, 3, 3), actor=city.user("reviewer_a"))
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("create", "deadlines.deadline", str(deadline.pk)), ("update", "deadlines.deadline", str(deadline.pk))]
    assert entries[0].detail["rule"] == "decide-application"
    assert "张三" not in str([e.detail for e in entries])
    assert verify_chain().ok


def test_deadline_in_an_unknown_year_is_provisional_until_the_year_is_entered(city):
    (deadline,) = start(city, on=D(2026, 12, 28))
    assert (deadline.due_on, deadline.provisional) == (D(2027, 1, 4), True)
    assert "2027年" in deadline.explanation
    year = CalendarYear.objects.create(year=2027, source="测试：假定的2027年安排", complete=True)
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 4), is_workday=False, name="元旦")
    assert deadline_recompute_provisional() == 1
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional) == (D(2027, 1, 5), False)
    assert deadline_recompute_provisional() == 0


def test_incomplete_year_still_counts_as_unknown(city):
    year = CalendarYear.objects.create(year=2027, source="录入中", complete=False)
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 4), is_workday=False, name="元旦")
    (deadline,) = start(city, on=D(2026, 12, 28))
    assert (deadline.due_on, deadline.provisional) == (D(2027, 1, 4), True)


def test_sync_from_package_adds_only_missing_years(city):
    CalendarYear.objects.filter(year=2026).delete()
    (deadline,) = start(city, on=D(2026, 2, 10))
    assert (deadline.due_on, deadline.provisional) == (D(2026, 2, 17), True)
    assert calendar_sync_from_package() == [2026]
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional) == (D(2026, 2, 24), False)
    assert calendar_sync_from_package() == []


def test_concurrent_start_loses_the_race_quietly(city, monkeypatch):
    """Two requests start the same event at once: both pass the "already open?" check, the database's partial
    unique constraint lets only one insert through, and the loser returns nothing instead of failing."""
    (first,) = start(city)
    monkeypatch.setattr("fayuan.deadlines.selectors.deadlines_open_for_subject",
                        lambda subject: Deadline.objects.none())
    assert start(city) == []
    assert list(Deadline.objects.values_list("pk", flat=True)) == [first.pk]
