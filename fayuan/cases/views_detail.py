"""The case page: everything about one case on one screen, and the action panels its user may use now.

The live part (status, panels, timeline, lists) is one partial, ``cases/_case_live.html``: the page includes it and
every htmx action swaps it whole, so the status, the buttons and the timeline never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.accounts.roles import CASE_READER_ROLES
from fayuan.core.errors import DomainError
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.eligibility import engine
from fayuan.eligibility.models import CriminalGround, Matter
from fayuan.eligibility.presentation import green_channel_lines, means_test_waiver

from . import selectors, workflow
from .forms import FACT_LABELS
from .models import (
    AssignmentMethod,
    Case,
    CaseEvent,
    Channel,
    Document,
    ProgressKind,
    SupplementRequest,
    TerminationReason,
)
from .notice_basis import notice_basis
from .origins import case_origins, case_related
from .policy import case_fields_for, documents_visible
from .services.review import assess
from .views_panels import CaseFacts, PanelView, panels_for

# Timeline labels of the events that are not transitions (transitions use the workflow's own labels).
EVENT_LABELS = {
    "received": "收到申请",
    "assignment_accepted": "承办人员接受指派",
    "aid_first_confirmed": "先行援助后确认给予法律援助",
    "organ_reference_recorded": "登记办案机关案号",
}
MEANS_TEST_LABELS = {
    "passed": "经济困难审查：符合",
    "failed": "经济困难审查：不符合",
    "exempt": "免予经济困难审查",
    "not_required": "不以经济困难为条件",
    "no_standard": "无法进行经济困难审查（申请日没有适用的最低工资标准）",
}
STATUS_TONES = {
    "at_station": "secondary", "received": "info", "supplement_requested": "warning", "under_review": "info",
    "aid_first": "primary", "granted": "primary", "refused": "danger", "objection": "warning",
    "assigned": "primary", "agreement_signed": "primary", "in_progress": "primary",
    "closing_submitted": "info", "closed": "success", "archived": "dark", "withdrawn": "secondary",
    "terminated": "danger",
}


def event_label(kind: str) -> str:
    if kind in workflow.BY_ACTION:
        return workflow.BY_ACTION[kind].label
    if kind.startswith("progress_"):
        code = kind.removeprefix("progress_")
        label = ProgressKind(code).label if code in ProgressKind.values else code
        return f"办案进展：{label}"
    return EVENT_LABELS.get(kind, kind)


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    details: list[str]
    actor: str


def _event_details(event: CaseEvent, providers: dict[int, str]) -> list[str]:
    p = event.payload or {}
    out: list[str] = []
    if event.kind == "received" and p.get("channel") in Channel.values:
        out.append(f"渠道：{Channel(p['channel']).label}")
    if p.get("items"):
        out.append("需补充：" + "；".join(p["items"]))
    if p.get("due_on"):
        out.append(f"补充期限：{p['due_on']}")
    if "provider" in p and p["provider"] in providers:
        method = AssignmentMethod(p["method"]).label if p.get("method") in AssignmentMethod.values else ""
        out.append(f"承办人员：{providers[p['provider']]}" + (f"（{method}）" if method else ""))
    if p.get("signed_on"):
        out.append(f"签订日期：{p['signed_on']}")
    if p.get("reason") in TerminationReason.values:
        out.append(f"终止理由：{TerminationReason(p['reason']).label}")
    if p.get("court"):
        out.append(f"法院/机关：{p['court']}")
    if p.get("hearing_at"):
        out.append(f"开庭时间：{p['hearing_at'][:16].replace('T', ' ')}")
    if p.get("retention_until"):
        out.append(f"保管期限至：{p['retention_until']}")
    return out


def _actor(event: CaseEvent) -> str:
    if event.actor is None:
        return "系统"
    return f"{event.actor}（{event.actor.role_label}）"


def timeline(case: Case, providers: dict[int, str]) -> list[TimelineEntry]:
    """The case's history, newest first, in plain Chinese."""
    events = case.events.select_related("actor").order_by("-at", "-id")
    return [TimelineEntry(e, event_label(e.kind), _event_details(e, providers), _actor(e)) for e in events]


def eligibility(case: Case, user: User) -> dict[str, Any] | None:
    """The review as the reviewer saw it (the latest saved assessment), or the engine's view now. A case opened by
    an organ's notice had no review: its ground, the article and why no means test applies, from the app that
    holds the notice (``notice_basis``)."""
    if case.channel == Channel.ORGAN_NOTICE:
        basis = notice_basis(case)
        if basis is not None:
            return {"notice": basis, "eligible": True,
                    "source": f"{basis.organ}于{basis.received_on:%Y-%m-%d}{basis.kind}，不经申请和审查"}
    if not case_fields_for(user, case).household:
        return None  # the means test is the center's business; providers do not need the household's income
    latest = case.assessments.select_related("assessed_by").first()
    if latest is not None:
        data, source = latest.result, f"{timezone.localtime(latest.assessed_at):%Y-%m-%d %H:%M} 审查时保存的结果"
    else:
        try:
            data = assess(case).as_dict()
        except DomainError as exc:
            return {"error": exc.message}
        source = "按收到申请之日的规则计算（尚未作出决定）"
    return {**data, "source": source, "means_label": MEANS_TEST_LABELS.get(str(data.get("means_test")), ""),
            "green_lines": green_channel_lines(data), "waiver": means_test_waiver(data)}


def document_url(case: Case, document: Document) -> str | None:
    """The official document's page, once the documents URLs are mounted."""
    try:
        return reverse("case_documents:document", args=[case.public_id, document.pk])
    except NoReverseMatch:
        return None


def _deadline_rows(case: Case) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for d in deadlines_for_subject(case).order_by("due_on", "id"):
        if d.cancelled_at is not None:
            state, tone = "已取消", "secondary"
        elif d.met_at is not None:
            state, tone = ("逾期完成", "warning") if d.met_late else ("按期完成", "success")
        elif d.is_paused:
            state, tone = "暂停计算", "secondary"
        elif d.due_at is not None and d.due_at < timezone.now():
            hours = int((timezone.now() - d.due_at).total_seconds() // 3600)
            state, tone = f"已逾期 {hours} 小时", "danger"
        elif d.due_at is not None:
            hours = int((d.due_at - timezone.now()).total_seconds() // 3600)
            state, tone = f"还有 {hours} 小时", "warning" if hours < 6 else "info"
        elif d.due_on < today:
            state, tone = f"已逾期 {(today - d.due_on).days} 日", "danger"
        elif d.due_on == today:
            state, tone = "今日到期", "warning"
        else:
            state, tone = f"还有 {(d.due_on - today).days} 日", "info"
        rows.append({"deadline": d, "state": state, "tone": tone})
    return rows


def _names(case: Case) -> dict[str, Any]:
    """The catalogue names of the case's codes, from the rows in force when it was received."""
    on = timezone.localdate(case.received_at)
    rows = CriminalGround if case.case_type == "criminal" else Matter
    code = case.criminal_ground if case.case_type == "criminal" else case.matter
    name = rows.objects.in_force_on(on).filter(code=code).values_list("name", flat=True).first() if code else None
    if case.matter == "other":
        name = "其他（不在目录中）"
    return {
        "ground_name" if case.case_type == "criminal" else "matter_name": name or code,
        "group_names": [engine.GROUP_NAMES.get(g, g) for g in case.groups],
        "fact_names": [FACT_LABELS.get(f, f) for f in case.special_facts],
    }


def case_context(case: Case, user: User, *, bound: PanelView | None = None, flash: str = "") -> dict[str, Any]:
    present = selectors.case_records_present(case)
    assignments = list(case.assignments.select_related("provider", "assigned_by"))
    closing_files = (list(case.closing_files.select_related("judgment", "submitted_by", "reviewed_by"))
                     if "closing_files" in present else [])
    decisions = list(case.decisions.select_related("decided_by"))
    objections = list(case.objections.select_related("filed_by", "decided_by")) if "objections" in present else []
    supplement = SupplementRequest.objects.filter(case=case).first() if "supplement" in present else None
    facts = CaseFacts.from_lists(case, assignments=assignments, closing_files=closing_files, objections=objections,
                                 supplement=supplement, decisions=decisions)
    providers = {a.provider_id: a.provider.name for a in assignments}
    documents = [(d, document_url(case, d)) for d in documents_visible(user, case)]
    return {
        "case": case,
        "status_tone": STATUS_TONES.get(case.status, "secondary"),
        "role": user.role,
        "fields": case_fields_for(user, case),
        "panels": panels_for(case, user, facts, bound),
        "timeline": timeline(case, providers),
        "eligibility": eligibility(case, user),
        "deadlines": _deadline_rows(case),
        "documents": documents,
        "files": list(case.files.all()) if "files" in present else [],
        "progress": (list(case.progress.select_related("file", "recorded_by").order_by("-occurred_on", "-id"))
                     if "progress" in present else []),
        "closing_files": closing_files,
        "decisions": decisions,
        "objections": objections,
        "terminations": list(case.terminations.select_related("decided_by")) if "terminations" in present else [],
        "assignments": assignments,
        "active_assignment": facts.assignment,
        "supplement": supplement,
        "origins": case_origins(case, user), "related": case_related(case, user),
        "flash": flash,
        **_names(case),
    }


@office_view(CASE_READER_ROLES)
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    case = selectors.case_get_for_user(user, public_id)  # audited read
    return render(request, "cases/detail.html", case_context(case, user))
