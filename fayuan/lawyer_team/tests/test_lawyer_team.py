"""The excellent-lawyer team: dated membership mirrored on the provider, 坐堂 sessions scheduled and recorded with
attendance, counts and linked consultation records, each center seeing its own, and the public page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.consultations.services import consultation_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.tests.access_support import Cases
from fayuan.lawyer_team.models import Member, SessionStatus
from fayuan.lawyer_team.selectors import member_get_for_user, public_team, session_get_for_user
from fayuan.lawyer_team.services import (
    SessionInput,
    SessionRecord,
    member_admit,
    member_leave,
    session_cancel,
    session_record,
    session_schedule,
)
from fayuan.org.models import Provider, ProviderKind, Station, StationType

TODAY = timezone.localdate
PROFILE = "执业十五年，长期代理劳动争议和工伤赔偿案件。"


def _admit(city: Any, key: str = "provider_a", on: dt.date | None = None) -> Member:
    return member_admit(actor=city.user("reviewer_a"), provider_id=city.user(key).provider_id,
                        admitted_on=on or TODAY() - dt.timedelta(days=100), profile=PROFILE)


def _session(city: Any, members: list[Member], days: int = -3, **over: Any) -> Any:
    data = {"held_on": TODAY() + dt.timedelta(days=days), "starts_at": dt.time(9), "ends_at": dt.time(11, 30),
            "member_ids": [m.pk for m in members], "topic": "劳动争议咨询"}
    data.update(over)
    return session_schedule(actor=city.user("reviewer_a"), data=SessionInput(**data))


def test_admission_is_dated_mirrored_and_only_for_the_centers_lawyers(city):
    member = _admit(city)
    provider = Provider.objects.get(pk=member.provider_id)
    assert provider.excellent_team and member.admitted_by == city.user("reviewer_a")
    with pytest.raises(Conflict):
        _admit(city)
    volunteer = Provider.objects.create(name="志愿者", kind=ProviderKind.VOLUNTEER, home_center=city.center_a)
    with pytest.raises(ValidationFailed, match="律师"):
        member_admit(actor=city.user("reviewer_a"), provider_id=volunteer.pk, admitted_on=TODAY(), profile=PROFILE)
    with pytest.raises(ValidationFailed):  # another center's lawyer
        member_admit(actor=city.user("reviewer_b"), provider_id=provider.pk, admitted_on=TODAY(), profile=PROFILE)
    with pytest.raises(PermissionDenied):
        member_admit(actor=city.user("bureau"), provider_id=provider.pk, admitted_on=TODAY(), profile=PROFILE)
    with pytest.raises(ValidationFailed, match="日期"):
        member_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=member.admitted_on, reason="调离")
    member_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=TODAY(), reason="本人申请退出")
    assert not Provider.objects.get(pk=provider.pk).excellent_team
    with pytest.raises(ValidationFailed, match="重新入团"):
        _admit(city, on=TODAY() - dt.timedelta(days=1))
    assert Member.objects.count() == 1


def test_a_session_is_scheduled_with_members_of_the_day_and_nobody_twice_a_day(city):
    member = _admit(city)
    with pytest.raises(ValidationFailed, match="在团"):  # not yet a member on that day
        _session(city, [member], days=-200)
    with pytest.raises(ValidationFailed, match="工作站"):
        _session(city, [member], station_id=city.station_b.pk)
    jail = Station.objects.create(name="京口区看守所工作站", type=StationType.DETENTION_CENTER, center=city.center_a,
                                  district=city.district_a, address="看守所", latitude=Decimal("32.2"),
                                  longitude=Decimal("119.4"))
    with pytest.raises(ValidationFailed, match="看守所"):  # 坐堂 is for the public
        _session(city, [member], station_id=jail.pk)
    with pytest.raises(ValidationFailed, match="结束时间"):
        _session(city, [member], ends_at=dt.time(8))
    session = _session(city, [member], station_id=city.station_a.pk)
    assert session.place == city.station_a.name and session.status == SessionStatus.SCHEDULED
    with pytest.raises(Conflict, match="当天已安排"):
        _session(city, [member], starts_at=dt.time(14), ends_at=dt.time(16))
    with pytest.raises(Conflict, match="坐堂咨询"):  # leaving while booked ahead
        _session(city, [member], days=5)
        member_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=TODAY(), reason="调离本市")


def test_recording_a_session_attendance_count_and_linked_consultations(city):
    a, b = _admit(city), _admit(city, "duty_a")
    session = _session(city, [a, b], days=0)
    here = consultation_record(actor=city.user("reviewer_a"), channel="counter", question="工伤怎么认定？",
                               advice="先申请工伤认定。")
    elsewhere = consultation_record(actor=city.user("reviewer_b"), channel="counter", question="欠薪",
                                    advice="申请劳动仲裁。")
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="咨询记录"):
        session_record(actor=reviewer, session_id=session.pk, data=SessionRecord([a.pk], 5,
                                                                                 consultation_ids=[elsewhere.pk]))
    with pytest.raises(ValidationFailed, match="多于"):
        session_record(actor=reviewer, session_id=session.pk, data=SessionRecord([a.pk], 0,
                                                                                 consultation_ids=[here.pk]))
    with pytest.raises(ValidationFailed, match="到场"):
        session_record(actor=reviewer, session_id=session.pk, data=SessionRecord([], 3))
    session_record(actor=reviewer, session_id=session.pk,
                   data=SessionRecord([a.pk], 6, summary="接待群众6人次", consultation_ids=[here.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.consultations_given == 6
    assert list(session.consultations.all()) == [here]
    assert {x.member_id: x.attended for x in session.attendances.all()} == {a.pk: True, b.pk: False}
    with pytest.raises(Conflict):
        session_cancel(actor=reviewer, session_id=session.pk, reason="重复登记")
    future = _session(city, [a], days=10)
    with pytest.raises(Conflict, match="未到"):
        session_record(actor=reviewer, session_id=future.pk, data=SessionRecord([a.pk], 1))
    session_cancel(actor=reviewer, session_id=future.pk, reason="律师出庭")


def test_each_center_and_bureau_sees_its_own(city):
    member = _admit(city)
    session = _session(city, [member])
    for key in ("reviewer_a", "director_a", "bureau_a", "bureau"):
        assert member_get_for_user(city.user(key), member.pk) == member
        assert session_get_for_user(city.user(key), session.pk) == session
    bureau_b = make_user("bureau_b", "bureau_supervisor", district=city.center_b.district)
    for user in (city.user("reviewer_b"), bureau_b, city.user("provider_a"), city.user("clerk_a")):
        with pytest.raises(NotFoundOrForbidden):
            member_get_for_user(user, member.pk)
        with pytest.raises(NotFoundOrForbidden):
            session_get_for_user(user, session.pk)


def test_the_public_page_lists_the_team_with_counts_and_no_recipient(client, city):
    case = Cases(city).get("closed")  # provider_a closed a case for 李四
    member = _admit(city)
    held = _session(city, [member], days=-2)
    session_record(actor=city.user("reviewer_a"), session_id=held.pk, data=SessionRecord([member.pk], 7))
    _session(city, [member], days=4, topic="工伤赔偿专场")
    team, coming = public_team(TODAY())
    assert [(m.name, m.figures.sessions_held, m.figures.consultations, m.figures.closed_cases) for m in team] == [
        (city.user("provider_a").provider.name, 1, 7, 1)]
    assert coming[0].topic == "工伤赔偿专场"
    page = client.get("/lawyer-team/").content.decode()
    assert PROFILE in page and "工伤赔偿专场" in page and "办结法律援助案件 1 件" in page
    assert case.applicant.name not in page and case.number not in page


def test_the_office_pages(client, city, django_assert_max_num_queries):
    sign_in(client, city.user("reviewer_a"))
    created = client.post("/office/lawyer-team/admit/", {
        "provider": city.user("provider_a").provider_id, "admitted_on": TODAY().isoformat(), "profile": PROFILE})
    member = Member.objects.get()
    assert created.status_code == 302 and created.url == f"/office/lawyer-team/members/{member.pk}/"
    scheduled = client.post("/office/lawyer-team/sessions/new/", {
        "held_on": TODAY().isoformat(), "starts_at": "09:00", "ends_at": "11:00", "members": [member.pk]})
    assert scheduled.status_code == 302
    url = scheduled.url
    assert "登记举办情况" in client.get(url).content.decode()
    client.post(f"{url}record/", {"attended": [member.pk], "consultations_given": "4"})
    assert "已举办" in client.get(url).content.decode()
    for i in range(3):
        _session(city, [member], days=i + 3)
    with django_assert_max_num_queries(12):
        assert client.get("/office/lawyer-team/sessions/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/office/lawyer-team/").status_code == 200
    page = client.get(f"/office/org/providers/{member.provider_id}/").content.decode()
    assert "名优律师团成员（" in page
    sign_in(client, city.user("reviewer_b"))
    assert client.get(url).status_code == 404
    assert client.get(f"/office/lawyer-team/members/{member.pk}/").status_code == 404


def test_providers_flagged_before_the_app_become_members(city):
    from importlib import import_module

    Provider.objects.filter(pk=city.user("provider_a").provider_id).update(excellent_team=True)
    import_module("fayuan.lawyer_team.migrations.0002_members_from_flag").load(django_apps, None)
    member = Member.objects.get()
    assert member.provider_id == city.user("provider_a").provider_id and "待中心核对" in member.note
