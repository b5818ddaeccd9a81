"""Every write of complaints: recording one (staff for a caller, or the recipient online), telling the provider
the points to answer and their answer, the bureau's decision with its measures, and telling the complainant.

Art. 55: the recipient may complain to the justice bureau (司法行政部门) when the center or the provider did not
perform their duties. Art. 56: the bureau accepts, investigates and handles it and tells the complainant the result
in time. So the bureau that set up the case's center decides (as for objections, ``cases.services.review``); a
center takes complaints in at its counter and on the phone and sees its own. Deadlines run on the deadlines app's
clocks (``complaint_received`` → ``complaint_decided`` → ``complainant_informed``; rule rows in migration 0002)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case, ProviderChangeRequest
from fayuan.cases.selectors import case_get_for_user, cases_visible_to
from fayuan.cases.services.review import bureau_may_decide, objection_bureau
from fayuan.core import bounds
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.deadlines.services import deadline_start, deadline_stop
from fayuan.notifications.selectors import sms_phone_for
from fayuan.notifications.services import notification_send
from fayuan.notifications.sms import send_sms

from .models import Category, Channel, ComplainantKind, Complaint, InformMethod, Measure, Outcome, Status
from .selectors import COMPLAINT_RECORDERS, complaint_get_for_user

RECEIVED, DECIDED, INFORMED = "complaint_received", "complaint_decided", "complainant_informed"
FACTS_MAX = 2000
TEXT_MAX = bounds.FACTS_MAX
SMS_SIGNATURE = "【镇江法援】"
# Told by a person (the online complainant is told in the portal and by SMS, automatically).
MANUAL_INFORM = (InformMethod.PHONE, InformMethod.LETTER, InformMethod.IN_PERSON, InformMethod.SMS)


@dataclass
class ComplaintInput:
    case_number: str
    provider_id: int
    channel: str
    complainant_kind: str
    complainant_name: str
    category: str
    facts: str
    phone: str = ""
    received_on: dt.date | None = None


def _office_path(complaint: Complaint) -> str:
    return f"/office/complaints/{complaint.public_id}/"


def _handlers(complaint: Complaint) -> list[User]:
    """The bureau that decides it and the center's staff: told of a new complaint."""
    district, _name = objection_bureau(complaint.case)
    bureau = User.objects.filter(role=Role.BUREAU_SUPERVISOR, is_active=True, district=district)
    center = User.objects.filter(role__in=CENTER_ROLES, is_active=True, center_id=complaint.center_id)
    return list(bureau) + list(center)


def _text(value: str, *, label: str, name: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


def _open(complaint: Complaint, *, actor: User, at: dt.datetime) -> Complaint:
    complaint.save(force_insert=True)
    deadline_start(subject=complaint, event=RECEIVED, on=timezone.localdate(at), at=at, center=complaint.center,
                   reference=complaint.reference, actor=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=complaint,
                 detail={"case": complaint.case_id, "provider": complaint.provider_id, "channel": complaint.channel,
                         "category": complaint.category})
    for user in _handlers(complaint):
        notification_send(user=user, title="收到对法律援助人员的投诉",
                          body=f"案件 {complaint.case.number} 收到{complaint.reference}，请依法受理和调查处理。",
                          link=_office_path(complaint))
    return complaint


def _providers_of(case: Case) -> set[int]:
    return set(case.assignments.values_list("provider_id", flat=True))


@atomic_service
def complaint_record(*, actor: User, data: ComplaintInput) -> Complaint:
    """A complaint taken by the center or the bureau for a caller (phone, visit, letter). Every problem at once
    would need a form; the first is reported with its field."""
    if actor.role not in COMPLAINT_RECORDERS:
        raise PermissionDenied("只有法律援助中心工作人员或司法局可以登记投诉。")
    number = (data.case_number or "").strip()
    case = cases_visible_to(actor).select_related("center").filter(number=number).first() if number else None
    if case is None:
        raise ValidationFailed("未找到该受理编号的案件，或该案件不在您的范围内。", field="case_number")
    if data.provider_id not in _providers_of(case):
        raise ValidationFailed("被投诉人员须为该案件指派过的承办人员。", field="provider_id")
    if data.channel not in Channel.values or data.channel == Channel.ONLINE:
        raise ValidationFailed("请选择投诉方式（电话、来访或来信）。", field="channel")
    if data.complainant_kind not in ComplainantKind.values:
        raise ValidationFailed("请选择投诉人与受援人的关系。", field="complainant_kind")
    if data.category not in Category.values:
        raise ValidationFailed("请选择投诉事项类别。", field="category")
    name = _text(data.complainant_name, label="投诉人姓名", name="complainant_name", low=1, high=40)
    facts = _text(data.facts, label="投诉事实与请求", name="facts", low=4, high=FACTS_MAX)
    phone = (data.phone or "").strip()
    if phone and not re.fullmatch(bounds.PHONE_PATTERN, phone):
        raise ValidationFailed("联系电话格式不正确。", field="phone")
    now = timezone.now()
    received_on = data.received_on or timezone.localdate(now)
    if received_on > timezone.localdate(now) or received_on < timezone.localdate(case.received_at):
        raise ValidationFailed("收到投诉日期应在案件受理之日至今天之间。", field="received_on")
    at = now if received_on == timezone.localdate(now) else timezone.make_aware(
        dt.datetime.combine(received_on, dt.time(9, 0)))
    complaint = Complaint(case=case, center=case.center, provider_id=data.provider_id, channel=data.channel,
                          complainant_kind=data.complainant_kind, complainant_name=name, category=data.category,
                          facts=facts, received_at=at, received_by=actor)
    complaint.phone = phone
    return _open(complaint, actor=actor, at=at)


@atomic_service
def complaint_submit_online(*, account: User, public_id: Any, category: str, facts: str,
                            change_request: ProviderChangeRequest | None = None) -> Complaint:
    """The signed-in recipient (or agent) complains about their case's provider on the public site (art. 55)."""
    if account.role != Role.APPLICANT:
        raise PermissionDenied("请以申请人身份登录后投诉。")
    case = case_get_for_user(account, public_id, audit=False, for_update=True)
    if case.provider_id is None:
        raise Conflict("该案件尚未指派承办人员，暂不能投诉承办人员；如对中心有意见，请拨打 12348。")
    if category not in Category.values:
        raise ValidationFailed("请选择投诉事项类别。", field="category")
    facts = _text(facts, label="投诉的事实和请求", name="facts", low=4, high=FACTS_MAX)
    if Complaint.objects.filter(case=case, complainant_account=account, status=Status.RECEIVED).exists():
        raise Conflict("您对本案的投诉正在处理中，处理后会告知您结果。")
    if change_request is not None and change_request.case_id != case.pk:
        raise ValidationFailed("更换承办人员申请不属于本案。")
    agent = case.agent is not None and case.agent.account_id == account.pk
    person = case.agent if agent else case.applicant
    now = timezone.now()
    complaint = Complaint(
        case=case, center=case.center, provider_id=case.provider_id, channel=Channel.ONLINE,
        complainant_kind=ComplainantKind.AGENT if agent else ComplainantKind.RECIPIENT,
        complainant_name=person.name if person is not None else "", complainant_account=account,
        category=category, facts=facts, change_request=change_request, received_at=now, received_by=account)
    return _open(complaint, actor=account, at=now)


def _require_handler(actor: User) -> None:
    if actor.role not in COMPLAINT_RECORDERS:
        raise PermissionDenied("只有法律援助中心工作人员或司法局可以处理投诉。")


@atomic_service
def complaint_notify_provider(*, actor: User, public_id: Any, points: str) -> Complaint:
    """Tell the provider what is alleged so they can answer: the handler writes the points (no complainant)."""
    _require_handler(actor)
    complaint = complaint_get_for_user(actor, public_id, for_update=True)
    if complaint.status != Status.RECEIVED:
        raise Conflict("该投诉已处理完毕。")
    complaint.points_for_provider = _text(points, label="投诉要点", name="points", low=4, high=TEXT_MAX)
    complaint.provider_notified_at = timezone.now()
    complaint.save(update_fields=["points_for_provider", "provider_notified_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=complaint,
                 detail={"fields": ["points_for_provider", "provider_notified_at"]})
    for user in User.objects.filter(provider_id=complaint.provider_id, is_active=True):
        notification_send(user=user, title="请就投诉作出说明",
                          body=f"案件 {complaint.case.number} 有一件关于您的投诉（{complaint.reference}），"
                               "请查看投诉要点并提交说明。", link=_office_path(complaint))
    return complaint


@atomic_service
def complaint_provider_respond(*, actor: User, public_id: Any, response: str) -> Complaint:
    complaint = complaint_get_for_user(actor, public_id, for_update=True)
    if actor.provider_id is None or complaint.provider_id != actor.provider_id:
        raise PermissionDenied("只有被投诉的承办人员可以提交说明。")
    if complaint.status != Status.RECEIVED:
        raise Conflict("该投诉已处理完毕，不能再提交说明。")
    complaint.provider_response = _text(response, label="说明", name="response", low=4, high=TEXT_MAX)
    complaint.provider_responded_at = timezone.now()
    complaint.save(update_fields=["provider_response", "provider_responded_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=complaint,
                 detail={"fields": ["provider_response", "provider_responded_at"]})
    return complaint


def _inform(complaint: Complaint, *, actor: User | None, method: str, at: dt.datetime) -> None:
    complaint.status, complaint.informed_at, complaint.inform_method = Status.INFORMED, at, method
    complaint.informed_by = actor if actor is not None and actor.role != Role.APPLICANT else None
    complaint.save(update_fields=["status", "informed_at", "inform_method", "informed_by"])
    deadline_stop(subject=complaint, event=INFORMED, at=at, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=complaint,
                 detail={"fields": ["status", "informed_at", "inform_method"], "method": method})


def _tell_complainant(complaint: Complaint, *, actor: User) -> None:
    """Art. 56: tell the complainant the result in time. An online complainant is told in the portal (and by SMS
    that there is news); a caller who left a phone number by SMS. Anyone else is told by a person (recorded)."""
    outcome = complaint.get_outcome_display()
    text = (f"{SMS_SIGNATURE}您对法律援助人员的投诉（{complaint.reference}，案件 {complaint.case.number}）已处理完毕，"
            f"处理结果：{outcome}。")
    params = {"reference": complaint.reference, "number": complaint.case.number, "outcome": outcome}
    if complaint.complainant_account_id is not None:
        notification_send(user=complaint.complainant_account, title="投诉处理结果",  # type: ignore[arg-type]
                          body=f"{text.removeprefix(SMS_SIGNATURE)}处理意见：{complaint.findings}",
                          link=f"/my/cases/{complaint.case.public_id}/")
        phone = sms_phone_for(complaint.complainant_account)  # type: ignore[arg-type]
        if phone:
            send_sms(phone, template="complaint_result_online", params=params)
        _inform(complaint, actor=actor, method=InformMethod.IN_APP, at=timezone.now())
    elif complaint.phone:
        send_sms(complaint.phone, template="complaint_result_phone", params=params)
        _inform(complaint, actor=actor, method=InformMethod.SMS, at=timezone.now())


@atomic_service
def complaint_decide(*, actor: User, public_id: Any, outcome: str, findings: str,
                     measures: list[str] | None = None) -> Complaint:
    """The bureau that set up the case's center decides (art. 56), with the measures taken; the complainant is told
    at once where the system can reach them, otherwise the inform clock runs until staff record it."""
    complaint = complaint_get_for_user(actor, public_id, for_update=True)
    if not bureau_may_decide(actor, complaint.case):
        _district, name = objection_bureau(complaint.case)
        raise PermissionDenied(f"投诉由{name}调查处理（法律援助法第五十五条、第五十六条）。")
    if complaint.status != Status.RECEIVED:
        raise Conflict("该投诉已作出处理。")
    if outcome not in Outcome.values:
        raise ValidationFailed("请选择处理结果。", field="outcome")
    chosen = list(dict.fromkeys(measures or []))
    if any(m not in Measure.values for m in chosen):
        raise ValidationFailed("措施不在可选范围内。", field="measures")
    if outcome != Outcome.UNSUBSTANTIATED and not chosen:
        raise ValidationFailed("投诉成立或部分成立的，请选择采取的措施。", field="measures")
    findings = _text(findings, label="调查情况与处理意见", name="findings", low=4, high=TEXT_MAX)
    now = timezone.now()
    complaint.status, complaint.outcome, complaint.findings, complaint.measures = (
        Status.DECIDED, outcome, findings, chosen)
    complaint.decided_at, complaint.decided_by = now, actor
    complaint.save(update_fields=["status", "outcome", "findings", "measures", "decided_at", "decided_by"])
    deadline_stop(subject=complaint, event=DECIDED, at=now, actor=actor)
    deadline_start(subject=complaint, event=DECIDED, on=timezone.localdate(now), at=now, center=complaint.center,
                   reference=complaint.reference, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=complaint,
                 detail={"fields": ["status", "outcome", "findings", "measures"], "outcome": outcome})
    if complaint.provider_notified_at is not None:
        for user in User.objects.filter(provider_id=complaint.provider_id, is_active=True):
            notification_send(user=user, title="投诉处理结果",
                              body=f"{complaint.reference}（案件 {complaint.case.number}）："
                                   f"{complaint.get_outcome_display()}。",
                              link=_office_path(complaint))
    _tell_complainant(complaint, actor=actor)
    return complaint


@atomic_service
def complaint_record_informed(*, actor: User, public_id: Any, method: str, on: dt.date | None = None) -> Complaint:
    """Staff record that they told the complainant the result (by phone, letter, in person)."""
    _require_handler(actor)
    complaint = complaint_get_for_user(actor, public_id, for_update=True)
    if complaint.status != Status.DECIDED:
        raise Conflict("该投诉尚未作出处理，或已告知投诉人。")
    if method not in MANUAL_INFORM:
        raise ValidationFailed("请选择告知方式。", field="method")
    now = timezone.now()
    day = on or timezone.localdate(now)
    if day > timezone.localdate(now) or complaint.decided_at is None or day < timezone.localdate(complaint.decided_at):
        raise ValidationFailed("告知日期应在处理之日至今天之间。", field="on")
    at = now if day == timezone.localdate(now) else timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))
    _inform(complaint, actor=actor, method=method, at=at)
    return complaint
