"""Joint meetings: recorded by a center or a bureau with at least one organ, decisions kept in order, follow-up
actions owned by a participant with an overdue list; each side sees only its meetings and liaisons only read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.meetings.models import FollowUpAction, Meeting
from fayuan.meetings.selectors import meeting_get_for_user, meetings_visible_to, overdue_actions
from fayuan.meetings.services import MeetingInput, action_add, action_mark_done, meeting_record

TODAY = timezone.localdate


def _meeting(city: Any, actor: str = "reviewer_a", **over: Any) -> Meeting:
    data = {"held_on": TODAY() - dt.timedelta(days=20), "place": "京口区法律援助中心会议室", "topic": "通知辩护衔接",
            "organ_ids": [city.organ_a.pk], "attendees": "张某（京口区人民法院刑庭）\n李某（中心主任）",
            "decisions": ["法院在通知书中写明羁押场所", "", "中心三日内回函"]}
    data.update(over)
    return meeting_record(actor=city.user(actor), data=MeetingInput(**data))


def test_a_center_records_a_meeting_its_decisions_in_order_and_itself_as_participant(city):
    meeting = _meeting(city, center_ids=[city.center_b.pk])
    assert meeting.convener_center == city.center_a and meeting.convener_label == city.center_a.name
    assert set(meeting.centers.all()) == {city.center_a, city.center_b}
    assert [d.text for d in meeting.decisions.all()] == ["法院在通知书中写明羁押场所", "中心三日内回函"]


@pytest.mark.parametrize(("over", "field"), [
    ({"organ_ids": []}, "organ_ids"),
    # Tomorrow as of the test, not of the collection: a run that crosses midnight would make it today.
    ({"held_on": lambda: TODAY() + dt.timedelta(days=1)}, "held_on"),
    ({"place": " "}, "place"),
    ({"center_ids": [999999]}, "center_ids"),
])
def test_bad_input_changes_nothing(city, over, field):
    over = {k: v() if callable(v) else v for k, v in over.items()}
    with pytest.raises(ValidationFailed) as refused:
        _meeting(city, **over)
    assert refused.value.field == field
    assert not Meeting.objects.exists()


def test_each_side_sees_only_its_meetings(city):
    meeting = _meeting(city)
    for key in ("reviewer_a", "director_a", "organ_a", "bureau_a", "bureau"):
        assert meeting_get_for_user(city.user(key), meeting.pk) == meeting
    organ_b = make_user("organ_b", "organ_liaison", organ=city.organ_b)
    for user in (city.user("reviewer_b"), organ_b, city.user("provider_a"), city.user("clerk_a")):
        with pytest.raises(NotFoundOrForbidden):
            meeting_get_for_user(user, meeting.pk)
    by_bureau = _meeting(city, actor="bureau_a", topic="季度联席会议")
    assert by_bureau.convened_by_bureau and by_bureau.convener_label.endswith("司法局")
    assert by_bureau not in meetings_visible_to(city.user("reviewer_a"))  # center A was not there
    assert by_bureau in meetings_visible_to(city.user("organ_a"))
    assert list(meetings_visible_to(city.user("bureau"))).count(meeting) == 1  # one row, however many joins


def test_liaisons_only_read(city):
    with pytest.raises(PermissionDenied):
        _meeting(city, actor="organ_a")
    meeting = _meeting(city)
    with pytest.raises(PermissionDenied):
        action_add(actor=city.user("organ_a"), meeting_id=meeting.pk, description="回函",
                   owner=f"organ:{city.organ_a.pk}", due_on=TODAY())


def test_follow_up_actions_owner_due_date_overdue_and_done(city):
    meeting = _meeting(city)
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="参会"):
        action_add(actor=reviewer, meeting_id=meeting.pk, description="回函", owner=f"organ:{city.organ_b.pk}",
                   due_on=TODAY())
    with pytest.raises(ValidationFailed, match="早于"):
        action_add(actor=reviewer, meeting_id=meeting.pk, description="回函", owner=f"organ:{city.organ_a.pk}",
                   due_on=meeting.held_on - dt.timedelta(days=1))
    late = action_add(actor=reviewer, meeting_id=meeting.pk, description="法院确定联络员",
                      owner=f"organ:{city.organ_a.pk}", due_on=TODAY() - dt.timedelta(days=5))
    action_add(actor=reviewer, meeting_id=meeting.pk, description="中心建立台账", owner=f"center:{city.center_a.pk}",
               due_on=TODAY() + dt.timedelta(days=5))
    assert list(overdue_actions(reviewer, on=TODAY())) == [late]
    assert list(overdue_actions(city.user("organ_a"), on=TODAY())) == [late]
    assert not overdue_actions(city.user("reviewer_b"), on=TODAY()).exists()
    with pytest.raises(ValidationFailed):
        action_mark_done(actor=reviewer, action_id=late.pk, done_on=TODAY() + dt.timedelta(days=1))
    with pytest.raises(NotFoundOrForbidden):
        action_mark_done(actor=city.user("reviewer_b"), action_id=late.pk, done_on=TODAY())
    action_mark_done(actor=reviewer, action_id=late.pk, done_on=TODAY(), note="已确定刑庭内勤为联络员")
    with pytest.raises(Conflict):
        action_mark_done(actor=reviewer, action_id=late.pk, done_on=TODAY())
    assert not overdue_actions(reviewer, on=TODAY()).exists()
    assert FollowUpAction.objects.get(pk=late.pk).done_recorded_by == reviewer


def test_the_pages(client, city, django_assert_max_num_queries):
    sign_in(client, city.user("reviewer_a"))
    created = client.post("/office/meetings/new/", {
        "held_on": TODAY().isoformat(), "place": "中心会议室", "topic": "权利告知衔接", "organs": [city.organ_a.pk],
        "decisions": "公安机关首次讯问时告知\n看守所入所时告知"})
    meeting = Meeting.objects.get()
    assert created.status_code == 302 and created.url == f"/office/meetings/{meeting.pk}/"
    client.post(f"/office/meetings/{meeting.pk}/actions/new/", {
        "description": "制作告知书样式", "owner": f"center:{city.center_a.pk}", "due_on": TODAY().isoformat()})
    action = FollowUpAction.objects.get()
    page = client.get(f"/office/meetings/{meeting.pk}/").content.decode()
    assert "看守所入所时告知" in page and "制作告知书样式" in page and "登记完成" in page
    client.post(f"/office/meetings/actions/{action.pk}/done/", {"done_on": TODAY().isoformat(), "note": "已印发"})
    assert FollowUpAction.objects.get().done_on == TODAY()
    for i in range(3):
        _meeting(city, topic=f"第{i}次会议")
    with django_assert_max_num_queries(12):
        assert client.get("/office/meetings/").status_code == 200
    sign_in(client, city.user("organ_a"))
    page = client.get(f"/office/meetings/{meeting.pk}/").content.decode()
    assert "权利告知衔接" in page and "登记完成" not in page and "添加落实事项" not in page
    assert client.get("/office/meetings/new/").status_code == 404
    sign_in(client, make_user("organ_b", "organ_liaison", organ=city.organ_b))
    assert client.get(f"/office/meetings/{meeting.pk}/").status_code == 404
