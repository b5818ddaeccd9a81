"""Writes of the excellent-lawyer team: admitting a lawyer (dated, with a public profile), editing the profile,
leaving; scheduling a 坐堂 consultation session at a center or station, recording it (who came, how many
consultations, the consultation records made there) or cancelling it. Center staff act for their center; bureaus
read. ``org.Provider.excellent_team`` is kept as the mirror of "has an open membership" by these services only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.consultations.selectors import consultations_visible_to
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Provider, ProviderKind, Station, StationType

from .models import Attendance, Member, Session, SessionStatus
from .selectors import member_get_for_user, open_members_on, session_get_for_user

PROFILE_MIN, PROFILE_MAX = 10, 1000
SCHEDULE_WINDOW_DAYS = 400  # a session is scheduled ahead, or entered afterwards, within about a year
MAX_LAWYERS = 5
# 坐堂 consultation is for the public: not at stations behind a guarded door (custody, prison, police, barracks).
CLOSED_SITES = frozenset({StationType.DETENTION_CENTER, StationType.PRISON, StationType.POLICE, StationType.MILITARY})


def public_stations(center_id: int) -> QuerySet[Station]:
    """The stations of a center where a session may be held."""
    return Station.objects.filter(center_id=center_id, active=True).exclude(type__in=CLOSED_SITES)


def _require_center(actor: User) -> int:
    if actor.role not in CENTER_ROLES or actor.center_id is None:
        raise PermissionDenied("只有法律援助中心工作人员可以管理名优律师团。")
    return actor.center_id


def _profile(text: str) -> str:
    text = (text or "").strip()
    if not PROFILE_MIN <= len(text) <= PROFILE_MAX:
        raise ValidationFailed(f"请填写个人简介（{PROFILE_MIN} 到 {PROFILE_MAX} 字）。", field="profile")
    return text


@atomic_service
def member_admit(*, actor: User, provider_id: int, admitted_on: dt.date, profile: str, note: str = "") -> Member:
    """Admit a lawyer of the actor's center. Dated: re-admission only from the day they left."""
    _require_center(actor)
    provider = Provider.objects.select_for_update().filter(pk=provider_id, home_center_id=actor.center_id).first()
    if provider is None:
        raise ValidationFailed("请选择本中心的法律援助人员。", field="provider_id")
    if provider.kind != ProviderKind.LAWYER or not provider.active:
        raise ValidationFailed("名优律师团只吸收在册的律师。", field="provider_id")
    if admitted_on > timezone.localdate():
        raise ValidationFailed("入团日期不能晚于今天。", field="admitted_on")
    if Member.objects.filter(provider=provider, left_on__isnull=True).exists():
        raise Conflict(f"{provider.name}已是名优律师团成员。")
    last = Member.objects.filter(provider=provider).order_by("-left_on").values_list("left_on", flat=True).first()
    if last is not None and admitted_on < last:
        raise ValidationFailed(f"{provider.name}于{last:%Y-%m-%d}退出，重新入团日期不能早于该日。", field="admitted_on")
    member = Member.objects.create(provider=provider, admitted_on=admitted_on, profile=_profile(profile),
                                   note=(note or "").strip()[:200], admitted_by=actor)
    provider.excellent_team = True
    provider.save(update_fields=["excellent_team"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=member,
                 detail={"provider": provider.pk, "admitted_on": admitted_on.isoformat()})
    return member


@atomic_service
def member_profile_set(*, actor: User, member_id: Any, profile: str) -> Member:
    _require_center(actor)
    member = member_get_for_user(actor, member_id, for_update=True)
    member.profile = _profile(profile)
    member.save(update_fields=["profile"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, detail={"fields": ["profile"]})
    return member


@atomic_service
def member_leave(*, actor: User, member_id: Any, left_on: dt.date, reason: str) -> Member:
    _require_center(actor)
    member = member_get_for_user(actor, member_id, for_update=True)
    if member.left_on is not None:
        raise Conflict("该成员已退出。")
    if not member.admitted_on < left_on <= timezone.localdate():
        raise ValidationFailed("退出日期应晚于入团日期且不晚于今天。", field="left_on")
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 200:
        raise ValidationFailed("请填写退出原因（2 到 200 字）。", field="reason")
    if Attendance.objects.filter(member=member, session__status=SessionStatus.SCHEDULED,
                                 session__held_on__gte=left_on).exists():
        raise Conflict("该成员还有已安排的坐堂咨询，请先调整或取消。")
    Provider.objects.select_for_update().filter(pk=member.provider_id).update(excellent_team=False)
    member.left_on, member.leave_reason = left_on, reason
    member.save(update_fields=["left_on", "leave_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=member,
                 detail={"fields": ["left_on", "leave_reason"], "left_on": left_on.isoformat()})
    return member


@dataclass
class SessionInput:
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    member_ids: list[int]
    station_id: int | None = None
    topic: str = ""


@atomic_service
def session_schedule(*, actor: User, data: SessionInput) -> Session:
    """A session at the actor's center or one of its stations, with one to five team lawyers who are members on
    the day and sit nowhere else that day."""
    center_id = _require_center(actor)
    today = timezone.localdate()
    if abs((data.held_on - today).days) > SCHEDULE_WINDOW_DAYS:
        raise ValidationFailed("坐堂日期应在前后一年之内。", field="held_on")
    if data.ends_at <= data.starts_at:
        raise ValidationFailed("结束时间应晚于开始时间。", field="ends_at")
    station = None
    if data.station_id:
        station = public_stations(center_id).filter(pk=data.station_id).first()
        if station is None:
            raise ValidationFailed("请选择本中心面向群众的工作站（不含看守所、监狱、公安机关、部队工作站），"
                                   "或留空表示在中心举办。", field="station_id")
    ids = list(dict.fromkeys(data.member_ids))
    members = list(open_members_on(data.held_on).filter(pk__in=ids).select_related("provider"))
    if not 1 <= len(ids) <= MAX_LAWYERS or len(members) != len(ids):
        raise ValidationFailed(f"请选择当日在团的名优律师（1 到 {MAX_LAWYERS} 人）。", field="member_ids")
    busy = (Attendance.objects.filter(member__in=members, session__held_on=data.held_on)
            .exclude(session__status=SessionStatus.CANCELLED).select_related("member__provider").first())
    if busy is not None:
        raise Conflict(f"{busy.member.provider.name}当天已安排坐堂。")
    topic = (data.topic or "").strip()
    if len(topic) > 100:
        raise ValidationFailed("主题不能超过 100 字。", field="topic")
    session = Session.objects.create(center_id=center_id, station=station, held_on=data.held_on,
                                     starts_at=data.starts_at, ends_at=data.ends_at, topic=topic,
                                     scheduled_by=actor)
    Attendance.objects.bulk_create([Attendance(session=session, member=m) for m in members])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session,
                 detail={"held_on": data.held_on.isoformat(), "members": [m.pk for m in members],
                         "station": station.pk if station else None})
    return session


@dataclass
class SessionRecord:
    attended_member_ids: list[int]
    consultations_given: int
    summary: str = ""
    consultation_ids: list[int] = field(default_factory=list)


@atomic_service
def session_record(*, actor: User, session_id: Any, data: SessionRecord) -> Session:
    """Record a session held: who of the booked lawyers came (at least one), how many consultations they gave,
    and the consultation records made there (same center, same day; at most as many as given)."""
    _require_center(actor)
    session = session_get_for_user(actor, session_id, for_update=True)
    if session.center_id != actor.center_id:
        raise PermissionDenied("只有举办中心可以登记坐堂情况。")
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict("该坐堂咨询已登记或已取消。")
    if session.held_on > timezone.localdate():
        raise Conflict("坐堂日期未到，不能登记举办情况。")
    booked = {a.member_id: a for a in session.attendances.all()}
    came = set(data.attended_member_ids)
    if not came or not came <= set(booked):
        raise ValidationFailed("请勾选到场的律师（至少一人，须为已安排的律师）。", field="attended_member_ids")
    if not 0 <= data.consultations_given <= 500:
        raise ValidationFailed("解答咨询人次应在 0 到 500 之间。", field="consultations_given")
    ids = set(data.consultation_ids)
    linked = list(consultations_visible_to(actor).filter(
        pk__in=ids, center_id=session.center_id, occurred_at__date=session.held_on)) if ids else []
    if len(linked) != len(ids):
        raise ValidationFailed("只能关联本中心当天的咨询记录。", field="consultation_ids")
    if len(linked) > data.consultations_given:
        raise ValidationFailed("关联的咨询记录多于解答人次。", field="consultations_given")
    summary = (data.summary or "").strip()
    if len(summary) > 2000:
        raise ValidationFailed("情况记录不能超过 2000 字。", field="summary")
    for member_id, attendance in booked.items():
        attendance.attended = member_id in came
    Attendance.objects.bulk_update(list(booked.values()), ["attended"])
    session.status, session.consultations_given, session.summary, session.recorded_by = (
        SessionStatus.HELD, data.consultations_given, summary, actor)
    session.save(update_fields=["status", "consultations_given", "summary", "recorded_by"])
    session.consultations.set(linked)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=session,
                 detail={"fields": ["status", "consultations_given", "summary", "attendances", "consultations"],
                         "attended": sorted(came), "consultations": sorted(ids)})
    return session


def candidate_consultations(actor: User, session: Session) -> Any:
    """The consultation records the session may link: the center's, on the session's day."""
    return (consultations_visible_to(actor).filter(center_id=session.center_id, occurred_at__date=session.held_on)
            .filter(Q(station__isnull=True) | Q(station_id=session.station_id)).order_by("occurred_at")[:100])


@atomic_service
def session_cancel(*, actor: User, session_id: Any, reason: str) -> Session:
    _require_center(actor)
    session = session_get_for_user(actor, session_id, for_update=True)
    if session.center_id != actor.center_id:
        raise PermissionDenied("只有举办中心可以取消坐堂咨询。")
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict("只有已安排的坐堂咨询可以取消。")
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 200:
        raise ValidationFailed("请填写取消原因（2 到 200 字）。", field="reason")
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason
    session.save(update_fields=["status", "cancel_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=session, detail={"fields": ["status", "cancel_reason"]})
    return session
