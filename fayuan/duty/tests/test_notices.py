"""An organ's full-coverage notice in simplified or fast-track procedure reaches the duty rota: criminal publishes
``notice.duty_routed``, duty finds the station and the lawyer on the published rota for the day (the shipped
holiday calendar decides the next working day), records the slot, tells the lawyer and answers criminal, whose
notice then tells the organ who is on it. No lawyer on the rota: unstaffed, until a rota is published or a swap."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.core import events
from fayuan.core.errors import ValidationFailed
from fayuan.criminal.models import CoverageSwitch, DutyStatus, Notice
from fayuan.criminal.tests.support import send_notice
from fayuan.deadlines.models import CalendarDay
from fayuan.duty import services
from fayuan.duty.models import Duty, HelpRecord, NoticeAssignment, NoticeDutyStatus
from fayuan.notifications.models import Notification

from .support import OCTOBER, D, admit, lawyer, pool_of_three

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
FULL = {"ground": "full_coverage", "name": "周某", "charge": "盗窃罪", "procedure": "simplified"}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


@pytest.fixture
def rota_october(city):
    """Court A's duty station is station A; its pool of three has October 2025's rota published."""
    city.organ_a.station = city.station_a
    city.organ_a.save()
    users = pool_of_three(city)
    reviewer = city.user("reviewer_a")
    services.rota_generate(actor=reviewer, month=OCTOBER)
    services.rota_publish(actor=reviewer, month=OCTOBER)
    return users


def _notice(city, day, **kw):
    with time_machine.travel(_at(day, 11), tick=False):
        return send_notice(city, received_at=_at(day), **{**FULL, **kw})


def test_the_wiring_is_one_event_each_way():
    assert [s.label for s in events.subscriptions("notice.duty_routed")] == [
        "fayuan.duty.services.notices.on_notice_routed"]
    for name in ("duty_notice.staffed", "duty_notice.unstaffed", "duty_notice.helped"):
        assert [s.label for s in events.subscriptions(name)] == ["fayuan.criminal.dutylink.on_duty_answer"]


@pytest.mark.parametrize(("received", "expected"), [
    (D(2025, 10, 9), D(2025, 10, 9)),     # a Thursday, working day: that day
    (D(2025, 10, 1), D(2025, 10, 9)),     # National Day: the holidays run to 8 October (shipped calendar)
    (D(2025, 10, 11), D(2025, 10, 11)),   # a Saturday made a working day (调休): that day
    (D(2025, 10, 12), D(2025, 10, 13)),   # a Sunday: the Monday
])
def test_the_notice_goes_to_the_lawyer_on_the_rota_for_the_day_or_the_next_working_day(city, rota_october, received,
                                                                                       expected):
    # The shipped rows decide, not rows this test builds: the 2025 calendar (deadlines 0002) and district A's
    # shipped trial-stage coverage switch (criminal 0003).
    assert CalendarDay.objects.filter(date=D(2025, 10, 11), is_workday=True).exists()
    notice = _notice(city, received)
    assert notice.coverage_switch == CoverageSwitch.objects.get(district=city.district_a, stage="trial")
    on_duty = Duty.objects.get(station=city.station_a, date=expected, active=True)
    assignment = NoticeAssignment.objects.get(notice_public_id=notice.public_id)
    assert (assignment.date, assignment.duty, assignment.status) == (expected, on_duty, NoticeDutyStatus.STAFFED)
    assert (notice.duty_status, notice.duty_assigned_lawyer, notice.duty_assigned_for) == (
        DutyStatus.STAFFED, on_duty.provider, expected)
    assert notice.duty_station == city.station_a and notice.duty_lawyer is None  # not helped yet


def test_the_duty_lawyer_is_told_and_the_center_is_told_who(city, rota_october):
    notice = _notice(city, D(2025, 10, 9))
    lawyer_user = next(u for u in rota_october if u.provider_id == notice.duty_assigned_lawyer_id)
    message = Notification.objects.get(user=lawyer_user, title="值班期间有一份法律援助通知")
    assert message.link == "/office/duty/my/" and "周某" not in message.body  # no personal data in messages
    center = Notification.objects.filter(user=city.user("reviewer_a"), title="待值班律师提供法律帮助").get()
    assert notice.duty_assigned_lawyer.name in center.body


def test_without_a_published_rota_the_notice_is_unstaffed_until_the_rota_is_published(city):
    city.organ_a.station = city.station_a
    city.organ_a.save()
    pool_of_three(city)
    reviewer = city.user("reviewer_a")
    notice = _notice(city, D(2025, 10, 9))
    assert notice.duty_status == DutyStatus.UNSTAFFED and notice.duty_assigned_lawyer is None
    assert "没有值班律师" in notice.duty_status_note
    services.rota_generate(actor=reviewer, month=OCTOBER)
    notice.refresh_from_db()
    assert notice.duty_status == DutyStatus.UNSTAFFED  # a draft may still change: not staffed from it
    services.rota_publish(actor=reviewer, month=OCTOBER)
    notice.refresh_from_db()
    on_duty = Duty.objects.get(station=city.station_a, date=D(2025, 10, 9), active=True)
    assert (notice.duty_status, notice.duty_assigned_lawyer) == (DutyStatus.STAFFED, on_duty.provider)


def test_an_organ_without_a_station_of_its_own_uses_its_districts(city):
    """Court B has no station of its own: the duty station of district B answers; with no rota there, unstaffed."""
    city.users["organ_b"] = make_user("organ_b", "organ_liaison", organ=city.organ_b)
    notice = send_notice(city, key="organ_b", **FULL)
    assignment = NoticeAssignment.objects.get(notice_public_id=notice.public_id)
    assert assignment.station == city.station_b and assignment.status == NoticeDutyStatus.UNSTAFFED
    assert notice.duty_station == city.station_b and notice.duty_status == DutyStatus.UNSTAFFED


def test_a_swap_moves_the_notice_to_the_replacement(city, rota_october):
    notice = _notice(city, D(2025, 10, 13))
    duty = Duty.objects.get(station=city.station_a, date=D(2025, 10, 13), active=True)
    holder = next(u for u in rota_october if u.provider_id == duty.provider_id)
    other = lawyer(city, "孙律师", 103)
    admit(city, city.station_a, other)
    with time_machine.travel(_at(D(2025, 10, 10)), tick=False):
        swap = services.swap_request(actor=holder, duty_id=duty.pk, replacement_id=other.provider_id, reason="出庭冲突")
        services.swap_decide(actor=city.user("reviewer_a"), swap_id=swap.pk, approve=True)
    notice.refresh_from_db()
    assert notice.duty_assigned_lawyer_id == other.provider_id
    assert NoticeAssignment.objects.get(notice_public_id=notice.public_id).duty.provider_id == other.provider_id


def test_the_lawyers_help_record_answers_the_notice(city, rota_october, client):
    notice = _notice(city, D(2025, 10, 9))
    duty = Duty.objects.get(station=city.station_a, date=D(2025, 10, 9), active=True)
    holder = next(u for u in rota_october if u.provider_id == duty.provider_id)
    assignment = NoticeAssignment.objects.get(notice_public_id=notice.public_id)
    others = [u for u in rota_october if u != holder]
    with time_machine.travel(_at(D(2025, 10, 9), 15), tick=False):
        other_duty = Duty.objects.filter(provider_id=others[0].provider_id, active=True).first()
        with pytest.raises(ValidationFailed, match="不是安排给您"):  # another lawyer cannot take it
            services.help_record_create(actor=others[0], duty_id=other_duty.pk, person_name="周某", stage="trial",
                                        kind="consultation", assignment_id=assignment.pk)
        record = services.help_record_create(actor=holder, duty_id=duty.pk, person_name="周某", stage="trial",
                                             kind="procedural_advice", assignment_id=assignment.pk)
    assert record.person_id == notice.person_id  # the notice's person, without asking again
    assignment.refresh_from_db()
    assert assignment.status == NoticeDutyStatus.HELPED and assignment.help_record == record
    notice.refresh_from_db()
    assert (notice.duty_status, notice.duty_lawyer, notice.duty_helped_on) == (
        DutyStatus.HELPED, duty.provider, D(2025, 10, 9))
    with time_machine.travel(_at(D(2025, 10, 9), 16), tick=False), pytest.raises(ValidationFailed):
        services.help_record_create(actor=holder, duty_id=duty.pk, person_name="周某", stage="trial",
                                    kind="consultation", assignment_id=assignment.pk)  # answered once
    assert HelpRecord.objects.count() == 1
    # The organ reads who helped on its notice page and in the API.
    sign_in(client, city.user("organ_a"))
    page = client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()
    assert duty.provider.name in page and "值班律师已提供法律帮助" in page


def test_the_organ_reads_the_duty_lawyer_and_another_organ_gets_404(city, rota_october, client):
    notice = _notice(city, D(2025, 10, 9))
    name = Notice.objects.get(pk=notice.pk).duty_assigned_lawyer.name
    sign_in(client, city.user("organ_a"))
    page = client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()
    assert name in page and "已安排值班律师" in page
    other = make_user("organ_b", "organ_liaison", organ=city.organ_b)
    sign_in(client, other)
    assert client.get(reverse("criminal:notice", args=[notice.public_id])).status_code == 404


def test_the_lawyer_answers_the_notice_from_their_page(city, rota_october, client):
    notice = _notice(city, D(2025, 10, 9))
    duty = Duty.objects.get(station=city.station_a, date=D(2025, 10, 9), active=True)
    holder = next(u for u in rota_october if u.provider_id == duty.provider_id)
    assignment = NoticeAssignment.objects.get(notice_public_id=notice.public_id)
    sign_in(client, holder)
    with time_machine.travel(_at(D(2025, 10, 9), 15), tick=False):
        page = client.get(reverse("duty:my")).content.decode()
        form_url = f"{reverse('duty:help_new', args=[duty.pk])}?assignment={assignment.pk}"
        assert "安排给我的法律援助通知" in page and form_url.replace("&", "&amp;") in page and "周某" in page
        form = client.get(form_url)
        assert form.context["form"].initial == {"assignment": str(assignment.pk), "person_name": "周某"}
        response = client.post(reverse("duty:help_new", args=[duty.pk]), {
            "assignment": assignment.pk, "person_name": "周某", "stage": "trial", "kind": "consultation"})
        assert response.status_code == 302
        assert "安排给我的法律援助通知" not in client.get(reverse("duty:my")).content.decode()
    notice.refresh_from_db()
    assert notice.duty_status == DutyStatus.HELPED and notice.duty_lawyer_id == holder.provider_id
    # Another lawyer neither sees it nor can answer it.
    other = next(u for u in rota_october if u != holder)
    sign_in(client, other)
    assert "周某" not in client.get(reverse("duty:my")).content.decode()


def test_the_center_recording_help_itself_marks_the_notice_helped(city):
    notice = _notice(city, D(2025, 10, 9))
    assert notice.duty_status == DutyStatus.UNSTAFFED  # court A has no station of its own here; no rota
    from fayuan.criminal import services as criminal_services

    with time_machine.travel(_at(D(2025, 10, 10)), tick=False):
        criminal_services.notice_record_duty_help(actor=city.user("reviewer_a"), public_id=notice.public_id,
                                                  provider_id=city.user("duty_a").provider_id,
                                                  helped_on=D(2025, 10, 10))
    notice.refresh_from_db()
    assert notice.duty_status == DutyStatus.HELPED
