"""Receiving an application, forwarding it from a station, and the one supplement request (art. 43)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import INTAKE_ROLES, Role
from fayuan.consultations.selectors import consultations_visible_to
from fayuan.core import bounds
from fayuan.core.crypto import lookup_hash
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.transactions import atomic_service
from fayuan.deadlines import events as deadline_events
from fayuan.deadlines import services as deadlines
from fayuan.deadlines.selectors import deadline_open_started_by
from fayuan.eligibility import engine
from fayuan.eligibility.models import CaseType, CriminalGround, Matter
from fayuan.people import idnumber
from fayuan.people.selectors import person_get_for_user

from ..models import (
    AgentRelationship,
    Case,
    Channel,
    CriminalStage,
    DocumentKind,
    IncomeSource,
    Status,
    SupplementRequest,
)
from ..selectors import case_get_for_user
from .creation import case_create
from .documents import document_issue
from .transitions import apply_transition

MAX_HOUSEHOLD = bounds.HOUSEHOLD_MAX
MAX_MONTHLY_INCOME = bounds.MONTHLY_INCOME_MAX
TEXT_LIMITS = (("matter_summary", bounds.MATTER_SUMMARY_MAX, "案由"),
               ("opposing_party", bounds.OPPOSING_PARTY_MAX, "对方当事人"),
               ("handling_organ", bounds.HANDLING_ORGAN_MAX, "办案机关"), ("facts", bounds.FACTS_MAX, "案情"))


@dataclass
class ApplicationInput:
    applicant_id: Any
    case_type: str
    matter_summary: str
    channel: str = Channel.COUNTER
    matter: str = ""
    criminal_ground: str = ""
    criminal_stage: str = ""
    in_custody: bool = False
    agent_id: Any = None
    agent_relationship: str = ""
    opposing_party: str = ""
    opposing_party_id_number: str = ""
    handling_organ: str = ""
    facts: str = ""
    household_size: int = 1
    household_monthly_income: Decimal | str = Decimal("0")
    income_source: str = IncomeSource.SELF_DECLARED
    groups: list[str] = field(default_factory=list)
    special_facts: list[str] = field(default_factory=list)
    consultation_id: Any = None  # the consultation that led to this application, if any


def validate_application(data: ApplicationInput, on: dt.date) -> dict[str, Any]:
    """Check every field; collect all problems so the clerk can fix them in one go. Every intake path (counter,
    station, online) calls this, so an application is judged the same however it arrives."""
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.case_type not in CaseType.values:
        bad("case_type", "请选择案件类型。")
    if data.channel not in Channel.values:
        bad("channel", "请选择申请渠道。")
    if not (data.matter_summary or "").strip():
        bad("matter_summary", "请填写案由（如：追索劳动报酬）。")
    for name, limit, label in TEXT_LIMITS:
        if len((getattr(data, name) or "").strip()) > limit:
            bad(name, f"{label}不能超过 {limit} 个字。")
    if data.case_type == CaseType.CRIMINAL:
        grounds = set(CriminalGround.objects.in_force_on(on).values_list("code", flat=True))
        if data.criminal_ground not in grounds:
            bad("criminal_ground", "请选择刑事案件的援助情形（经济困难申请请选“因经济困难没有委托辩护人”）。")
        if data.criminal_stage not in CriminalStage.values:
            bad("criminal_stage", "请选择诉讼阶段。")
    elif data.case_type in CaseType.values:
        matters = set(Matter.objects.in_force_on(on).values_list("code", flat=True))
        if data.matter and data.matter not in matters and data.matter != "other":
            bad("matter", "申请事项不在目录中；如不属于目录事项，请选择“其他”，由中心审查后决定。")
        if not data.matter:
            bad("matter", "请选择申请事项。")
    try:
        size = int(data.household_size)
        if not 1 <= size <= MAX_HOUSEHOLD:
            raise ValueError
    except (TypeError, ValueError):
        bad("household_size", f"家庭人口应为不少于 1 的整数（最多 {MAX_HOUSEHOLD} 人）。")
        size = 1
    try:
        income = Decimal(str(data.household_monthly_income)).quantize(Decimal("0.01"))
        if not income.is_finite() or income < 0 or income > MAX_MONTHLY_INCOME:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        bad("household_monthly_income", "家庭月收入应为不小于 0 的金额（元），请核对。")
        income = Decimal("0")
    if data.income_source not in IncomeSource.values:
        bad("income_source", "请选择收入核查方式。")
    unknown_groups = set(data.groups) - set(engine.GROUPS)
    if unknown_groups:
        bad("groups", f"未知的人群：{'、'.join(sorted(unknown_groups))}")
    unknown_facts = set(data.special_facts) - set(engine.FACTS)
    if unknown_facts:
        bad("special_facts", f"未知的特殊情形：{'、'.join(sorted(unknown_facts))}")
    if data.agent_id and data.agent_relationship not in AgentRelationship.values:
        bad("agent_relationship", "代为申请的，请选择与申请人的关系（法定代理人或近亲属）。")
    opposing_hash = ""
    if data.opposing_party_id_number.strip():
        try:
            opposing_hash = lookup_hash(idnumber.parse(data.opposing_party_id_number).value)
        except idnumber.InvalidIdNumber as exc:
            bad("opposing_party_id_number", exc.message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)
    return {"household_size": size, "household_monthly_income": income, "opposing_party_id_hash": opposing_hash}


@atomic_service
def case_receive(*, actor: User, data: ApplicationInput, received_at: dt.datetime | None = None) -> Case:
    """Record an application at a center counter or a station. The decision clock starts at the center."""
    if actor.role not in INTAKE_ROLES:
        raise PermissionDenied("您的角色不能受理申请。")
    received_at = received_at or timezone.now()
    cleaned = validate_application(data, timezone.localdate(received_at))
    applicant = person_get_for_user(actor, data.applicant_id, audit=False)
    agent = person_get_for_user(actor, data.agent_id, audit=False) if data.agent_id else None
    at_station = actor.role == Role.STATION_CLERK
    station = actor.station if at_station else None
    center = station.center if station is not None else actor.center
    if center is None:  # excluded by the User constraints for these roles
        raise PermissionDenied("您的账户未关联中心或工作站。")
    case = case_create(
        actor=actor, center=center, station=station, applicant=applicant, agent=agent,
        agent_relationship=data.agent_relationship, data=data, cleaned=cleaned, received_at=received_at,
        received_by=actor, channel=Channel.STATION if at_station and data.channel == Channel.COUNTER else data.channel,
        status=Status.AT_STATION if at_station else Status.RECEIVED,
        clocks=("station_received",) if at_station else ("application_received",),
    )
    if data.consultation_id:
        _link_consultation(actor, data.consultation_id, case)
    return case


def _link_consultation(actor: User, consultation_id: Any, case: Case) -> None:
    """Consultation → application is the funnel the bureau counts: link the two once."""
    consultation = (consultations_visible_to(actor).filter(public_id=consultation_id)
                    .select_for_update(of=("self",)).first())
    if consultation is None:
        raise NotFoundOrForbidden("未找到该咨询记录，或您无权查看。")
    if consultation.case_id is not None:
        raise Conflict("该咨询已转为另一件申请。", field="consultation_id")
    consultation.case, consultation.referred_to_application = case, True
    consultation.save(update_fields=["case", "referred_to_application"])


@atomic_service
def case_start_review(*, actor: User, public_id: Any) -> Case:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    apply_transition(actor=actor, case=case, action="start_review")
    return case


@atomic_service
def case_forward(*, actor: User, public_id: Any) -> Case:
    """A station hands the application to its center; the forwarding time is recorded."""
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    apply_transition(actor=actor, case=case, action="forward")
    return case


def supplement_default_due(*, on: dt.date, custody: bool = False, green_channel: bool = False) -> dt.date | None:
    """The supplement period's last day by the rule in force (the same row and holiday roll-over as the clock)."""
    preview = deadlines.deadline_preview(event=deadline_events.SUPPLEMENT_REQUESTED, on=on, custody=custody,
                                         track="green_channel" if green_channel else "standard")
    return preview[0][1] if preview else None


@atomic_service
def supplement_request(*, actor: User, public_id: Any, items: Iterable[str], note: str = "",
                       due_on: dt.date | None = None) -> SupplementRequest:
    """The one request for missing materials, listing everything at once (art. 43: 一次性告知).

    The last day is the supplement rule's (counted like the clock staff see), or the day the center writes in its
    notice; either way the clock, the notice and the automatic withdrawal use the same day. The decision clock stops
    meanwhile (the time the applicant takes to supplement is not counted)."""
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    wanted = [i.strip() for i in items if i and i.strip()]
    if not wanted:
        raise ValidationFailed("请逐项列出需要补充的全部材料。", field="items")
    if SupplementRequest.objects.filter(case=case).exists():
        raise Conflict("补充材料只能一次性告知，本案已发出过补充材料通知。")
    now = timezone.now()
    today = timezone.localdate(now)
    if due_on is not None and due_on <= today:
        raise ValidationFailed("补充期限应晚于今天。", field="due_on")
    if due_on is not None:
        due, _ = deadlines.last_day_on_calendar(due_on, custody=case.in_custody)
    else:
        default = supplement_default_due(on=today, custody=case.in_custody, green_channel=case.green_channel)
        if default is None:
            raise ValidationFailed("当日没有现行的补充材料期限规则，请填写补充期限。", field="due_on")
        due = default
    request = SupplementRequest.objects.create(case=case, items=wanted, note=note.strip(), requested_at=now,
                                               due_on=due, requested_by=actor)
    apply_transition(actor=actor, case=case, action="request_supplement", at=now,
                     payload={"items": wanted, "due_on": due.isoformat()})
    clock = deadline_open_started_by(case, deadline_events.SUPPLEMENT_REQUESTED)
    if clock is not None and clock.due_on != due:
        deadlines.deadline_set_due(deadline=clock, due_on=due, reason="补充材料通知书载明的期限", actor=actor)
    document_issue(actor=actor, case=case, kind=DocumentKind.SUPPLEMENT_NOTICE)
    return request


@atomic_service
def supplement_receive(*, actor: User, public_id: Any, note: str = "") -> Case:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="receive_supplement", at=now, note=note)
    SupplementRequest.objects.filter(case=case).update(fulfilled_at=now)
    return case


@atomic_service
def supplement_expire_overdue(*, on: dt.date) -> int:
    """Daily job: applications whose supplement period passed unanswered are treated as withdrawn (law art. 43;
    Regulation art. 18 before 2022). The last day is the supplement clock's, the one staff see (never earlier than
    the day written in the notice), so no application is withdrawn before its displayed deadline."""
    expired = 0
    overdue = SupplementRequest.objects.filter(fulfilled_at__isnull=True, due_on__lt=on,
                                               case__status=Status.SUPPLEMENT_REQUESTED)
    for request in overdue.select_related("case"):
        case = Case.objects.select_for_update().get(pk=request.case_id)
        if case.status != Status.SUPPLEMENT_REQUESTED:
            continue
        clock = deadline_open_started_by(case, deadline_events.SUPPLEMENT_REQUESTED)
        last_day = max(request.due_on, clock.due_on) if clock is not None else request.due_on
        if last_day >= on:
            continue
        basis = clock.rule.legal_basis if clock is not None else "法律援助法第四十三条第二款"
        apply_transition(actor=None, case=case, action="expire_supplement",
                         note=f"补充期限 {last_day:%Y-%m-%d} 届满未补充材料，视为撤回申请（{basis}）。")
        expired += 1
    return expired


@atomic_service
def case_withdraw(*, actor: User, public_id: Any, reason: str) -> Case:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    if not reason.strip():
        raise ValidationFailed("请填写撤回原因。", field="reason")
    apply_transition(actor=actor, case=case, action="withdraw", note=reason.strip())
    return case
