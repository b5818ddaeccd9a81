"""Cases: scoped list and detail, receiving an application, and one POST per workflow action.

Each endpoint parses input, calls one service, and answers with the case's summary. The services find the case
through the scoped selector, so a case outside the caller's scope is a 404 for every endpoint, read or write.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from fayuan.cases import policy, selectors, services, workflow
from fayuan.cases.models import Case
from fayuan.core.errors import ValidationFailed

from .auth import api_user
from .idempotency import idempotent
from .people import person_ref
from .schemas import (
    BODY_ERRORS,
    ERRORS,
    POST_ERRORS,
    AgreementIn,
    AssignIn,
    AssignmentOut,
    CaseActionOut,
    CaseCreateIn,
    CaseDetailOut,
    CaseFilters,
    CasePage,
    CaseSummaryOut,
    ChangeProviderIn,
    ClosingIn,
    ClosingReviewIn,
    DecideIn,
    DecisionOut,
    DocumentOut,
    EventOut,
    NoteIn,
    ObjectionDecisionIn,
    ObjectionIn,
    ProgressIn,
    ReasonIn,
    ReasonsIn,
    RecordOut,
    SupplementRequestIn,
    TerminateIn,
)

router = Router(tags=["案件"])
SUMMARY_RELATED = ("applicant", "center", "provider", "receiving_station")


def summary_fields(case: Case) -> dict[str, Any]:
    return {
        "public_id": case.public_id, "number": case.number, "status": case.status,
        "status_label": workflow.status_label(case.status), "case_type": case.case_type, "matter": case.matter,
        "criminal_ground": case.criminal_ground, "matter_summary": case.matter_summary, "center": case.center.name,
        "receiving_station": case.receiving_station.name if case.receiving_station else None,
        "applicant": person_ref(case.applicant), "provider": case.provider.name if case.provider else None,
        "green_channel": case.green_channel, "aid_first": case.aid_first, "received_at": case.received_at,
        "updated_at": case.updated_at,
    }


def _reload(case_id: int) -> Case:
    # The service has just found this case through the caller's scope; reload it for the fresh summary.
    return Case.objects.select_related(*SUMMARY_RELATED).get(pk=case_id)


def _record(record_type: str, row: Model, /, **data: Any) -> RecordOut:
    return RecordOut(type=record_type, id=str(row.pk), data=data)


def _answer(case_id: int, record: RecordOut | None = None) -> CaseActionOut:
    return CaseActionOut(**summary_fields(_reload(case_id)), record=record)


# --- Reads ----------------------------------------------------------------------------------------------------

@router.get("", response={200: CasePage, **ERRORS}, summary="案件列表（本人权限范围内）")
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> CasePage:
    qs = selectors.case_list_for_user(api_user(request), status=filters.status or "", query=filters.q.strip())
    start = (filters.page - 1) * filters.page_size
    return CasePage(count=qs.count(), page=filters.page, page_size=filters.page_size,
                    items=[CaseSummaryOut(**summary_fields(c)) for c in qs[start:start + filters.page_size]])


@router.get("/{public_id}", response={200: CaseDetailOut, **ERRORS}, summary="案件详情与时间线（查看记入审计）")
def case_detail(request: HttpRequest, public_id: str) -> CaseDetailOut:
    user = api_user(request)
    case = selectors.case_get_for_user(user, public_id)
    fields = policy.case_fields_for(user, case)  # the same policy as the office case page
    events = [
        EventOut(kind=e.kind, from_status=e.from_status, to_status=e.to_status,
                 actor=str(e.actor) if e.actor else "系统", at=e.at, note=e.note)
        for e in case.events.select_related("actor").order_by("at", "id")
    ]
    decisions = [DecisionOut(kind=d.kind, reasons=d.reasons, decided_at=d.decided_at,
                             document_number=d.document_number) for d in case.decisions.all()]
    assignments = [
        AssignmentOut(provider=a.provider.name, method=a.method, assigned_at=a.assigned_at,
                      accepted_at=a.accepted_at, is_active=a.is_active, end_reason=a.end_reason)
        for a in case.assignments.select_related("provider")
    ]
    documents = [DocumentOut(kind=d.kind, kind_label=d.get_kind_display(), number=d.number, created_at=d.created_at)
                 for d in policy.documents_visible(user, case)]
    household: dict[str, Any] = (
        {"household_size": case.household_size, "household_monthly_income": case.household_monthly_income,
         "income_source": case.income_source} if fields.household else {})
    return CaseDetailOut(
        **summary_fields(case), agent=person_ref(case.agent) if case.agent else None,
        agent_relationship=case.agent_relationship, criminal_stage=case.criminal_stage, in_custody=case.in_custody,
        opposing_party=case.opposing_party, handling_organ=case.handling_organ, facts=case.facts,
        **household, groups=list(case.groups), special_facts=list(case.special_facts),
        events=events, decisions=decisions, assignments=assignments, documents=documents,
    )


# --- Receiving ------------------------------------------------------------------------------------------------

@router.post("", response={201: CaseSummaryOut, **BODY_ERRORS}, summary="受理法律援助申请",
             description="中心或工作站人员登记申请；申请人须先登记。支持 Idempotency-Key。")
@idempotent
def case_create(request: HttpRequest, payload: CaseCreateIn) -> Status:
    if payload.channel == "organ_notice":  # a notice has its own door, scoped to the liaison's organ
        raise ValidationFailed("办案机关的通知辩护、通知代理请通过 POST /api/v1/notices 发送，不能作为申请登记。",
                               field="channel")
    data = services.ApplicationInput(**payload.model_dump())
    case = services.case_receive(actor=api_user(request), data=data)
    return Status(201, CaseSummaryOut(**summary_fields(_reload(case.pk))))


# --- Workflow actions -----------------------------------------------------------------------------------------

Handler = Callable[..., CaseActionOut]


def in_scope(view: Callable[..., Any]) -> Callable[..., Any]:
    """Out of scope is a 404 before anything else, whatever order a service checks role, input and scope in;
    a stored idempotent answer is replayed only while the caller may still see the case."""

    @wraps(view)
    def wrapper(request: HttpRequest, public_id: str, **kwargs: Any) -> Any:
        selectors.case_get_for_user(api_user(request), public_id, audit=False)
        return view(request, public_id=public_id, **kwargs)

    return wrapper


def action(path: str, summary: str, description: str = "") -> Callable[[Handler], Handler]:
    """POST /cases/{public_id}/<path>: scoped, idempotent, answering with the updated case summary."""

    def register(view: Handler) -> Handler:
        text = (description + " " if description else "") + "支持 Idempotency-Key。"
        errors = BODY_ERRORS if "payload" in inspect.signature(view).parameters else POST_ERRORS
        router.post(f"/{{public_id}}/{path}", response={200: CaseActionOut, **errors}, summary=summary,
                    description=text)(in_scope(idempotent(view)))
        return view

    return register


@action("forward", "工作站转交中心")
def case_forward(request: HttpRequest, public_id: str) -> CaseActionOut:
    case = services.case_forward(actor=api_user(request), public_id=public_id)
    return _answer(case.pk)


@action("supplement-request", "一次性告知补充材料", "法律援助法第四十三条：一次性列出需要补充的全部材料。")
def case_supplement_request(request: HttpRequest, public_id: str, payload: SupplementRequestIn) -> CaseActionOut:
    row = services.supplement_request(actor=api_user(request), public_id=public_id, items=payload.items,
                                      note=payload.note, due_on=payload.due_on)
    return _answer(row.case_id, _record("supplement_request", row, due_on=row.due_on.isoformat(), items=row.items))


@action("supplement-received", "收到补充材料")
def case_supplement_received(request: HttpRequest, public_id: str, payload: NoteIn) -> CaseActionOut:
    case = services.supplement_receive(actor=api_user(request), public_id=public_id, note=payload.note)
    return _answer(case.pk)


@action("assess", "运行受援条件审查", "按受理当日的规则审查并保存结果，不改变案件状态。")
def case_assess(request: HttpRequest, public_id: str) -> CaseActionOut:
    row = services.case_assess(actor=api_user(request), public_id=public_id)
    return _answer(row.case_id, _record("eligibility_assessment", row, **row.result))


@action("decide", "作出审查决定", "给予、不予或先行提供法律援助；与审查结果不一致时须写明理由。")
def case_decide(request: HttpRequest, public_id: str, payload: DecideIn) -> CaseActionOut:
    row = services.case_decide(actor=api_user(request), public_id=public_id, kind=payload.kind,
                               reasons=payload.reasons)
    return _answer(row.case_id, _record("decision", row, kind=row.kind, reasons=row.reasons,
                                        document_number=row.document_number))


@action("aid-first-confirm", "确认先行援助", "先行提供法律援助后补充审查并确认给予（第四十四条第二款）。")
def case_aid_first_confirm(request: HttpRequest, public_id: str, payload: ReasonsIn) -> CaseActionOut:
    row = services.aid_first_confirm(actor=api_user(request), public_id=public_id, reasons=payload.reasons)
    return _answer(row.case_id, _record("decision", row, kind=row.kind, reasons=row.reasons))


@action("assign", "指派承办人员", "不指定人员时按轮派；未按轮派顺序指派须写明理由。")
def case_assign(request: HttpRequest, public_id: str, payload: AssignIn) -> CaseActionOut:
    row = services.case_assign(actor=api_user(request), public_id=public_id, provider_id=payload.provider_id,
                               reason=payload.reason, method=payload.method)
    return _answer(row.case_id, _record("assignment", row, provider_id=row.provider_id, method=row.method))


@action("accept", "承办人员接受指派")
def case_accept(request: HttpRequest, public_id: str) -> CaseActionOut:
    row = services.assignment_accept(actor=api_user(request), public_id=public_id)
    return _answer(row.case_id, _record("assignment", row, accepted_at=row.accepted_at.isoformat()
                                        if row.accepted_at else None))


@action("decline", "承办人员拒绝指派", "须说明正当理由（第四十六条）。")
def case_decline(request: HttpRequest, public_id: str, payload: ReasonIn) -> CaseActionOut:
    case = services.assignment_decline(actor=api_user(request), public_id=public_id, reason=payload.reason)
    return _answer(case.pk)


@action("agreement", "登记委托协议")
def case_agreement(request: HttpRequest, public_id: str, payload: AgreementIn) -> CaseActionOut:
    row = services.agreement_record(actor=api_user(request), public_id=public_id, signed_on=payload.signed_on)
    return _answer(row.case_id, _record("agreement", row, signed_on=row.signed_on.isoformat()))


@action("progress", "记录办案进展", "首次记录进展时案件转为承办中。（接口暂不接收附件。）")
def case_progress(request: HttpRequest, public_id: str, payload: ProgressIn) -> CaseActionOut:
    row = services.progress_record(actor=api_user(request), public_id=public_id, kind=payload.kind,
                                   occurred_on=payload.occurred_on, summary=payload.summary, court=payload.court,
                                   hearing_at=payload.hearing_at)
    return _answer(row.case_id, _record("progress_entry", row, kind=row.kind))


@action("closing", "提交结案材料")
def case_closing(request: HttpRequest, public_id: str, payload: ClosingIn) -> CaseActionOut:
    row = services.closing_submit(actor=api_user(request), public_id=public_id, outcome=payload.outcome,
                                  report=payload.report, money_recovered=payload.money_recovered,
                                  money_saved=payload.money_saved)
    return _answer(row.case_id, _record("closing_file", row, outcome=row.outcome))


@action("closing-review", "审查结案材料", "通过则结案；退回补正须写明需要补正的内容。")
def case_closing_review(request: HttpRequest, public_id: str, payload: ClosingReviewIn) -> CaseActionOut:
    row = services.closing_review(actor=api_user(request), public_id=public_id, accept=payload.accept,
                                  notes=payload.notes)
    return _answer(row.case_id, _record("closing_file", row, accepted=row.accepted))


@action("archive", "归档")
def case_archive(request: HttpRequest, public_id: str) -> CaseActionOut:
    case = services.case_archive(actor=api_user(request), public_id=public_id)
    return _answer(case.pk)


@action("terminate", "终止法律援助", "法律援助法第四十八条。")
def case_terminate(request: HttpRequest, public_id: str, payload: TerminateIn) -> CaseActionOut:
    row = services.case_terminate(actor=api_user(request), public_id=public_id, reason=payload.reason,
                                  explanation=payload.explanation, provider_report=payload.provider_report)
    return _answer(row.case_id, _record("termination", row, reason=row.reason))


@action("objection", "提出异议", "对不予或终止法律援助的决定提出异议（第四十九条）。")
def case_objection(request: HttpRequest, public_id: str, payload: ObjectionIn) -> CaseActionOut:
    row = services.objection_file(actor=api_user(request), public_id=public_id, grounds=payload.grounds)
    return _answer(row.case_id, _record("objection", row, against=row.against))


@action("objection-decision", "审查异议", "由司法行政部门作出（第四十九条）。")
def case_objection_decision(request: HttpRequest, public_id: str, payload: ObjectionDecisionIn) -> CaseActionOut:
    row = services.objection_decide(actor=api_user(request), public_id=public_id, uphold=payload.uphold,
                                    reasons=payload.reasons)
    return _answer(row.case_id, _record("objection", row, outcome=row.outcome))


@action("change-provider", "更换承办人员", "受援人申请更换；原承办人员不参加本次轮派。")
def case_change_provider(request: HttpRequest, public_id: str, payload: ChangeProviderIn) -> CaseActionOut:
    row = services.case_change_provider(actor=api_user(request), public_id=public_id, reason=payload.reason,
                                        provider_id=payload.provider_id)
    return _answer(row.case_id, _record("assignment", row, provider_id=row.provider_id, method=row.method))


@action("withdraw", "撤回申请")
def case_withdraw(request: HttpRequest, public_id: str, payload: ReasonIn) -> CaseActionOut:
    case = services.case_withdraw(actor=api_user(request), public_id=public_id, reason=payload.reason)
    return _answer(case.pk)
