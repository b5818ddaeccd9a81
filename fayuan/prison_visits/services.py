"""Writes of the prison stations: video rooms, booking a video consultation for an inmate, cancelling it, recording
how it went, and recording a lecture held at the prison. The center of the prison's station and the station's clerks
write; bureaus only read.

No lawyer and no room is double-booked. The booking locks the room's row and then the lawyer's (always in that order,
so two bookings cannot wait on each other), looks for an overlapping appointment and refuses with the reason; that
check is the whole guard on SQLite, whose writers queue anyway. On PostgreSQL two exclusion constraints (migration
0002) refuse an overlapping row as well, so a writer that skipped this service could not double-book either; their
refusal is turned into the same message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.crypto import encrypt_text
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Provider

from .models import OCCUPYING, Appointment, AppointmentStatus, Lecture, VideoRoom
from .selectors import PRISON_WRITERS, appointment_get_for_user, prison_get_for_user

BOOKING_WINDOW_DAYS = 366  # a year back (entered from the paper register) and a year ahead
MAX_MINUTES = 240
ROOM_CLASH = "该会见室在此时段已有预约，请另选时段或会见室。"
LAWYER_CLASH = "该律师在此时段已有预约，请另选时段或律师。"
# The exclusion constraints' names (migration 0002): which clash a refused insert was.
CONSTRAINT_MESSAGES = {"prison_appointment_room_no_overlap": ROOM_CLASH,
                       "prison_appointment_lawyer_no_overlap": LAWYER_CLASH}


def _require_writer(actor: User) -> None:
    if actor.role not in PRISON_WRITERS:
        raise PermissionDenied("只有监狱工作站所属中心的工作人员或工作站人员可以办理。")


def _text(value: str, *, label: str, name: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


def mask_inmate_number(number: str) -> str:
    """The first character and the last two, the rest starred: enough to tell two inmates apart on a list."""
    if len(number) <= 3:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 3) + number[-2:]


@atomic_service
def room_add(*, actor: User, station_id: Any, name: str) -> VideoRoom:
    _require_writer(actor)
    station = prison_get_for_user(actor, station_id, for_write=True)
    name = _text(name, label="会见室名称", name="name", low=1, high=60)
    if VideoRoom.objects.filter(station=station, name=name).exists():
        raise Conflict("本工作站已有同名会见室。")
    room = VideoRoom.objects.create(station=station, name=name)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=room, detail={"station": station.pk, "name": name})
    return room


@dataclass
class BookingInput:
    station_id: int
    room_id: int
    provider_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    inmate_name: str
    inmate_number: str
    matter: str


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationFailed("会见时间须带时区。", field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed("结束时间应晚于开始时间。", field="ends_at")
    if ends_at - starts_at > dt.timedelta(minutes=MAX_MINUTES):
        raise ValidationFailed(f"一次会见不超过 {MAX_MINUTES // 60} 小时。", field="ends_at")
    if abs((timezone.localdate(starts_at) - timezone.localdate()).days) > BOOKING_WINDOW_DAYS:
        raise ValidationFailed("会见日期应在前后一年之内。", field="starts_at")


def _clash(**filters: Any) -> bool:
    return Appointment.objects.filter(status__in=OCCUPYING, **filters).exists()


@atomic_service
def appointment_book(*, actor: User, data: BookingInput) -> Appointment:
    """Book a room of the prison and a lawyer for an inmate's video consultation, if both are free then."""
    _require_writer(actor)
    station = prison_get_for_user(actor, data.station_id, for_write=True)
    _check_times(data.starts_at, data.ends_at)
    inmate_name = _text(data.inmate_name, label="服刑人员姓名", name="inmate_name", low=2, high=40)
    number = (data.inmate_number or "").strip().upper()
    if not 3 <= len(number) <= 20 or not number.isascii() or not number.isalnum():
        raise ValidationFailed("请填写服刑人员在监狱的编号（3 到 20 位字母或数字）。", field="inmate_number")
    matter = _text(data.matter, label="咨询事项", name="matter", low=2, high=200)
    # Lock order: the room, then the lawyer (see the module's docstring).
    room = (VideoRoom.objects.select_for_update().filter(pk=data.room_id, station=station, active=True).first()
            if isinstance(data.room_id, int) else None)
    if room is None:
        raise ValidationFailed("请选择本工作站在用的视频会见室。", field="room_id")
    provider = (Provider.objects.select_for_update().filter(pk=data.provider_id, active=True).first()
                if isinstance(data.provider_id, int) else None)
    if provider is None:
        raise ValidationFailed("请选择在册的律师。", field="provider_id")
    window = {"starts_at__lt": data.ends_at, "ends_at__gt": data.starts_at}
    if _clash(room=room, **window):
        raise Conflict(ROOM_CLASH, field="starts_at")
    if _clash(provider=provider, **window):
        raise Conflict(LAWYER_CLASH, field="provider_id")
    try:
        with transaction.atomic():  # a savepoint: the refused insert is undone and the message is ours
            appointment = Appointment.objects.create(
                station=station, room=room, provider=provider, starts_at=data.starts_at, ends_at=data.ends_at,
                inmate_name=inmate_name, inmate_number_encrypted=encrypt_text(number),
                inmate_number_masked=mask_inmate_number(number), matter=matter, booked_by=actor)
    except IntegrityError as exc:
        message = next((m for name, m in CONSTRAINT_MESSAGES.items() if name in str(exc)), None)
        if message is None:
            raise
        raise Conflict(message) from exc
    # The inmate's number is not in the audit detail: the log is read by people who need not know it.
    audit_record(actor=actor, action=AuditAction.CREATE, obj=appointment,
                 detail={"station": station.pk, "room": room.pk, "provider": provider.pk,
                         "starts_at": data.starts_at.isoformat(), "ends_at": data.ends_at.isoformat()})
    return appointment


def _open_for_update(actor: User, appointment_id: Any) -> Appointment:
    _require_writer(actor)
    appointment = appointment_get_for_user(actor, appointment_id, for_update=True)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(f"该预约已{appointment.get_status_display()}，不能再办理。")
    return appointment


@atomic_service
def appointment_cancel(*, actor: User, appointment_id: Any, reason: str) -> Appointment:
    appointment = _open_for_update(actor, appointment_id)
    appointment.cancel_reason = _text(reason, label="取消原因", name="reason", low=2, high=200)
    appointment.status, appointment.closed_by = AppointmentStatus.CANCELLED, actor
    appointment.save(update_fields=["status", "cancel_reason", "closed_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=appointment,
                 detail={"status": appointment.status, "fields": ["cancel_reason"]})
    return appointment


@atomic_service
def appointment_record_outcome(*, actor: User, appointment_id: Any, status: str, outcome: str = "") -> Appointment:
    """Held (with what was advised) or a no-show, once the appointment's time has come."""
    appointment = _open_for_update(actor, appointment_id)
    if status not in (AppointmentStatus.HELD, AppointmentStatus.NO_SHOW):
        raise ValidationFailed("请选择“已会见”或“未到场”。", field="status")
    if appointment.starts_at > timezone.now():
        raise Conflict("会见时间未到，不能登记会见情况。")
    outcome = (outcome or "").strip()
    if status == AppointmentStatus.HELD and len(outcome) < 2:
        raise ValidationFailed("请填写会见情况（解答的问题、提出的建议、是否需要申请法律援助）。", field="outcome")
    if len(outcome) > 2000:
        raise ValidationFailed("会见情况不能超过 2000 字。", field="outcome")
    appointment.status, appointment.outcome, appointment.closed_by = status, outcome, actor
    appointment.save(update_fields=["status", "outcome", "closed_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=appointment,
                 detail={"status": status, "fields": ["outcome"]})
    return appointment


@dataclass
class LectureInput:
    station_id: int
    held_on: dt.date
    topic: str
    speaker: str
    audience: int


@atomic_service
def lecture_record(*, actor: User, data: LectureInput) -> Lecture:
    _require_writer(actor)
    station = prison_get_for_user(actor, data.station_id, for_write=True)
    if data.held_on > timezone.localdate() or data.held_on.year < 2000:
        raise ValidationFailed("讲座日期应为已举办的日期（不晚于今天）。", field="held_on")
    topic = _text(data.topic, label="讲座主题", name="topic", low=2, high=200)
    speaker = _text(data.speaker, label="主讲人", name="speaker", low=2, high=60)
    if not 1 <= data.audience <= 10000:
        raise ValidationFailed("听众人数应在 1 到 10000 之间。", field="audience")
    lecture = Lecture.objects.create(station=station, held_on=data.held_on, topic=topic, speaker=speaker,
                                     audience=data.audience, recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=lecture,
                 detail={"station": station.pk, "held_on": data.held_on.isoformat()})
    return lecture
