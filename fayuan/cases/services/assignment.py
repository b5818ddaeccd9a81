"""Assignment (within 3 days of the decision, art. 43), acceptance, the agreement (within 5 days) and changes.

Capacity is an invariant: the provider row is locked (SELECT … FOR UPDATE) while their open cases are counted
and the assignment is written, so two concurrent assignments cannot both take a provider's last place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.core import bounds
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.eligibility.ruleset import grounds_in_force, specialty_for
from fayuan.org.defense_pool import member_ids_on
from fayuan.org.models import Provider

from .. import assignment_rules as rules
from ..models import Agreement, Assignment, AssignmentMethod, Case, DocumentKind, ProviderChangeRequest
from ..selectors import case_get_for_user
from ..vetoes import assignment_vetoes
from ..workflow import OPEN_STATUSES
from .documents import document_issue
from .review import assess
from .transitions import apply_transition, record_event

MAX_REASON = bounds.REASON_MAX  # reasons are quoted into Assignment.end_reason (200 characters)


def _need(case: Case, exclude: frozenset[int] = frozenset()) -> rules.Need:
    """What the case asks of its provider, from the rule rows in force when it was received: every criminal ground
    the engine finds it rests on (the one chosen and those that follow from the person, e.g. a minor) with their
    requirements, and the specialty of its matter."""
    on = timezone.localdate(case.received_at)
    rows = grounds_in_force(on=on, codes=assess(case).grounds) if case.case_type == "criminal" else []
    opposing = rules.Party(case.opposing_party, case.opposing_party_id_hash) if case.opposing_party else None
    return rules.Need(
        case_type=case.case_type, matter=case.matter, opposing=opposing, exclude=exclude,
        grounds=tuple(rules.GroundNeed(g.code, g.name, g.requires_senior_defender, g.requires_minor_specialist,
                                       g.legal_basis) for g in rows),
        specialty=specialty_for(on=on, case_type=case.case_type, matter=case.matter, grounds=rows),
    )


def _co_defendant_cases(case: Case, providers: Sequence[Provider]) -> dict[int, list[str]]:
    """For each provider, the other legal aid cases of the same criminal case (same handling organ and organ case
    number) where they were assigned to another defendant, active or not (SPC interpretation art. 43)."""
    if case.case_type != "criminal" or not case.handling_organ.strip() or not case.organ_case_number:
        return {}
    rows = (Assignment.objects.filter(provider__in=providers, case__case_type="criminal",
                                      case__handling_organ=case.handling_organ.strip(),
                                      case__organ_case_number=case.organ_case_number)
            .exclude(case=case).exclude(case__applicant_id=case.applicant_id)
            .values_list("provider_id", "case__number").distinct().order_by("case__number"))
    found: dict[int, list[str]] = {}
    for provider_id, number in rows:
        found.setdefault(provider_id, []).append(number)
    return found


def open_case_counts(provider_ids: list[int]) -> dict[int, int]:
    """Each provider's open cases: the cases in an open status (assigned to closing submitted) that they handle.

    Counted on the case's own provider column, whose index (provider, status) holds the answer: only an assignment
    (``_assign``) moves a case into those statuses, and it writes the active assignment and ``Case.provider``
    together; a decline clears both, a termination leaves the open statuses. Counting active assignments joined to
    their cases instead read every assignment a provider ever had (200 ms per case page at 1,000,000 cases)."""
    rows = (Case.objects.filter(provider_id__in=provider_ids, status__in=OPEN_STATUSES)
            .values("provider_id").annotate(n=Count("*")).order_by())  # COUNT(*): the index alone answers
    return {r["provider_id"]: r["n"] for r in rows}


def _last_assigned_at() -> Subquery:
    """When the provider was last assigned a case: the first entry of their run in the (provider, assigned_at)
    index, not the maximum over all their assignments."""
    return Subquery(Assignment.objects.filter(provider=OuterRef("pk")).order_by("-assigned_at")
                    .values("assigned_at")[:1])


def candidates_for(case: Case, *, provider_ids: list[int] | None = None) -> list[rules.Candidate]:
    """Providers of the case's center (or the given ones) as plain candidates for the pure ranking."""
    today = timezone.localdate()
    qs = Provider.objects.filter(active=True).prefetch_related("specialties")
    qs = qs.filter(pk__in=provider_ids) if provider_ids is not None else qs.filter(home_center=case.center)
    providers = list(qs.annotate(last=_last_assigned_at()))
    counts = open_case_counts([p.pk for p in providers])
    firms = {p.firm_id for p in providers if p.firm_id}
    # Parties represented by each provider or their firm: applicants of their legal aid cases.
    represented: dict[tuple[str, int], list[rules.Party]] = {}
    # Only a case with an opposing party can conflict; most criminal cases have none, so skip the history then.
    past = (Assignment.objects.filter(Q(provider__in=providers) | Q(provider__firm_id__in=firms))
            .exclude(case=case).values_list("provider_id", "provider__firm_id", "case__applicant__name",
                                            "case__applicant__id_number_hash").distinct()
            if case.opposing_party.strip() else [])
    for provider_id, firm_id, name, id_hash in past:
        party = rules.Party(name, id_hash or "")
        represented.setdefault(("p", provider_id), []).append(party)
        if firm_id:
            represented.setdefault(("f", firm_id), []).append(party)
    co_defendants = _co_defendant_cases(case, providers)
    vetoes = assignment_vetoes(case, [p.pk for p in providers])
    # Criminal cases go only to members of the criminal-defense pool on the assignment day (today).
    in_pool = member_ids_on([p.pk for p in providers], today) if case.case_type == "criminal" else set()
    return [
        rules.Candidate(
            provider_id=p.pk, name=p.name, kind=p.kind, firm_id=p.firm_id,
            specialties=frozenset(s.code for s in p.specialties.all()), capacity=p.capacity,
            open_cases=counts.get(p.pk, 0), years_criminal=p.years_of_criminal_defense(today),
            familiar_with_minors=p.familiar_with_minors, last_assigned_at=p.last,  # type: ignore[attr-defined]
            represented=tuple(represented.get(("p", p.pk), []) + (represented.get(("f", p.firm_id), [])
                                                                    if p.firm_id else [])),
            co_defendant_cases=tuple(co_defendants.get(p.pk, [])), vetoes=tuple(vetoes.get(p.pk, [])),
            in_criminal_pool=p.pk in in_pool,
        )
        for p in providers
    ]


def rank_for_case(case: Case, exclude: frozenset[int] = frozenset()) -> tuple[list[rules.Ranked], dict[int, str]]:
    return rules.rank(candidates_for(case), _need(case, exclude))


def _take_place(case: Case, provider_id: int, need: rules.Need) -> Provider:
    """Lock the provider, re-check every hard rule with fresh counts, or refuse."""
    provider = Provider.objects.select_for_update().filter(pk=provider_id, active=True).first()
    if provider is None:
        raise ValidationFailed("所选承办人员不存在或已不在册。", field="provider_id")
    fresh = candidates_for(case, provider_ids=[provider.pk])[0]
    reason = rules.refusal(fresh, need)
    if reason is not None:
        raise Conflict(f"不能指派{provider.name}：{reason}。")
    return provider


def _assign(*, actor: User | None, case: Case, provider_id: int, method: str, reason: str,
            ranking: list[str], action: str, note: str = "", exclude: frozenset[int] = frozenset()) -> Assignment:
    provider = _take_place(case, provider_id, _need(case, exclude))
    now = timezone.now()
    case.assignments.filter(is_active=True).update(is_active=False, ended_at=now, end_reason=note or "重新指派")
    assignment = Assignment.objects.create(case=case, provider=provider, method=method, override_reason=reason,
                                           ranking=ranking, assigned_by=actor, assigned_at=now)
    case.provider = provider
    apply_transition(actor=actor, case=case, action=action, at=now, note=note or reason,
                     payload={"provider": provider.pk, "method": method}, extra_fields=("provider",))
    document_issue(actor=actor, case=case, kind=DocumentKind.ASSIGNMENT_NOTICE)
    if case.handling_organ:
        document_issue(actor=actor, case=case, kind=DocumentKind.ORGAN_LETTER)
    return assignment


@atomic_service
def case_assign(*, actor: User | None, public_id: Any = None, case: Case | None = None,
                provider_id: int | None = None, reason: str = "",
                method: str | None = None) -> Assignment:
    """Assign by rotation, or to a chosen provider (a manual override needs a recorded reason)."""
    if case is None:
        if actor is None or actor.role not in CENTER_ROLES:
            raise PermissionDenied("只有法律援助中心可以指派承办人员。")
        case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    ranked, refused = rank_for_case(case)
    ranking = [r.explain() for r in ranked[:5]]
    if provider_id is None:
        if not ranked:
            raise Conflict("没有符合条件且有空余名额的承办人员，请调整名额或从其他中心调配。")
        provider_id, method = ranked[0].candidate.provider_id, AssignmentMethod.ROTATION
    elif method != AssignmentMethod.CLIENT_CHOICE:
        if provider_id in refused:
            raise Conflict(f"不能指派该人员：{refused[provider_id]}。")
        top = ranked[0].candidate.provider_id if ranked else None
        method = AssignmentMethod.ROTATION if provider_id == top else AssignmentMethod.MANUAL
        if method == AssignmentMethod.MANUAL and len(reason.strip()) < 4:
            raise ValidationFailed("未按轮派顺序指派的，须写明指定理由。", field="reason")
    return _assign(actor=actor, case=case, provider_id=provider_id, method=method or AssignmentMethod.MANUAL,
                   reason=reason.strip(), ranking=ranking, action="assign")


def _my_assignment(actor: User, case: Case) -> Assignment:
    assignment = case.assignments.filter(is_active=True).first()
    if assignment is None or actor.provider_id != assignment.provider_id:
        raise PermissionDenied("您不是本案当前的承办人员。")
    return assignment


@atomic_service
def assignment_accept(*, actor: User, public_id: Any) -> Assignment:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    assignment = _my_assignment(actor, case)
    if assignment.accepted_at is not None:
        raise Conflict("您已接受本案指派。")
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["accepted_at"])
    record_event(actor=actor, case=case, kind="assignment_accepted", at=assignment.accepted_at)
    return assignment


@atomic_service
def assignment_decline(*, actor: User, public_id: Any, reason: str) -> Case:
    """A provider may refuse only with a proper reason (art. 46); the center must then reassign."""
    if not 4 <= len(reason.strip()) <= MAX_REASON:
        raise ValidationFailed(f"拒绝指派须说明正当理由（4 到 {MAX_REASON} 字，法律援助法第四十六条）。",
                               field="reason")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    assignment = _my_assignment(actor, case)
    if assignment.accepted_at is not None:
        raise Conflict("已接受的指派不能拒绝；如需停止承办，请向中心报告。")
    now = timezone.now()
    assignment.is_active, assignment.ended_at, assignment.end_reason = False, now, f"拒绝指派：{reason.strip()}"
    assignment.save(update_fields=["is_active", "ended_at", "end_reason"])
    case.provider = None
    apply_transition(actor=actor, case=case, action="decline", at=now, note=reason.strip(),
                     extra_fields=("provider",))
    return case


@atomic_service
def agreement_record(*, actor: User, public_id: Any, signed_on: dt.date) -> Agreement:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    assignment = case.assignments.filter(is_active=True).first()
    if assignment is None:
        raise Conflict("本案尚未指派承办人员。")
    if actor.role not in CENTER_ROLES:
        _my_assignment(actor, case)
    if assignment.accepted_at is None:
        raise Conflict("承办人员尚未接受指派，不能登记委托协议。")
    today = timezone.localdate()
    if signed_on > today or signed_on < timezone.localdate(assignment.assigned_at):
        raise ValidationFailed("签订日期应在指派之日至今天之间。", field="signed_on")
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="sign_agreement", at=now,
                     payload={"signed_on": signed_on.isoformat()})
    return Agreement.objects.create(case=case, assignment=assignment, signed_on=signed_on, recorded_by=actor,
                                    recorded_at=now)


@atomic_service
def case_change_provider(*, actor: User, public_id: Any, reason: str, provider_id: int | None = None) -> Assignment:
    """The recipient asked for another provider: the current one is excluded from the new rotation."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("更换承办人员由法律援助中心决定。")
    if not 4 <= len(reason.strip()) <= MAX_REASON:
        raise ValidationFailed(f"请写明受援人申请更换的理由（4 到 {MAX_REASON} 字）。", field="reason")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    current = case.assignments.filter(is_active=True).first()
    if current is None:
        raise Conflict("本案没有当前承办人员。")
    now = timezone.now()
    current.is_active, current.ended_at = False, now
    current.end_reason = f"受援人申请更换：{reason.strip()}"
    current.save(update_fields=["is_active", "ended_at", "end_reason"])
    # The recipient's open request, if any, is answered by this change: closed with it, in this transaction.
    for request in ProviderChangeRequest.objects.select_for_update().filter(case=case, handled_at__isnull=True):
        request.handled_at = now
        request.save(update_fields=["handled_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=request, detail={"fields": ["handled_at"]})
    ranked, refused = rank_for_case(case, exclude=frozenset({current.provider_id}))
    if provider_id is None:
        if not ranked:
            raise Conflict("没有其他符合条件且有空余名额的承办人员。")
        provider_id = ranked[0].candidate.provider_id
    elif provider_id in refused:
        raise Conflict(f"不能指派该人员：{refused[provider_id]}。")
    method = AssignmentMethod.ROTATION if ranked and provider_id == ranked[0].candidate.provider_id \
        else AssignmentMethod.MANUAL
    return _assign(actor=actor, case=case, provider_id=provider_id, method=method, reason=reason.strip(),
                   ranking=[r.explain() for r in ranked[:5]], action="change_provider",
                   note=f"受援人申请更换承办人员：{reason.strip()}", exclude=frozenset({current.provider_id}))
