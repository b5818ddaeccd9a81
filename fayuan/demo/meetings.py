"""Two joint meetings of the home center with the home district's police and court, through the meetings service:
one last month with a follow-up action done and one overdue, one this month with an action still in time. Written
after the replayed past (the audit log's times keep rising). Safe to run again: nothing is added once the home
center has a meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.meetings.models import Meeting
from fayuan.meetings.services import MeetingInput, action_add, action_mark_done, meeting_record


def seed_meetings(users: dict[str, User]) -> int:
    director, police, court = users["demo_director"], users["demo_police"], users["demo_court"]
    if police.organ_id is None or court.organ_id is None or director.center_id is None:
        return 0
    if Meeting.objects.filter(convener_center_id=director.center_id).exists():
        return 0
    today = timezone.localdate()
    first = meeting_record(actor=director, data=MeetingInput(
        held_on=today - dt.timedelta(days=40), place="京口区法律援助中心会议室", topic="通知辩护与羁押人员申请转交衔接",
        organ_ids=[police.organ_id, court.organ_id],
        attendees="中心主任（京口区法律援助中心）\n刑庭庭长（京口区人民法院）\n法制大队大队长（公安京口分局）",
        summary="通报上季度通知辩护、转交申请情况，研究逾期转交问题。",
        decisions=["法院在通知辩护公函中写明羁押场所和承办人联系方式", "公安机关在首次讯问时告知并当场登记",
                   "中心收到通知后三日内指派并回函"]))
    done = action_add(actor=director, meeting_id=first.pk, description="印发统一的通知辩护公函样式",
                      owner=f"center:{director.center_id}", due_on=today - dt.timedelta(days=25))
    action_mark_done(actor=director, action_id=done.pk, done_on=today - dt.timedelta(days=27), note="已印发各机关")
    action_add(actor=director, meeting_id=first.pk, description="确定看守所转交申请联络员",
               owner=f"organ:{police.organ_id}", due_on=today - dt.timedelta(days=10))
    second = meeting_record(actor=director, data=MeetingInput(
        held_on=today - dt.timedelta(days=5), place="京口区人民法院", topic="刑事案件律师辩护全覆盖试点推进",
        organ_ids=[court.organ_id], attendees="中心主任\n刑庭庭长",
        decisions=["审判阶段适用简易程序的案件也通知辩护"]))
    action_add(actor=director, meeting_id=second.pk, description="报送试点案件名单", owner=f"organ:{court.organ_id}",
               due_on=today + dt.timedelta(days=20))
    return 2
