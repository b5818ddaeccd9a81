"""Writes of the typical-case library: drafting a write-up from a closed case, editing, submitting (after the
anonymization check), the city bureau's review, and the monthly reminder. The excellent-case review's writes are in
``services_review``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.cases.models import Case, CaseEvent, ClosingFile, ProgressEntry
from fayuan.cases.selectors import case_get_for_user
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.notifications.services import notification_send
from fayuan.people.models import PersonRegistration

from . import anonymize
from .models import PART_LABELS, ReminderSent, ReviewDecision, Status, TypicalCase, TypicalCaseEvent
from .selectors import CLOSED, COUNTED, district_centers, is_city_bureau, quota_on, typical_case_get_for_user

MAX_TITLE = 120
MAX_PART = 5000
MIN_PART = 20  # a part of a published case says something: not "略"


def _require_center(actor: User) -> None:
    if actor.role not in CENTER_ROLES or actor.center_id is None:
        raise PermissionDenied("只有法律援助中心工作人员可以报送本中心的典型案例。")


def persons_of(case: Case) -> dict[str, str]:
    """The case's known persons' names → the role a write-up calls them by: every name a center registered them
    under, too (the same person may be known by another written form elsewhere)."""
    roles = [(case.applicant, "受援人"), (case.agent, "代理申请人")]
    names: dict[str, str] = {}
    for person, role in roles:
        if person is None:
            continue
        names[person.name] = role
        for other in PersonRegistration.objects.filter(person=person).values_list("name", flat=True):
            names.setdefault(other, role)
    if case.opposing_party.strip():
        names.setdefault(case.opposing_party.strip(), "对方当事人")
    return names


def closed_on(case: Case) -> dt.date | None:
    event = CaseEvent.objects.filter(case=case, to_status__in=CLOSED).exclude(
        from_status__in=CLOSED).order_by("-at").first()
    return timezone.localdate(event.at) if event is not None else None


def _month(period: dt.date) -> dt.date:
    return period.replace(day=1)


def _draft_parts(case: Case, persons: dict[str, str]) -> dict[str, str]:
    def clean(text: str) -> str:
        return anonymize.scrub(text.strip(), persons)

    subject = case.matter_summary.strip() or case.get_case_type_display()
    facts = clean(case.facts) or f"受援人因{subject}纠纷，向{case.center.name}申请法律援助。"
    progress = [clean(p.summary) for p in ProgressEntry.objects.filter(case=case).order_by("occurred_on", "pk")]
    decided = f"{case.center.name}经审查，认为受援人符合法律援助条件，决定给予法律援助，并指派承办人员办理。"
    handling = "\n".join([decided, *[p for p in progress if p]])
    closing = ClosingFile.objects.filter(case=case, accepted=True).order_by("-reviewed_at", "-pk").first()
    result = ""
    if closing is not None:
        parts = (f"办理结果：{closing.get_outcome_display()}。", clean(closing.report))
        result = "\n".join(part for part in parts if part)
    return {"title": f"{subject}法律援助案"[:MAX_TITLE], "facts": facts, "handling": handling, "result": result,
            "significance": ""}


@atomic_service
def typical_case_draft(*, actor: User, case_id: Any, period: dt.date) -> TypicalCase:
    """A draft write-up of one of the center's closed cases for the month ``period``, with the recipient's and the
    parties' names replaced by their roles and ID numbers, phone numbers and addresses taken out."""
    _require_center(actor)
    case = case_get_for_user(actor, case_id)  # an audited read; another center's case is a 404
    if case.status not in CLOSED:
        raise Conflict("只能从已结案的案件中报送典型案例。")
    if TypicalCase.objects.filter(case=case).exists():
        raise Conflict("该案件已撰写过典型案例，不能重复报送。")
    period = _month(period)
    today = timezone.localdate()
    closed = closed_on(case)
    if period > today or period.year < today.year - 1:
        raise ValidationFailed("报送月份应为本年或上一年中已开始的月份。", field="period")
    if closed is not None and period < _month(closed):
        raise ValidationFailed(f"该案件于{closed:%Y年%m月%d日}结案，只能报送到结案当月或以后的月份。", field="period")
    parts = _draft_parts(case, persons_of(case))
    typical = TypicalCase.objects.create(center_id=case.center_id, case=case, period=period,
                                         category=case.case_type, created_by=actor, **parts)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=typical,
                 detail={"fields": ["case", "period", *parts]})
    return typical


def _part(data: dict[str, str], name: str) -> str:
    value = str(data.get(name, "")).strip()
    limit = MAX_TITLE if name == "title" else MAX_PART
    if len(value) > limit:
        raise ValidationFailed(f"{PART_LABELS[name]}不能超过 {limit} 字。", field=name)
    return value


@atomic_service
def typical_case_update(*, actor: User, public_id: Any, data: dict[str, str]) -> TypicalCase:
    """Staff edit a draft or a returned write-up (the anonymization check runs at submission)."""
    _require_center(actor)
    typical = typical_case_get_for_user(actor, public_id, for_update=True)
    if not typical.editable:
        raise Conflict(f"该典型案例{typical.get_status_display()}，不能修改。")
    changed = []
    for name in PART_LABELS:
        if name in data:
            value = _part(data, name)
            if value != getattr(typical, name):
                setattr(typical, name, value)
                changed.append(name)
    if changed:
        typical.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=typical, detail={"fields": changed})
    return typical


def submission_problems(typical: TypicalCase) -> list[str]:
    """Why the write-up cannot be submitted yet (empty: it can): missing parts, then every anonymization finding
    with where it is."""
    problems = []
    if len(typical.title.strip()) < 4:
        problems.append("请填写标题（至少 4 字）。")
    for name in ("facts", "handling", "result", "significance"):
        if len(getattr(typical, name).strip()) < MIN_PART:
            problems.append(f"请填写{PART_LABELS[name]}（至少 {MIN_PART} 字）。")
    case = Case.objects.select_related("applicant", "agent").get(pk=typical.case_id)
    findings = anonymize.check(typical.parts(), persons_of(case))
    return problems + anonymize.describe(findings, PART_LABELS)


@atomic_service
def typical_case_submit(*, actor: User, public_id: Any) -> TypicalCase:
    _require_center(actor)
    typical = typical_case_get_for_user(actor, public_id, for_update=True)
    if not typical.editable:
        raise Conflict(f"该典型案例{typical.get_status_display()}，不能再次报送。")
    problems = submission_problems(typical)
    if problems:
        raise ValidationFailed("未报送：脱敏检查或内容检查未通过。\n" + "\n".join(problems),
                               errors={"": problems})
    if typical.status == Status.DRAFT:  # a resubmission already counts for its month
        quota = quota_on(typical.period)
        counted = TypicalCase.objects.filter(center_id=typical.center_id, period=typical.period,
                                             status__in=COUNTED).count()
        if quota is not None and counted >= quota.maximum:
            raise Conflict(f"本中心{typical.period:%Y年%m月}已报送 {counted} 件，达到每月至多 {quota.maximum} 件的要求"
                           f"（{quota.basis_label}）。")
    now = timezone.now()
    typical.status, typical.submitted_at, typical.submitted_by = Status.SUBMITTED, now, actor
    typical.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    TypicalCaseEvent.objects.create(typical_case=typical, decision=ReviewDecision.SUBMIT, actor=actor, at=now)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=typical, detail={"fields": ["status"], "to": "submitted"})
    return typical


@atomic_service
def typical_case_review(*, actor: User, public_id: Any, accept: bool, comments: str = "") -> TypicalCase:
    """The city bureau accepts a submitted write-up (it is published) or returns it with comments."""
    if not is_city_bureau(actor):
        raise PermissionDenied("典型案例由市司法局审核。")
    typical = typical_case_get_for_user(actor, public_id, for_update=True)
    if typical.status != Status.SUBMITTED:
        raise Conflict(f"该典型案例{typical.get_status_display()}，不在待审核状态。")
    comments = comments.strip()
    if not accept and len(comments) < 4:
        raise ValidationFailed("退回修改时请写明修改意见。", field="comments")
    if len(comments) > 2000:
        raise ValidationFailed("审核意见不能超过 2000 字。", field="comments")
    if accept and submission_problems(typical):  # the check is the gate to publication: run it again
        raise Conflict("该典型案例未通过脱敏检查，不能采用，请退回修改。")
    now = timezone.now()
    typical.status = Status.ACCEPTED if accept else Status.RETURNED
    typical.accepted_at = now if accept else None
    typical.save(update_fields=["status", "accepted_at", "updated_at"])
    TypicalCaseEvent.objects.create(typical_case=typical, comments=comments, actor=actor, at=now,
                                    decision=ReviewDecision.ACCEPT if accept else ReviewDecision.RETURN)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=typical,
                 detail={"fields": ["status"], "to": typical.status})
    if not accept:
        for user in User.objects.filter(center_id=typical.center_id, role__in=CENTER_ROLES, is_active=True):
            notification_send(user=user, title="典型案例被退回修改", body=f"《{typical.title}》：{comments}",
                              link=f"/office/typical-cases/{typical.public_id}/")
    return typical


@atomic_service
def typical_case_remind(*, on: dt.date) -> int:
    """From the quota's reminder day on, each district center that has not reported its minimum for the month is
    reminded once (its center staff, in the inbox). Returns how many centers were reminded."""
    period = _month(on)
    quota = quota_on(period)
    if quota is None or on.day < quota.remind_from_day:
        return 0
    reminded = 0
    for center in district_centers():
        counted = TypicalCase.objects.filter(center=center, period=period, status__in=COUNTED).count()
        if counted >= quota.minimum or ReminderSent.objects.filter(center=center, period=period).exists():
            continue
        ReminderSent.objects.create(center=center, period=period, sent_at=timezone.now())
        for user in User.objects.filter(center=center, role__in=CENTER_ROLES, is_active=True):
            notification_send(user=user, title=f"请报送{period:%Y年%m月}典型案例",
                              body=f"{center.name}本月尚未报送典型案例（每月 {quota.minimum}-{quota.maximum} 件，"
                                   f"{quota.legal_basis}），请于月底前报送。",
                              link="/office/typical-cases/")
        reminded += 1
    return reminded
