"""Review and decision (arts. 43-44), termination (art. 48) and objections (art. 49)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import load_ruleset
from fayuan.org.models import CenterLevel, District
from fayuan.registry.selectors import registry_citations

from ..documents.chinese import bureau_name
from ..models import (
    Case,
    Decision,
    DecisionKind,
    DocumentKind,
    EligibilityAssessment,
    Objection,
    ObjectionAgainst,
    ObjectionOutcome,
    Status,
    Termination,
    TerminationReason,
)
from ..selectors import case_get_for_user
from ..workflow import BY_ACTION
from .documents import document_issue
from .transitions import apply_transition, record_event

# States in which an aid-first case is still being helped, so the grant can be confirmed.
REMEDIES = "对司法行政部门维持原决定不服的，可以依法申请行政复议或者提起行政诉讼（《法律援助法》第四十九条第三款）。"
AID_FIRST_OPEN = frozenset({Status.AID_FIRST, Status.ASSIGNED, Status.AGREEMENT_SIGNED, Status.IN_PROGRESS,
                            Status.CLOSING_SUBMITTED})


def _applicant_input(case: Case) -> engine.Applicant:
    applicant = case.applicant
    # The recipient registry (issue 13): the agencies' records valid on the day the application was received.
    # Agency taggings of the person (people.PersonTagging, source=agency) are no longer read.
    cited = registry_citations(applicant.id_number_hash, timezone.localdate(case.received_at))
    registry = frozenset(cited) & frozenset(engine.GROUPS)
    return engine.Applicant(
        case_type=case.case_type, matter=case.matter or None, criminal_ground=case.criminal_ground or None,
        birth_date=applicant.birth_date, household_size=case.household_size,
        household_monthly_income=case.household_monthly_income, groups=frozenset(case.groups),
        facts=frozenset(case.special_facts), registry_groups=registry,
        registry_sources=tuple(sorted((code, text) for code, text in cited.items() if code in registry)),
    )


def assess(case: Case) -> engine.Result:
    """Run the engine with the rules in force on the day the application was received."""
    district = case.center.means_test_district
    if district is None:
        raise ValidationFailed(f"{case.center}未设置所在地行政区，无法确定经济困难标准。")
    rules = load_ruleset(district_code=district.code, on=timezone.localdate(case.received_at))
    return engine.evaluate(_applicant_input(case), rules)


@atomic_service
def case_assess(*, actor: User, public_id: Any) -> EligibilityAssessment:
    """Record the engine's current view of an application (review staff only)."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("只有法律援助中心的审查人员可以进行审查。")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    result = assess(case)
    assessment = EligibilityAssessment.objects.create(
        case=case, result=result.as_dict(), eligible=result.eligible, engine_version=result.engine_version,
        assessed_at=timezone.now(), assessed_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assessment, detail={"case": case.pk})
    return assessment


def _refusal_reasons(result: engine.Result) -> str:
    failed = [c for c in result.criteria if not c.passed]
    return "；".join(f"{c.explanation}（{c.basis}）" for c in failed)


@atomic_service
def case_decide(*, actor: User, public_id: Any, kind: str, reasons: str = "") -> Decision:
    """Grant, refuse or provide aid first. The engine advises; a decision against its advice needs reasons."""
    if kind not in DecisionKind.values:
        raise ValidationFailed("请选择决定类型。", field="kind")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    result = assess(case)
    reasons = reasons.strip()
    if kind == DecisionKind.REFUSE:
        reasons = reasons or _refusal_reasons(result)
        if not reasons:
            raise ValidationFailed("不予法律援助须书面说明理由（法律援助法第四十三条）。", field="reasons")
    elif kind == DecisionKind.GRANT and not result.eligible and len(reasons) < 4:
        raise ValidationFailed("审查结果显示不符合法律援助条件；如仍决定给予，请写明理由。", field="reasons")
    elif kind == DecisionKind.AID_FIRST and not result.aid_first and len(reasons) < 4:
        raise ValidationFailed("先行提供法律援助须属于第四十四条规定的情形，或写明理由。", field="reasons")
    action = {"grant": "grant", "refuse": "refuse", "aid_first": "provide_aid_first"}[kind]
    now = timezone.now()
    EligibilityAssessment.objects.create(case=case, result=result.as_dict(), eligible=result.eligible,
                                         engine_version=result.engine_version, assessed_at=now, assessed_by=actor)
    if result.green_channel and not case.green_channel:
        case.green_channel = True
    if kind == DecisionKind.AID_FIRST:
        case.aid_first = True
    apply_transition(actor=actor, case=case, action=action, at=now, note=reasons,
                     extra_fields=("green_channel", "aid_first"))
    doc_kind = DocumentKind.REFUSAL_DECISION if kind == DecisionKind.REFUSE else DocumentKind.GRANT_DECISION
    document = document_issue(actor=actor, case=case, kind=doc_kind)
    return Decision.objects.create(case=case, kind=kind, reasons=reasons or "符合法律援助条件。",
                                   eligibility=result.as_dict(), decided_by=actor, decided_at=now,
                                   document_number=document.number)


@atomic_service
def aid_first_confirm(*, actor: User, public_id: Any, reasons: str = "") -> Decision:
    """After aid first, the review is completed and the grant confirmed (art. 44 para. 2)."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("您的角色不能作出审查决定。")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    if not case.aid_first or case.decisions.filter(kind=DecisionKind.GRANT).exists():
        raise Conflict("本案不是待确认的先行援助案件。")
    if case.status not in AID_FIRST_OPEN:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能确认先行援助。")
    now = timezone.now()
    # The confirmed grant starts what a grant starts; the assignment clock only when nobody has been assigned yet
    # (aid first usually assigns at once, art. 44).
    clocks = tuple(e for e in BY_ACTION["grant"].events
                   if e != "aid_granted" or not case.assignments.filter(is_active=True).exists())
    record_event(actor=actor, case=case, kind="aid_first_confirmed", at=now, note=reasons, emits=clocks)
    document = document_issue(actor=actor, case=case, kind=DocumentKind.GRANT_DECISION)
    return Decision.objects.create(case=case, kind=DecisionKind.GRANT, reasons=reasons or "补充材料后审查，符合条件。",
                                   eligibility=assess(case).as_dict(), decided_by=actor, decided_at=now,
                                   document_number=document.number)


@atomic_service
def case_terminate(*, actor: User, public_id: Any, reason: str, explanation: str,
                   provider_report: str = "") -> Termination:
    if reason not in TerminationReason.values:
        raise ValidationFailed("请选择终止理由（法律援助法第四十八条）。", field="reason")
    if not explanation.strip():
        raise ValidationFailed("请写明终止的事实和理由。", field="explanation")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    previous = case.status
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="terminate", at=now, note=explanation.strip(),
                     payload={"reason": reason})
    case.assignments.filter(is_active=True).update(is_active=False, ended_at=now, end_reason="终止法律援助")
    document_issue(actor=actor, case=case, kind=DocumentKind.TERMINATION_DECISION)
    return Termination.objects.create(case=case, reason=reason, explanation=explanation.strip(),
                                      provider_report=provider_report.strip(), decided_by=actor, decided_at=now,
                                      resumed_status=previous)


def objection_bureau(case: Case) -> tuple[District | None, str]:
    """The justice bureau that set up the case's center (art. 49 para. 1): a district center's district bureau, or
    the city bureau for the city center. ``(district or None for the city, the bureau's name)``."""
    district = case.center.district if case.center.level == CenterLevel.DISTRICT else None
    # The name follows the center's own master data, as the decision documents name it.
    return district, bureau_name(case.center.name)


def bureau_may_decide(actor: User, case: Case) -> bool:
    district, _name = objection_bureau(case)
    return actor.role == Role.BUREAU_SUPERVISOR and actor.district_id == (district.pk if district else None)


@atomic_service
def objection_file(*, actor: User, public_id: Any, grounds: str) -> Objection:
    """The applicant (or the center on their behalf) objects to a refusal or a termination, to the justice bureau
    that set up the center. Once that bureau has upheld the decision, the remedies are administrative
    reconsideration or a lawsuit (art. 49 para. 3), not a second objection."""
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    if not grounds.strip():
        raise ValidationFailed("请写明异议的理由。", field="grounds")
    against = ObjectionAgainst.REFUSAL if case.status == Status.REFUSED else ObjectionAgainst.TERMINATION
    if case.objections.filter(against=against, outcome=ObjectionOutcome.UPHELD).exists():
        raise Conflict(f"司法行政部门已审查并维持原决定，不能再次提出异议。{REMEDIES}")
    district, bureau = objection_bureau(case)
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="object", at=now, note=grounds.strip(),
                     payload={"bureau": bureau, "bureau_district": district.code if district else None})
    return Objection.objects.create(case=case, against=against, grounds=grounds.strip(), filed_at=now,
                                    filed_by=actor, bureau_district=district, bureau_name=bureau)


@atomic_service
def objection_decide(*, actor: User, public_id: Any, uphold: bool, reasons: str) -> Objection:
    """The bureau that set up the center decides within 5 days (art. 49): uphold the decision, or order aid. An
    upheld decision records the remedies left to the applicant (art. 49 para. 3)."""
    if actor.role != Role.BUREAU_SUPERVISOR:
        raise PermissionDenied("异议由设立法律援助机构的司法行政部门审查决定。")
    if not reasons.strip():
        raise ValidationFailed("请写明审查意见。", field="reasons")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    objection = case.objections.filter(outcome=ObjectionOutcome.PENDING).first()
    if objection is None:
        raise Conflict("本案没有待审查的异议。")
    if not bureau_may_decide(actor, case):
        raise PermissionDenied(f"本异议由{objection_bureau(case)[1]}审查决定（法律援助法第四十九条第一款）。")
    refusal = objection.against == ObjectionAgainst.REFUSAL
    action = ("uphold_" if uphold else "overturn_") + ("refusal" if refusal else "termination")
    now = timezone.now()
    remedies = REMEDIES if uphold else ""
    note = f"{reasons.strip()}\n{remedies}".strip()
    apply_transition(actor=actor, case=case, action=action, at=now, note=note)
    objection.outcome = ObjectionOutcome.UPHELD if uphold else ObjectionOutcome.OVERTURNED
    objection.decision_reasons, objection.decided_by, objection.decided_at = reasons.strip(), actor, now
    objection.remedies = remedies
    objection.save(update_fields=["outcome", "decision_reasons", "decided_by", "decided_at", "remedies"])
    return objection
