"""What each document says, built only from stored rows, so the same document always renders the same.

Every "which row" question is answered by the document's own time, not by "the current one": the assignment
notice names the provider assigned when it was issued, even after a later change of provider. Personal data is
limited to what the document needs: the national ID number appears masked, never decrypted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fayuan.core.errors import Conflict
from fayuan.eligibility.engine import GROUP_NAMES
from fayuan.eligibility.models import CaseType, CriminalGround, FactRule, Matter
from fayuan.eligibility.presentation import green_channel_lines, means_test_waiver
from fayuan.people.models import Person
from fayuan.people.selectors import as_registered_at

from ..models import (
    Assignment,
    Case,
    Channel,
    CriminalStage,
    Decision,
    DecisionKind,
    Document,
    DocumentKind,
    FileKind,
    SupplementRequest,
    Termination,
)
from ..notice_basis import notice_basis
from .chinese import bureau_name, cn_date, cn_date_upper, cn_datetime, cn_number

Context = dict[str, Any]

AUTO_GRANT_REASONS = "符合法律援助条件。"
AGREEMENT_DAYS = 5  # DOMAIN §2: the agreement is signed within 5 days of the assignment
OBJECTION_DAYS = 5  # law art. 49: the bureau decides an objection within 5 days


class DocumentDataMissing(Conflict):
    """The rows a document is made from are not there (e.g. a supplement notice without a request)."""


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def numbered(texts: list[str]) -> list[dict[str, str]]:
    return [{"ordinal": cn_number(i), "text": t} for i, t in enumerate(texts, start=1)]


def person_context(person: Person | None, *, with_contact: bool = False) -> dict[str, str] | None:
    if person is None:
        return None
    data = {
        "name": person.name,
        "gender": person.get_gender_display() if person.gender else "",
        "birth_date": cn_date(person.birth_date) if person.birth_date else "",
        # Masked only: a printed document leaves the system and is never a place for the full number.
        "id_number": person.id_number_masked or "（未登记）",
    }
    if with_contact:
        data |= {"phone": person.phone, "address": person.address,
                 "household_registration": person.household_registration}
    else:
        data |= {"phone": person.phone_masked}
    return data


def _matter_name(case: Case, on: dt.date) -> str:
    if case.case_type == CaseType.CRIMINAL:
        ground = CriminalGround.objects.in_force_on(on).filter(code=case.criminal_ground).first()
        return ground.name if ground else case.criminal_ground
    if case.matter == "other":
        return "其他事项（目录外，由中心审查决定）"
    matter = Matter.objects.in_force_on(on).filter(code=case.matter).first()
    return matter.name if matter else case.matter


def _party_roles(case: Case) -> tuple[str, str]:
    """How the applicant stands in the proceedings, and what the provider acts as for them."""
    if case.case_type == CaseType.CRIMINAL:
        early = case.criminal_stage in (CriminalStage.INVESTIGATION, CriminalStage.PROSECUTION_REVIEW)
        return ("犯罪嫌疑人" if early else "被告人"), "辩护人"
    if case.case_type == CaseType.NON_LITIGATION:
        return "当事人", "代理人"
    return "当事人", "诉讼代理人"


def case_context(case: Case) -> Context:
    received = _local(case.received_at)
    on = received.date()
    per_capita = (case.household_monthly_income / case.household_size).quantize(Decimal("0.01"))
    facts = dict(FactRule.objects.in_force_on(on).filter(code__in=case.special_facts).values_list("code", "name"))
    party, acting_as = _party_roles(case)
    # A notice says whether the lawyer defends or represents (a victim; compulsory medical treatment, art. 28).
    notice = notice_basis(case) if case.channel == Channel.ORGAN_NOTICE else None
    if notice is not None:
        party, acting_as = notice.party, notice.acting_as
    return {
        "number": case.number,
        "type": case.get_case_type_display(),
        "is_criminal": case.case_type == CaseType.CRIMINAL,
        "stage": case.get_criminal_stage_display() if case.criminal_stage else "",
        "in_custody": case.in_custody,
        "matter": _matter_name(case, on),
        "summary": case.matter_summary,
        "opposing_party": case.opposing_party,
        "handling_organ": case.handling_organ,
        "facts": case.facts,
        "channel": case.get_channel_display(),
        "from_organ_notice": case.channel == Channel.ORGAN_NOTICE,
        "notice": None if notice is None else {
            "kind": notice.kind, "received_on": cn_date(notice.received_on),
            "organ_case_number": notice.organ_case_number, "ground": notice.ground, "legal_basis": notice.legal_basis,
            "pending": notice.basis_pending, "assign_basis": notice.assign_basis,
        },
        "station": case.receiving_station.name if case.receiving_station else "",
        "received_on": cn_date(on),
        "received_at": cn_datetime(received),
        "received_by": (case.received_by.display_name or case.received_by.username) if case.received_by else "",
        "household_size": case.household_size,
        "household_income": f"{case.household_monthly_income:.2f}",
        "per_capita_income": f"{per_capita:.2f}",
        "income_source": case.get_income_source_display(),
        "groups": [GROUP_NAMES.get(g, g) for g in case.groups],
        "special_facts": [facts.get(f, f) for f in case.special_facts],
        "green_channel": case.green_channel,
        "party": party,
        "acting_as": acting_as,
        "agent_relationship": case.get_agent_relationship_display() if case.agent_relationship else "",
    }


def _decision_for(document: Document, kinds: tuple[str, ...]) -> Decision:
    qs = Decision.objects.filter(case_id=document.case_id, kind__in=kinds)
    decision = qs.filter(document_number=document.number).first() if document.number else None
    # The decision row is written after its document in the same transaction: match by number, else by time.
    decision = decision or qs.filter(decided_at__lte=document.created_at).order_by("-decided_at", "-id").first()
    if decision is None:
        raise DocumentDataMissing("未找到该文书对应的审查决定。")
    return decision


def _assignment_at(case: Case, moment: dt.datetime) -> Assignment | None:
    return (Assignment.objects.filter(case=case, assigned_at__lte=moment).select_related("provider__firm")
            .order_by("-assigned_at", "-id").first())


def provider_context(assignment: Assignment) -> Context:
    provider = assignment.provider
    return {
        "name": provider.name,
        "kind": provider.get_kind_display(),
        "firm": provider.firm.name if provider.firm else "",
        "firm_address": provider.firm.address if provider.firm else "",
        "license_number": provider.license_number,
        "phone": provider.phone or (provider.firm.phone if provider.firm else ""),
        "assigned_on": cn_date(_local(assignment.assigned_at).date()),
        "method": assignment.get_method_display(),
    }


def _criteria(eligibility: dict[str, Any], *, passed: bool) -> list[dict[str, str]]:
    rows = [c for c in eligibility.get("criteria", []) if bool(c.get("passed")) is passed]
    return [{"ordinal": cn_number(i), "text": str(c.get("explanation", "")), "basis": str(c.get("basis", ""))}
            for i, c in enumerate(rows, start=1)]


# --- one builder per kind ------------------------------------------------------------------------------------

def _application_form(document: Document, case: Case) -> Context:
    return {"applicant": person_context(case.applicant, with_contact=True),
            "agent": person_context(case.agent, with_contact=True)}


def _receipt(document: Document, case: Case) -> Context:
    # The materials held when the receipt was issued: later uploads are not on it.
    counts = Counter(case.files.filter(uploaded_at__lte=document.created_at).values_list("kind", flat=True))
    order = {k: i for i, k in enumerate(FileKind.values)}
    materials = [{"ordinal": cn_number(i), "name": FileKind(kind).label, "count": n}
                 for i, (kind, n) in enumerate(sorted(counts.items(), key=lambda kv: order[kv[0]]), start=1)]
    return {"materials": materials}


def _supplement_notice(document: Document, case: Case) -> Context:
    request = SupplementRequest.objects.filter(case=case).first()
    if request is None:
        raise DocumentDataMissing("本案没有补充材料通知，无法生成补充材料通知书。")
    return {
        "items": numbered([str(i) for i in request.items]),
        "due_on": cn_date(request.due_on),
        "requested_on": cn_date(_local(request.requested_at).date()),
        "note": request.note,
    }


def _grant_decision(document: Document, case: Case) -> Context:
    decision = _decision_for(document, (DecisionKind.GRANT, DecisionKind.AID_FIRST))
    criteria = _criteria(decision.eligibility, passed=True)
    return {
        "decision": decision,
        "aid_first": decision.kind == DecisionKind.AID_FIRST,
        "criteria": criteria,
        "green": green_channel_lines(decision.eligibility),
        "waiver": means_test_waiver(decision.eligibility),
        "reasons": "" if decision.reasons == AUTO_GRANT_REASONS else decision.reasons,
    }


def _refusal_decision(document: Document, case: Case) -> Context:
    decision = _decision_for(document, (DecisionKind.REFUSE,))
    failed = _criteria(decision.eligibility, passed=False)
    auto = "；".join(f"{c['text']}（{c['basis']}）" for c in failed)
    return {
        "decision": decision,
        "failed": failed,
        "green": green_channel_lines(decision.eligibility),
        # The reviewer's own words, when they are more than the engine's list of failed criteria.
        "reasons": "" if decision.reasons == auto else decision.reasons,
        "objection_days": cn_number(OBJECTION_DAYS),
    }


def _assignment_context(document: Document, case: Case) -> Context:
    assignment = _assignment_at(case, document.created_at)
    if assignment is None:
        raise DocumentDataMissing("本案尚未指派承办人员，无法生成该文书。")
    grant = (Decision.objects.filter(case=case, kind__in=(DecisionKind.GRANT, DecisionKind.AID_FIRST),
                                     decided_at__lte=document.created_at)
             .order_by("-decided_at", "-id").first())
    return {
        "provider": provider_context(assignment),
        "grant_number": grant.document_number if grant else "",
        "grant_on": cn_date(_local(grant.decided_at).date()) if grant else "",
        "aid_first": bool(grant and grant.kind == DecisionKind.AID_FIRST),
        "agreement_days": cn_number(AGREEMENT_DAYS),
        "reassigned": Assignment.objects.filter(case=case, assigned_at__lt=assignment.assigned_at).exists(),
        # The provider must be able to reach the recipient; the organ letter carries no contact details.
        "recipient": person_context(case.applicant, with_contact=document.kind == DocumentKind.ASSIGNMENT_NOTICE),
    }


def _organ_letter(document: Document, case: Case) -> Context:
    if not case.handling_organ:
        raise DocumentDataMissing("本案未登记办案机关，无法生成致办案机关函。")
    return _assignment_context(document, case)


def _termination_decision(document: Document, case: Case) -> Context:
    termination = (Termination.objects.filter(case=case, decided_at__lte=document.created_at)
                   .order_by("-decided_at", "-id").first()
                   or Termination.objects.filter(case=case).order_by("decided_at", "id").first())
    if termination is None:
        raise DocumentDataMissing("本案没有终止决定，无法生成终止法律援助决定书。")
    grant = (Decision.objects.filter(case=case, kind__in=(DecisionKind.GRANT, DecisionKind.AID_FIRST),
                                     decided_at__lte=termination.decided_at)
             .order_by("-decided_at", "-id").first())
    assignment = _assignment_at(case, termination.decided_at)
    label = termination.get_reason_display()
    reason, _, article = label.partition("（")
    return {
        "termination": termination,
        "reason": reason,
        "reason_article": article.rstrip("）"),
        "explanation": termination.explanation,
        "grant_on": cn_date(_local(grant.decided_at).date()) if grant else "",
        "grant_number": grant.document_number if grant else "",
        "provider": provider_context(assignment) if assignment else None,
        "objection_days": cn_number(OBJECTION_DAYS),
    }


BUILDERS: dict[str, Callable[[Document, Case], Context]] = {
    DocumentKind.APPLICATION_FORM: _application_form,
    DocumentKind.RECEIPT: _receipt,
    DocumentKind.SUPPLEMENT_NOTICE: _supplement_notice,
    DocumentKind.GRANT_DECISION: _grant_decision,
    DocumentKind.REFUSAL_DECISION: _refusal_decision,
    DocumentKind.ASSIGNMENT_NOTICE: _assignment_context,
    DocumentKind.ORGAN_LETTER: _organ_letter,
    DocumentKind.TERMINATION_DECISION: _termination_decision,
}


def build_context(document: Document) -> Context:
    """Everything a document's template needs, read afresh from the database."""
    case = Case.objects.select_related("center", "applicant", "agent", "receiving_station", "received_by").get(
        pk=document.case_id)
    # A center's documents name the applicant as that center registered them (issue 9 item 4).
    as_registered_at(case.applicant, case.center_id)
    as_registered_at(case.agent, case.center_id)
    issued = _local(document.created_at)
    center = case.center
    context: Context = {
        "kind": document.kind,
        "title": DocumentKind(document.kind).label,
        "number": document.number,
        "created_iso": document.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "center": {"name": center.name, "address": center.address, "phone": center.phone},
        "bureau": bureau_name(center.name),
        "issued_on": cn_date(issued.date()),
        "issued_on_upper": cn_date_upper(issued.date()),
        "case": case_context(case),
        "applicant": person_context(case.applicant),
        "agent": person_context(case.agent),
    }
    context |= BUILDERS[document.kind](document, case)
    return context
