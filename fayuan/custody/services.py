"""Every write of the custody app: recording and forwarding a detained person's application (Legal Aid Law
art. 39), and recording that the police told a suspect of the right to apply (plan point 1).

A forwarded application becomes a case through ``case_create`` like every other door (channel custody, criminal,
in custody), waiting at the organ (status at_station) with the 24-hour clock of the shipped rule
``forward-custody-application`` running from the receipt; forwarding is the workflow's ``forward_from_custody``
transition, whose event stops the clock and starts the center's decision clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import Case, Channel, Status
from fayuan.cases.services.creation import case_create
from fayuan.cases.services.intake import ApplicationInput, validate_application
from fayuan.cases.services.organ import MAX_ORGAN_CASE_NUMBER, normalize_organ_case_number
from fayuan.cases.services.transitions import apply_transition
from fayuan.core.audit import audit_record
from fayuan.core.crypto import encrypt_text, lookup_hash
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.deadlines.selectors import deadline_open_started_by
from fayuan.deadlines.services import deadline_set_responsible
from fayuan.eligibility.models import CaseType
from fayuan.org.models import Center, Organ, OrganKind, Provider, Station
from fayuan.people import idnumber
from fayuan.people.services import person_match_or_register, person_register_unidentified

from .linking import later_case, person_for_hash
from .models import Forwarding, NotificationMethod, NotificationOccasion, RightsNotification
from .selectors import forwarding_get_for_user

FORWARDER_ROLES = frozenset({Role.ORGAN_LIAISON, Role.DUTY_LAWYER})
NAME_MAX = 60
# A receipt entered late is still recorded (the breach is then visible); older than this is a typing error.
RECEIVED_AT_MAX_AGE = dt.timedelta(days=366)
# Clocks of the two devices may differ a little; a receipt further in the future is refused.
CLOCK_SLACK = dt.timedelta(minutes=5)
DEFAULT_REQUEST = "在押人员申请法律援助"
# The clock event of an application waiting where it was received (the shipped rule forward-custody-application).
STATION_RECEIVED = "station_received"


@dataclass
class ForwardingInput:
    name: str
    id_number: str = ""
    criminal_ground: str = "none"
    criminal_stage: str = ""
    matter_summary: str = ""  # what they ask for (the charge, the help wanted)
    organ_case_number: str = ""
    facts: str = ""
    received_at: dt.datetime | None = None
    forward_now: bool = True


@dataclass(frozen=True)
class ForwardingBody:
    organ: Organ | None
    provider: Provider | None
    center: Center
    station: Station | None


def forwarding_body(actor: User) -> ForwardingBody:
    """Who forwards, and to which center: an organ's liaison for the organ (to the organ's center); a duty lawyer
    for themselves, from the duty station they sit at (to its center) or else their home center."""
    if actor.role == Role.ORGAN_LIAISON and actor.organ is not None:
        organ = actor.organ
        return ForwardingBody(organ, None, organ.center, organ.station)
    if actor.role == Role.DUTY_LAWYER and actor.provider is not None:
        station = actor.station
        center = station.center if station is not None else actor.provider.home_center
        return ForwardingBody(None, actor.provider, center, station)
    raise PermissionDenied("只有办案机关、监管场所的联络人或值班律师可以登记转交在押人员的申请。")


def _check_received_at(received_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(received_at):
        raise ValidationFailed("收到申请的时间格式不正确。", field="received_at")
    if received_at > now + CLOCK_SLACK:
        raise ValidationFailed("收到申请的时间不能晚于现在。", field="received_at")
    if received_at < now - RECEIVED_AT_MAX_AGE:
        raise ValidationFailed("收到申请的时间早于一年前，请核对。", field="received_at")


def _clean_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise ValidationFailed("请填写申请人姓名。", field="name")
    if len(cleaned) > NAME_MAX:
        raise ValidationFailed(f"姓名不能超过 {NAME_MAX} 个字。", field="name")
    return cleaned


def _clean_case_number(raw: str) -> str:
    number = normalize_organ_case_number(raw)
    if len(number) > MAX_ORGAN_CASE_NUMBER:
        raise ValidationFailed(f"办案机关案号不能超过 {MAX_ORGAN_CASE_NUMBER} 个字。", field="organ_case_number")
    return number


def _parse_id_number(raw: str, today: dt.date) -> idnumber.IdNumber | None:
    if not (raw or "").strip():
        return None
    try:
        return idnumber.parse(raw, today=today)
    except idnumber.InvalidIdNumber as exc:
        raise ValidationFailed(exc.message, field="id_number") from None


@atomic_service
def forwarding_record(*, actor: User, data: ForwardingInput, now: dt.datetime | None = None) -> Forwarding:
    """Record a detained person's application as received (by default now) and, unless told otherwise, forward it
    to the center at once. Every field is checked before anything is written."""
    body = forwarding_body(actor)
    now = now or timezone.now()
    received_at = data.received_at or now
    _check_received_at(received_at, now)
    name = _clean_name(data.name)
    parsed = _parse_id_number(data.id_number, timezone.localdate(now))
    number = _clean_case_number(data.organ_case_number)
    handling_organ = body.organ or (getattr(body.station, "organ", None) if body.station else None)
    application = ApplicationInput(
        applicant_id=None, case_type=CaseType.CRIMINAL, channel=Channel.CUSTODY,
        matter_summary=(data.matter_summary or "").strip() or DEFAULT_REQUEST,
        criminal_ground=data.criminal_ground, criminal_stage=data.criminal_stage, in_custody=True,
        handling_organ=handling_organ.name if handling_organ is not None else "", facts=data.facts or "",
    )
    cleaned = validate_application(application, timezone.localdate(received_at))
    if parsed is not None:
        person, _ = person_match_or_register(actor=actor, name=name, id_number=parsed.value, center=body.center,
                                             source="custody_forwarding")
    else:
        person = person_register_unidentified(actor=actor, name=name, center=body.center,
                                              source="custody_forwarding")
    case = case_create(
        actor=actor, center=body.center, station=body.station, channel=Channel.CUSTODY, applicant=person,
        data=application, cleaned={**cleaned, "organ_case_number": number}, received_at=received_at,
        received_by=actor, status=Status.AT_STATION, clocks=(STATION_RECEIVED,),
        event_payload={"custody": True},
    )
    clock = deadline_open_started_by(case, STATION_RECEIVED)
    if clock is not None:  # the 24 hours are the recorder's to keep: the reminders go to them, not to the center
        deadline_set_responsible(deadline=clock, user=actor, actor=actor)
    forwarding = Forwarding.objects.create(
        organ=body.organ, provider=body.provider, center=body.center, case=case, received_at=received_at,
        due_at=clock.due_at if clock is not None else None, recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=forwarding,
                 detail={"case": str(case.public_id), "forward_now": data.forward_now})
    if data.forward_now:  # a receipt typed a moment ahead of this server's clock is forwarded at its own instant
        _forward(actor=actor, forwarding=forwarding, at=max(now, received_at))
    return forwarding


@atomic_service
def forwarding_forward(*, actor: User, public_id: Any, at: dt.datetime | None = None) -> Forwarding:
    """Forward an application recorded earlier. The forwarding row is reached through the scoped selector (an
    organ forwards its own only); forwarding twice is refused."""
    if actor.role not in FORWARDER_ROLES:
        raise PermissionDenied("您的角色不能转交在押人员的申请。")
    forwarding = forwarding_get_for_user(actor, public_id, for_update=True)
    _forward(actor=actor, forwarding=forwarding, at=at or timezone.now())
    return forwarding


def _forward(*, actor: User, forwarding: Forwarding, at: dt.datetime) -> None:
    if forwarding.forwarded_at is not None:
        raise Conflict(f"该申请已于 {timezone.localtime(forwarding.forwarded_at):%Y-%m-%d %H:%M} 转交中心。")
    if at < forwarding.received_at:
        raise ValidationFailed("转交时间不能早于收到申请的时间。", field="forwarded_at")
    # The case is reached through the forwarding the selector scoped: the organ holds no case scope of its own.
    case = Case.objects.select_for_update().get(pk=forwarding.case_id)
    apply_transition(actor=actor, case=case, action="forward_from_custody", at=at,
                     payload={"forwarding": str(forwarding.public_id)})
    forwarding.refresh_from_db(fields=["forwarded_at"])  # set by this app's subscriber to the case event


@dataclass
class NotificationInput:
    suspect_name: str
    organ_case_number: str
    occasion: str
    method: str
    notified_at: dt.datetime | None = None
    id_number: str = ""
    applied: bool = False


def _police_organ(actor: User) -> Organ:
    organ = actor.organ if actor.role == Role.ORGAN_LIAISON else None
    if organ is None or organ.kind != OrganKind.POLICE:
        raise PermissionDenied("只有公安机关的联络人可以登记权利告知。")
    return organ


@atomic_service
def rights_notification_record(*, actor: User, data: NotificationInput,
                               now: dt.datetime | None = None) -> RightsNotification:
    """The police record that a suspect was told of the right to apply for legal aid, at the first interrogation
    or the first compulsory measure. No ID number is needed; one given is kept only encrypted, hashed and masked."""
    organ = _police_organ(actor)
    now = now or timezone.now()
    notified_at = data.notified_at or now
    if timezone.is_naive(notified_at):
        raise ValidationFailed("告知时间格式不正确。", field="notified_at")
    if notified_at > now + CLOCK_SLACK:
        raise ValidationFailed("告知时间不能晚于现在。", field="notified_at")
    if notified_at < now - RECEIVED_AT_MAX_AGE:
        raise ValidationFailed("告知时间早于一年前，请核对。", field="notified_at")
    name = (data.suspect_name or "").strip()
    if not name:
        raise ValidationFailed("请填写犯罪嫌疑人姓名。", field="suspect_name")
    if len(name) > NAME_MAX:
        raise ValidationFailed(f"姓名不能超过 {NAME_MAX} 个字。", field="suspect_name")
    number = _clean_case_number(data.organ_case_number)
    if not number:
        raise ValidationFailed("请填写办案机关案号。", field="organ_case_number")
    if data.occasion not in NotificationOccasion.values:
        raise ValidationFailed("请选择告知时机（第一次讯问或首次采取强制措施）。", field="occasion")
    if data.method not in NotificationMethod.values:
        raise ValidationFailed("请选择告知方式。", field="method")
    parsed = _parse_id_number(data.id_number, timezone.localdate(now))
    notification = RightsNotification(
        organ=organ, suspect_name=name, organ_case_number=number, occasion=data.occasion, method=data.method,
        notified_at=notified_at, applied=bool(data.applied), recorded_by=actor,
    )
    if parsed is not None:
        notification.id_number_encrypted = encrypt_text(parsed.value)
        notification.id_number_hash = lookup_hash(parsed.value)
        notification.id_number_masked = parsed.masked
        # Entered after the case arrived (a late entry): link it now, as the case's arrival would have.
        notification.person = person_for_hash(notification.id_number_hash)
        if notification.person is not None:
            notification.case = later_case(notification.person, notified_at)
    notification.save(force_insert=True)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notification,
                 detail={"fields": sorted(["suspect_name", "organ_case_number", "occasion", "method", "notified_at",
                                           "applied", *(["id_number"] if parsed else []),
                                           *(["person"] if notification.person_id else []),
                                           *(["case"] if notification.case_id else [])])})
    return notification
