"""Writes of joint meetings: recording a meeting with its participants and decisions, adding a follow-up action
and recording it done. Center staff and bureaus write (within their scope); liaisons only read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Center, Organ

from .models import FollowUpAction, Meeting, MeetingDecision
from .selectors import MEETING_WRITERS, action_get_for_user, meeting_get_for_user

MAX_DECISIONS = 30
MAX_DECISION = 1000
MAX_ATTENDEES = 2000
MAX_SUMMARY = 5000


@dataclass
class MeetingInput:
    held_on: dt.date
    place: str
    topic: str
    organ_ids: list[int]
    center_ids: list[int] = field(default_factory=list)
    attendees: str = ""
    summary: str = ""
    decisions: list[str] = field(default_factory=list)


def _require_writer(actor: User) -> None:
    if actor.role not in MEETING_WRITERS or (actor.role in CENTER_ROLES and actor.center_id is None):
        raise PermissionDenied("只有法律援助中心工作人员或司法局可以登记联席会议。")


def _text(value: str, *, label: str, name: str, low: int, high: int) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


@atomic_service
def meeting_record(*, actor: User, data: MeetingInput) -> Meeting:
    """A joint meeting held (not a future one): at least one case-handling organ took part; the convening center
    takes part by definition."""
    _require_writer(actor)
    if data.held_on > timezone.localdate() or data.held_on.year < 2000:
        raise ValidationFailed("召开日期应为已召开会议的日期（不晚于今天）。", field="held_on")
    place = _text(data.place, label="会议地点", name="place", low=2, high=200)
    topic = _text(data.topic, label="会议议题", name="topic", low=2, high=200)
    summary = data.summary.strip()
    attendees = data.attendees.strip()
    if len(summary) > MAX_SUMMARY:
        raise ValidationFailed(f"会议情况不能超过 {MAX_SUMMARY} 字。", field="summary")
    if len(attendees) > MAX_ATTENDEES:
        raise ValidationFailed(f"参会人员不能超过 {MAX_ATTENDEES} 字。", field="attendees")
    organs = list(Organ.objects.filter(pk__in=set(data.organ_ids), active=True))
    if not organs or len(organs) != len(set(data.organ_ids)):
        raise ValidationFailed("请选择参会的办案机关（公安机关、人民检察院、人民法院或看守所，至少一个）。",
                               field="organ_ids")
    center_ids = set(data.center_ids)
    if actor.role in CENTER_ROLES and actor.center_id is not None:
        center_ids.add(actor.center_id)
    centers = list(Center.objects.filter(pk__in=center_ids))
    if len(centers) != len(center_ids):
        raise ValidationFailed("所选法律援助中心不存在。", field="center_ids")
    decisions = [d.strip() for d in data.decisions if d.strip()]
    if len(decisions) > MAX_DECISIONS or any(len(d) > MAX_DECISION for d in decisions):
        raise ValidationFailed(f"议定事项最多 {MAX_DECISIONS} 条，每条不超过 {MAX_DECISION} 字。", field="decisions")
    by_bureau = actor.role == Role.BUREAU_SUPERVISOR
    meeting = Meeting.objects.create(
        held_on=data.held_on, place=place, topic=topic, summary=summary, attendees=attendees,
        convener_center_id=None if by_bureau else actor.center_id, convened_by_bureau=by_bureau,
        convener_district_id=actor.district_id if by_bureau else None, recorded_by=actor)
    meeting.organs.set(organs)
    meeting.centers.set(centers)
    MeetingDecision.objects.bulk_create([MeetingDecision(meeting=meeting, seq=i, text=text)
                                         for i, text in enumerate(decisions, start=1)])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting,
                 detail={"fields": ["held_on", "place", "topic", "organs", "centers", "attendees", "decisions"]})
    return meeting


def _owner(meeting: Meeting, owner: str) -> tuple[Center | None, Organ | None]:
    """``center:<id>`` or ``organ:<id>`` of one of the meeting's participants."""
    kind, _, raw = owner.partition(":")
    if kind == "center" and raw.isdigit():
        center = meeting.centers.filter(pk=int(raw)).first()
        if center is not None:
            return center, None
    if kind == "organ" and raw.isdigit():
        organ = meeting.organs.filter(pk=int(raw)).first()
        if organ is not None:
            return None, organ
    raise ValidationFailed("牵头单位须为参会的中心或办案机关。", field="owner")


@atomic_service
def action_add(*, actor: User, meeting_id: Any, description: str, owner: str, due_on: dt.date) -> FollowUpAction:
    _require_writer(actor)
    meeting = meeting_get_for_user(actor, meeting_id, for_update=True)
    description = _text(description, label="落实事项", name="description", low=2, high=300)
    center, organ = _owner(meeting, owner)
    if due_on < meeting.held_on:
        raise ValidationFailed("完成期限不能早于会议召开日期。", field="due_on")
    action = FollowUpAction.objects.create(meeting=meeting, description=description, owner_center=center,
                                           owner_organ=organ, due_on=due_on, created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=action,
                 detail={"fields": ["meeting", "description", "owner", "due_on"]})
    return action


@atomic_service
def action_mark_done(*, actor: User, action_id: Any, done_on: dt.date, note: str = "") -> FollowUpAction:
    _require_writer(actor)
    action = action_get_for_user(actor, action_id, for_update=True)
    if action.done_on is not None:
        raise Conflict("该事项已登记完成。")
    if done_on > timezone.localdate() or done_on < action.meeting.held_on:
        raise ValidationFailed("完成日期应在会议召开之日至今天之间。", field="done_on")
    note = note.strip()
    if len(note) > 300:
        raise ValidationFailed("完成情况不能超过 300 字。", field="note")
    action.done_on, action.note, action.done_recorded_by = done_on, note, actor
    action.save(update_fields=["done_on", "note", "done_recorded_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=action,
                 detail={"fields": ["done_on", "note", "done_recorded_by"]})
    return action
