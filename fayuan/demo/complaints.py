"""Complaints about providers in the demo city, through the complaints services: one lawyer of the home center is
complained about three times in the last weeks (one still being handled, one substantiated, one partly), so the
repeated-complaint flag shows on their page and in the assignment ranking; three more complaints about others
(unsubstantiated and told by letter, one waiting for the provider's answer, one overdue). Written after the
replayed past, received within the last two months. Safe to run again: nothing is added once a complaint exists;
nothing at all without assigned cases (``--cases 0``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import Case, Status
from fayuan.cases.services.review import objection_bureau
from fayuan.complaints.models import Complaint
from fayuan.complaints.services import (
    ComplaintInput,
    complaint_decide,
    complaint_notify_provider,
    complaint_provider_respond,
    complaint_record,
    complaint_record_informed,
)

HANDLED = [Status.ASSIGNED, Status.AGREEMENT_SIGNED, Status.IN_PROGRESS, Status.CLOSING_SUBMITTED, Status.CLOSED,
           Status.ARCHIVED]


def _staff(case: Case) -> tuple[User | None, User | None]:
    reviewer = User.objects.filter(role=Role.CENTER_REVIEWER, center_id=case.center_id,
                                   username__startswith="demo_").order_by("username").first()
    district, _name = objection_bureau(case)
    bureau = User.objects.filter(role=Role.BUREAU_SUPERVISOR, district=district,
                                 username__startswith="demo_").order_by("username").first()
    return reviewer, bureau


def _record(case: Case, *, days_ago: int, kind: str, category: str, facts: str, phone: str = "") -> Complaint | None:
    reviewer, _bureau = _staff(case)
    if reviewer is None or case.provider_id is None:
        return None
    day = max(timezone.localdate() - dt.timedelta(days=days_ago), timezone.localdate(case.received_at))
    return complaint_record(actor=reviewer, data=ComplaintInput(
        case_number=case.number, provider_id=case.provider_id, channel="phone" if phone else "letter",
        complainant_kind=kind, complainant_name="受援人家属" if kind == "agent" else case.applicant.name,
        category=category, facts=facts, phone=phone, received_on=day))


def _decide(complaint: Complaint, outcome: str, findings: str, measures: list[str]) -> None:
    reviewer, bureau = _staff(complaint.case)
    if bureau is None or reviewer is None:
        return
    complaint_notify_provider(actor=reviewer, public_id=complaint.public_id, points=findings.split("。")[0] + "。")
    complaint_decide(actor=bureau, public_id=complaint.public_id, outcome=outcome, findings=findings,
                     measures=measures)


def seed_complaints(home_center_id: int | None) -> int:
    if Complaint.objects.exists() or home_center_id is None:
        return 0
    cases = Case.objects.filter(status__in=HANDLED, provider__isnull=False).select_related("center", "applicant")
    busiest = (cases.filter(center_id=home_center_id).values("provider_id").annotate(n=Count("id"))
               .filter(n__gte=3).order_by("-n", "provider_id").first())
    if busiest is None:
        return 0
    theirs = list(cases.filter(provider_id=busiest["provider_id"]).order_by("-received_at")[:3])
    made: list[Complaint | None] = []
    # The repeated lawyer: three complaints within weeks.
    first = _record(theirs[0], days_ago=30, kind="recipient", category="not_diligent", phone="13952800001",
                    facts="来电反映：律师两周未回电话，开庭前一天才会见。")
    if first is not None:
        _decide(first, "substantiated", "开庭前未及时会见受援人属实。已约谈承办律师并责令改正。",
                ["education", "correction"])
    second = _record(theirs[1], days_ago=18, kind="agent", category="conduct", phone="13952800002",
                     facts="受援人女儿来电：律师接待时态度生硬，不愿解释诉讼风险。")
    if second is not None:
        _decide(second, "partly", "未充分解释诉讼风险属实，态度问题查无实据。已批评教育。", ["education"])
    third = _record(theirs[2], days_ago=6, kind="recipient", category="refused_or_delayed",
                    phone="13952800003", facts="来电反映：律师以工作忙为由拖延起诉。")
    if third is not None:
        reviewer, _bureau = _staff(third.case)
        lawyer = User.objects.filter(provider_id=third.provider_id, is_active=True).order_by("pk").first()
        if reviewer is not None:
            complaint_notify_provider(actor=reviewer, public_id=third.public_id,
                                      points="受援人反映起诉拖延，请说明案件进展和起诉安排。")
        if reviewer is not None and lawyer is not None:
            complaint_provider_respond(actor=lawyer, public_id=third.public_id,
                                       response="证据尚在收集，已与受援人约定下周提交起诉状。")
    made += [first, second, third]
    # Others: an unsubstantiated one told by letter, one overdue and not yet handled.
    rest = cases.exclude(provider_id=busiest["provider_id"])
    # The latest case for the letter; the earliest for the overdue one (received 55 days ago, after its case).
    others = [c for c in (rest.order_by("-received_at").first(), rest.order_by("received_at").first()) if c]
    if others:
        letter = _record(others[0], days_ago=25, kind="recipient", category="took_money",
                         facts="来信反映：律师要求另付交通费。")
        if letter is not None:
            _decide(letter, "unsubstantiated",
                    "经查所称交通费系受援人主动垫付的复印费，律师已出具收据并退还，投诉不成立。", [])
            reviewer, _bureau = _staff(letter.case)
            if reviewer is not None:
                complaint_record_informed(actor=reviewer, public_id=letter.public_id, method="letter")
        made.append(letter)
    if len(others) > 1:
        made.append(_record(others[1], days_ago=55, kind="agent", category="not_diligent", phone="13952800005",
                            facts="受援人儿子来电：律师未按约定告知调解结果。"))
    return sum(1 for c in made if c is not None)
