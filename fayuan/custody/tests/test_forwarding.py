"""Forwarding a detained person's application (Legal Aid Law art. 39): the 24-hour clock of the shipped rule
rows, the case made through case_create, breaches, scope, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fayuan.cases.models import Case, Channel, Status
from fayuan.cases.services import case_forward
from fayuan.cases.services.creation import PROVISIONAL_NUMBER_PREFIX
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.custody import selectors, services
from fayuan.custody.models import Forwarding
from fayuan.deadlines.models import DayKind, Deadline, DeadlineRule
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.people.models import Person

from .helpers import detention, local, record

H = dt.timedelta(hours=1)


def test_the_shipped_rule_counts_24_hours_from_the_receipt(db):
    rows = DeadlineRule.objects.filter(code="forward-custody-application").order_by("effective_from")
    assert [(r.effective_from, r.length, r.day_kind, r.start_event, r.stop_events, r.custody_condition)
            for r in rows] == [
        (dt.date(2003, 9, 1), 24, DayKind.HOURS, "station_received", ["forwarded_to_center"], "in_custody"),
        (dt.date(2022, 1, 1), 24, DayKind.HOURS, "station_received", ["forwarded_to_center"], "in_custody"),
    ]


# (received at, due at, the row's article): instant to instant, never moved by a weekend or a holiday.
CLOCK = [
    pytest.param(local(2026, 12, 2, 23, 30), local(2026, 12, 3, 23, 30), "第三十九条", id="23:30-next-day-23:30"),
    pytest.param(local(2026, 9, 30, 23, 30), local(2026, 10, 1, 23, 30), "第三十九条", id="national-day-not-extended"),
    pytest.param(local(2026, 2, 15, 10, 0), local(2026, 2, 16, 10, 0), "第三十九条", id="spring-festival-eve"),
    pytest.param(local(2026, 12, 5, 8, 15), local(2026, 12, 6, 8, 15), "第三十九条", id="saturday-to-sunday"),
    pytest.param(local(2021, 12, 31, 12, 0), local(2022, 1, 1, 12, 0), "第十五条", id="2003-regulation-row"),
]


@pytest.mark.parametrize(("received", "due", "article"), CLOCK)
def test_the_clock_runs_24_hours_whatever_the_calendar(city, received, due, article):
    forwarding = record(detention(city), received, now=received + dt.timedelta(minutes=1))
    clock = deadlines_for_subject(forwarding.case).get(rule__code="forward-custody-application")
    assert clock.started_at == received and clock.due_at == due and forwarding.due_at == due
    assert not clock.provisional or clock.due_at == due  # hours: no calendar involved
    assert article in clock.rule.legal_basis


@pytest.mark.parametrize(("forwarded_after", "late"), [
    (23 * H + dt.timedelta(minutes=59), False), (24 * H, False), (24 * H + dt.timedelta(minutes=1), True)])
def test_forwarding_stops_the_clock_and_a_late_one_is_a_breach(city, forwarded_after, late):
    liaison = detention(city)
    received = local(2026, 12, 2, 23, 30)
    forwarding = record(liaison, received, now=received)
    services.forwarding_forward(actor=liaison, public_id=forwarding.public_id, at=received + forwarded_after)
    forwarding.refresh_from_db()
    assert forwarding.forwarded_at == received + forwarded_after
    clock = deadlines_for_subject(forwarding.case).get(rule__code="forward-custody-application")
    assert clock.met_at == received + forwarded_after and clock.met_late is late
    breaches = selectors.forwarding_breaches(city.user("bureau"), now=received + 48 * H)
    assert [(b.body, b.late, b.overdue) for b in breaches] == ([("京口区看守所", 1, 0)] if late else [])


def test_not_forwarded_after_24_hours_is_an_overdue_breach_until_forwarded(city):
    liaison = detention(city)
    received = local(2026, 12, 2, 9, 0)
    forwarding = record(liaison, received, now=received)
    bureau = city.user("bureau")
    assert selectors.forwarding_breaches(bureau, now=received + 24 * H) == []
    overdue = selectors.forwarding_breaches(bureau, now=received + 24 * H + dt.timedelta(seconds=1))
    assert [(b.late, b.overdue) for b in overdue] == [(0, 1)]
    assert selectors.forwarding_state(forwarding, received + 25 * H) == "已超时未转交"
    services.forwarding_forward(actor=liaison, public_id=forwarding.public_id, at=received + 30 * H)
    assert [(b.late, b.overdue) for b in selectors.forwarding_breaches(bureau, now=received + 31 * H)] == [(1, 0)]


def test_the_case_is_made_by_case_create_and_joins_the_normal_review(city):
    liaison = detention(city)
    forwarding = record(liaison, forward_now=True, id_number="", organ_case_number="（2026）京公刑字 第12号")
    case = Case.objects.get(pk=forwarding.case_id)
    year = case.received_at.astimezone(local(2026, 1, 1, 0, 0).tzinfo).year
    assert not case.number.startswith(PROVISIONAL_NUMBER_PREFIX) and f"〔{year}〕" in case.number
    assert case.documents.filter(kind="receipt").exists()  # the receipt every door issues
    assert (case.channel, case.case_type, case.in_custody, case.center, case.status) == (
        Channel.CUSTODY, "criminal", True, city.center_a, Status.RECEIVED)
    assert case.organ_case_number == "(2026)京公刑字第12号" and case.handling_organ == "京口区看守所"
    assert case.events.filter(kind="received").exists() and case.events.filter(kind="forward_from_custody").exists()
    assert forwarding.forwarded_at is not None
    clocks = {d.rule.code: d for d in deadlines_for_subject(case)}
    assert clocks["forward-custody-application"].met_at == forwarding.forwarded_at
    assert clocks["decide-application"].met_at is None  # the center's 7 days run from the forwarding
    assert case.applicant.name == "钱七" and case.applicant.id_number_hash is None
    assert case.applicant.intake_center == city.center_a


def test_a_given_id_number_finds_the_person_already_registered(city):
    from fayuan.conftest import valid_id

    forwarding = record(detention(city), id_number=valid_id(11), name="张三")
    assert forwarding.case.applicant == city.person_a


def test_center_staff_taking_it_in_also_count_as_forwarded(city):
    forwarding = record(detention(city))
    case_forward(actor=city.user("reviewer_a"), public_id=forwarding.case.public_id)
    forwarding.refresh_from_db()
    assert forwarding.forwarded_at is not None


def test_a_duty_lawyer_forwards_for_themselves_to_their_center(city):
    duty = city.user("duty_a")
    forwarding = record(duty, forward_now=True)
    assert (forwarding.organ, forwarding.provider, forwarding.center) == (None, duty.provider, city.center_a)
    assert selectors.forwardings_visible_to(duty).get() == forwarding
    assert not selectors.forwardings_visible_to(city.user("provider_a")).exists()


def test_a_receipt_a_moment_ahead_of_the_clock_is_forwarded_at_its_own_instant(city):
    now = local(2026, 12, 2, 10, 0)
    ahead = now + dt.timedelta(minutes=2)
    forwarding = record(detention(city), ahead, now=now, forward_now=True)
    assert forwarding.forwarded_at == ahead
    duty = city.user("duty_a")
    early = record(duty, now, now=now)
    with pytest.raises(ValidationFailed):
        services.forwarding_forward(actor=duty, public_id=early.public_id, at=now - H)
    early.refresh_from_db()
    assert early.forwarded_at is None


def test_forwarding_twice_is_refused_and_other_roles_may_not_forward(city):
    liaison = detention(city)
    forwarding = record(liaison, forward_now=True)
    with pytest.raises(Conflict):
        services.forwarding_forward(actor=liaison, public_id=forwarding.public_id)
    with pytest.raises(PermissionDenied):
        record(city.user("reviewer_a"))
    with pytest.raises(PermissionDenied):
        services.forwarding_forward(actor=city.user("reviewer_a"), public_id=forwarding.public_id)


def test_another_organ_or_center_gets_404(city):
    from fayuan.conftest import make_user

    forwarding = record(detention(city))
    organ_b = city.user("organ_a").organ  # the court of district A: another organ than the detention center
    for user in (city.user("organ_a"), city.user("reviewer_b"), city.user("clerk_a"), city.user("duty_a"),
                 make_user("bureau_b", "bureau_supervisor", district=city.center_b.district)):
        with pytest.raises(NotFoundOrForbidden):
            selectors.forwarding_get_for_user(user, forwarding.public_id)
    with pytest.raises(NotFoundOrForbidden):
        services.forwarding_forward(actor=city.user("organ_a"), public_id=forwarding.public_id)
    assert organ_b.forwardings.count() == 0
    for user in (city.user("reviewer_a"), city.user("bureau"), city.user("bureau_a")):
        assert selectors.forwarding_get_for_user(user, forwarding.public_id) == forwarding
    with pytest.raises(NotFoundOrForbidden):
        selectors.forwarding_get_for_user(city.user("bureau"), "not-a-uuid")


def _counts() -> tuple[int, ...]:
    return (Case.objects.count(), Person.objects.count(), Forwarding.objects.count(), Deadline.objects.count())


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": "  "}, "name"),
    ({"name": "名" * 61}, "name"),
    ({"id_number": "110105194912310021"}, "id_number"),
    ({"criminal_ground": "nonsense"}, "criminal_ground"),
    ({"stage": "nonsense"}, "criminal_stage"),
    ({"organ_case_number": "号" * 61}, "organ_case_number"),
    ({"received_at": local(2099, 1, 1, 0, 0)}, "received_at"),
    ({"received_at": local(2020, 1, 1, 0, 0)}, "received_at"),
    ({"received_at": dt.datetime(2026, 1, 1, 0, 0)}, "received_at"),  # noqa: DTZ001 (naive on purpose)
])
def test_bad_input_changes_nothing(city, fields, field):
    liaison = detention(city)
    before = _counts()
    received_at = fields.pop("received_at", None)
    with pytest.raises(ValidationFailed) as exc:
        record(liaison, received_at, forward_now=True, **fields)
    assert field in (exc.value.field or "") or field in (getattr(exc.value, "errors", None) or {})
    assert _counts() == before


def test_the_24_hours_are_the_recorders_and_their_reminders_go_to_them(city):
    from fayuan.deadlines.selectors import reminder_recipients

    liaison = detention(city)
    forwarding = record(liaison, forward_now=False)
    clock = {d.rule.code: d for d in deadlines_for_subject(forwarding.case)}["forward-custody-application"]
    assert clock.responsible_user == liaison
    assert reminder_recipients(clock) == [liaison]  # not the center's reviewers: the application is still theirs


def test_the_24_hours_are_reminded_by_the_hour_within_four_hours_of_running_out(city):
    from fayuan.deadlines.services import deadline_send_hour_reminders
    from fayuan.notifications.models import Notification

    liaison = detention(city)
    received = local(2026, 12, 2, 7, 30)  # runs out 2026-12-03 07:30, before the 08:00 morning reminders
    record(liaison, received, now=received, forward_now=False)
    assert deadline_send_hour_reminders(at=local(2026, 12, 3, 3, 0)) == 0  # four and a half hours left
    sent = deadline_send_hour_reminders(at=local(2026, 12, 3, 3, 45))
    assert sent == 1  # in-app to the recorder (no phone given)
    note = Notification.objects.get(user=liaison)
    assert "4小时内到期" in note.title and "2026-12-03 07:30" in note.body and "钱七" not in note.body
    assert deadline_send_hour_reminders(at=local(2026, 12, 3, 4, 45)) == 0  # once a day per user and channel
