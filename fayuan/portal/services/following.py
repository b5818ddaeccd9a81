"""Following a case from the public site: objections (art. 49), asking for another lawyer, stage ratings, messages
from the center, and the applicant's SMS and in-app notice at each step of the case."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case, Objection, ProviderChangeRequest
from fayuan.cases.selectors import can_choose, case_get_for_user, choice_window
from fayuan.cases.services.review import objection_file
from fayuan.cases.services.transitions import record_event
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.notifications.selectors import sms_phone_for
from fayuan.notifications.services import notification_send
from fayuan.notifications.sms import send_sms
from fayuan.notifications.sms_templates import case_step_template

from .. import selectors
from ..models import PortalSubmission, Rating, RatingStage
from ..selectors import HANDLING_STATUSES, OBJECTABLE_STATUSES

log = logging.getLogger(__name__)

MAX_COMMENT = 1000


def case_path(case: Case) -> str:
    return f"/my/cases/{case.public_id}/"


def _office_path(case: Case) -> str:
    return f"/office/cases/{case.public_id}/"


def _center_staff(case: Case) -> list[User]:
    return list(User.objects.filter(center_id=case.center_id, role__in=CENTER_ROLES, is_active=True))


def recipients_for(case: Case) -> list[User]:
    """Every applicant account that follows this case: the online submitter, and linked applicant or agent."""
    ids: set[int] = set()
    submission = PortalSubmission.objects.filter(case=case).values_list("account_id", flat=True).first()
    if submission:
        ids.add(submission)
    for person in (case.applicant, case.agent):
        if person is not None and person.account_id:
            ids.add(person.account_id)
    return list(User.objects.filter(pk__in=ids, is_active=True, role=Role.APPLICANT).order_by("pk"))


@transaction.atomic
def objection_submit(*, account: User, public_id: Any, grounds: str) -> Objection:
    """Object online to a refusal or a termination (art. 49); the bureau decides within 5 days."""
    case = selectors.portal_case_get(account, public_id, audit=False)
    if case.status not in OBJECTABLE_STATUSES:
        raise Conflict("只有不予法律援助或终止法律援助的决定可以提出异议。")
    if len(grounds.strip()) < 4:
        raise ValidationFailed("请写明您不同意的理由。", field="grounds")
    try:
        return objection_file(actor=account, public_id=case.public_id, grounds=grounds[:4000])
    except NotFoundOrForbidden:
        # The case is followed through the online submission only, and the case scope does not include those yet.
        raise Conflict("暂时无法在网上提出异议，请拨打 12348 或到法律援助中心窗口提出。") from None


@transaction.atomic
def provider_change_request(*, account: User, public_id: Any, reason: str) -> ProviderChangeRequest:
    """Ask for another lawyer. The center decides and, if it agrees, changes the provider (case_change_provider)."""
    case = selectors.portal_case_get(account, public_id, for_update=True, audit=False)
    if case.status not in HANDLING_STATUSES:
        raise Conflict("只有已指派律师、尚未办结的案件可以申请更换律师。")
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationFailed("请写明申请更换律师的理由。", field="reason")
    if ProviderChangeRequest.objects.filter(case=case, handled_at__isnull=True).exists():
        raise Conflict("您已申请更换律师，中心正在处理。")
    current = case.assignments.filter(is_active=True).values_list("provider_id", flat=True).first()
    request = ProviderChangeRequest.objects.create(case=case, provider_id=current, reason=reason[:2000],
                                                   requested_by=account, created_at=timezone.now())
    record_event(actor=account, case=case, kind="provider_change_requested", note=reason[:2000],
                 payload={"provider": current})
    audit_record(actor=account, action=AuditAction.CREATE, obj=request, detail={"case": case.pk})
    for user in _center_staff(case):
        notification_send(user=user, title="受援人申请更换律师",
                          body=f"案件 {case.number} 的受援人申请更换承办律师，请审查并处理。", link=_office_path(case))
    return request


@transaction.atomic
def rating_submit(*, account: User, public_id: Any, stage: str, score: Any, comment: str = "") -> Rating:
    """Rate a stage the case has reached, once per stage (plan point 10: stage evaluations)."""
    case = selectors.portal_case_get(account, public_id, audit=False)
    if stage not in RatingStage.values:
        raise ValidationFailed("请选择评价的阶段。", field="stage")
    if stage not in selectors.stages_reached(case):
        raise Conflict("这一阶段还没有完成，暂时不能评价。")
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationFailed("请选择 1 到 5 分。", field="score")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(f"意见请不要超过 {MAX_COMMENT} 字。", field="comment")
    provider = None
    if stage in (RatingStage.HANDLING, RatingStage.CLOSING):
        provider = selectors.current_provider(case) or case.provider
    try:
        with transaction.atomic():
            rating = Rating.objects.create(case=case, stage=stage, score=value, comment=comment, provider=provider,
                                           by=account, created_at=timezone.now())
    except IntegrityError:
        raise Conflict("您已经评价过这一阶段，谢谢！") from None
    audit_record(actor=account, action=AuditAction.CREATE, obj=rating, detail={"stage": stage, "score": value})
    # Quality (a floor below) keeps the stage evaluations: it learns of the rating from the event, never imports us.
    events.publish(events.Event(name="rating.submit", subject=rating, at=rating.created_at, actor=account, payload={
        "case_id": case.pk, "rating_id": rating.pk, "stage": stage, "score": value, "comment": comment,
        "provider_id": provider.pk if provider is not None else None}))
    if value <= 2:
        for user in _center_staff(case):
            notification_send(user=user, title="受援人评价较低",
                              body=f"案件 {case.number} 的受援人对“{RatingStage(stage).label}”阶段评分 {value} 分，"
                                   "请关注。", link=_office_path(case))
    return rating


def _sms(user_ids: list[int], template: str, params: dict[str, str]) -> None:
    for user in User.objects.filter(pk__in=user_ids):
        phone = sms_phone_for(user)
        if phone:
            send_sms(phone, template=template, params=params)


@transaction.atomic
def applicant_message_send(*, actor: User, public_id: Any, title: str, body: str) -> int:
    """A message from the center to the applicant: in-app, plus an SMS saying there is one (no content by SMS)."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("只有法律援助中心可以给申请人发消息。")
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationFailed("请填写消息标题和内容。", field="body" if title else "title")
    case = case_get_for_user(actor, public_id, audit=False)
    recipients = recipients_for(case)
    for user in recipients:
        notification_send(user=user, title=title[:120], body=body, link=case_path(case))
    record_event(actor=actor, case=case, kind="center_message", note=f"{title}\n{body}")
    # The messages are queued with the event (and sent after commit).
    _sms([u.pk for u in recipients], "center_message", {"number": case.number})
    return len(recipients)


CHOICE_TEXT = "请在 {due} 前登录网站选择律师，逾期由中心指派。"

# What the applicant is told at each step (case transitions by action name, and hearings). SMS texts carry the case
# number only: no names, no facts. The SMS templates (``notifications.sms_templates``) hold the same words, as
# registered with the provider; a test keeps the two equal.
APPLICANT_MESSAGES: dict[str, tuple[str, str]] = {
    "forward": ("申请已转交中心", "您的法律援助申请（{number}）已转交法律援助中心审查。"),
    "start_review": ("申请审查中", "您的法律援助申请（{number}）已开始审查。"),
    "request_supplement": ("需要补充材料", "您的法律援助申请（{number}）需要补充材料，请登录查看需补充的材料和期限。"),
    "receive_supplement": ("已收到补充材料", "已收到您补充的材料（{number}），继续审查。"),
    "expire_supplement": ("申请视为撤回", "您的申请（{number}）未在期限内补充材料，视为撤回。"),
    "withdraw": ("申请已撤回", "您的法律援助申请（{number}）已撤回。"),
    "grant": ("决定给予法律援助", "您的申请（{number}）已决定给予法律援助。{choice}"),
    "provide_aid_first": ("先行提供法律援助", "您的申请（{number}）决定先行提供法律援助。{choice}"),
    "refuse": ("决定不给予法律援助", "您的申请（{number}）决定不给予法律援助，理由请登录查看；如有异议可在网上提出。"),
    "assign": ("已指派律师", "您的案件（{number}）已指派律师，请登录查看律师联系方式。"),
    "change_provider": ("已更换律师", "您的案件（{number}）已更换律师，请登录查看新律师的联系方式。"),
    "decline": ("将重新指派律师", "原指派的律师不能承办您的案件（{number}），中心将重新指派。"),
    "sign_agreement": ("已签订委托协议", "您的案件（{number}）已与律师签订委托协议。"),
    "accept_closing": ("案件已办结", "您的案件（{number}）已办结，欢迎登录网站对服务作出评价。"),
    "terminate": ("终止法律援助", "您的案件（{number}）决定终止法律援助，理由请登录查看；如有异议可在网上提出。"),
    "object": ("已收到异议", "您对案件（{number}）提出的异议已收到，市司法局将在 5 日内审查。"),
    "uphold_refusal": ("异议审查结果", "您的异议（{number}）审查结果：维持原决定。请登录查看审查意见。"),
    "uphold_termination": ("异议审查结果", "您的异议（{number}）审查结果：维持原决定。请登录查看审查意见。"),
    "overturn_refusal": ("异议审查结果", "您的异议（{number}）成立，决定给予法律援助。{choice}"),
    "overturn_termination": ("异议审查结果", "您的异议（{number}）成立，恢复法律援助。{choice}"),
    "progress_hearing": ("开庭安排", "您的案件（{number}）有开庭安排，请登录查看时间和地点。"),
}


def notify_applicant(case_id: int, action: str) -> None:
    """Tell the applicant (in-app and by SMS) what just happened. Runs after commit (``subscribers.py``); a failure
    is logged, never raised."""
    try:
        case = Case.objects.select_related("applicant", "agent", "center").filter(pk=case_id).first()
        if case is None:
            return
        if action not in APPLICANT_MESSAGES:
            return
        recipients = recipients_for(case)
        if not recipients:
            return
        choice, params = "", {"number": case.number}
        if "{choice}" in APPLICANT_MESSAGES[action][1] and can_choose(case):
            window = choice_window(case)
            if window is not None:
                params["due"] = f"{window.due_on:%m月%d日}"
                choice = CHOICE_TEXT.format(due=params["due"])
        title, text = APPLICANT_MESSAGES[action]
        text = text.format(number=case.number, choice=choice)
        template = case_step_template(action, choose="due" in params)  # the same words, approved by the provider
        for user in recipients:
            notification_send(user=user, title=title, body=text, link=case_path(case))
            phone = sms_phone_for(user)
            if phone:
                send_sms(phone, template=template, params=params)
    except Exception:
        log.exception("applicant notification failed (case %s, action %s)", case_id, action)
