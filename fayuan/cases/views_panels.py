"""The action panels of the case page: one entry per action URL, with the workflow actions it performs, the
roles that may reach it, the form, and the one service call it makes.

A panel is shown only when ``workflow.available(case.status, role)`` offers one of its transitions and the few
facts the table cannot know (who is the active provider, whether a closing file is pending) allow it. The services
check all of it again under the row lock; this only keeps invalid buttons off the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, INTAKE_ROLES, PROVIDER_ROLES, Role
from fayuan.core.errors import ValidationFailed
from fayuan.org.provider_notes import provider_notes

from . import services, workflow
from .forms import (
    ActionForm,
    AgreementForm,
    AssignForm,
    ChangeProviderForm,
    ClosingForm,
    ClosingReviewForm,
    DecideForm,
    EmptyForm,
    MaterialsForm,
    NoteForm,
    ObjectionDecisionForm,
    ObjectionForm,
    ProgressForm,
    ReasonForm,
    SupplementForm,
    TerminateForm,
)
from .models import Assignment, Case, ClosingFile, DecisionKind, Objection, ObjectionOutcome, Status, SupplementRequest
from .services.review import AID_FIRST_OPEN, bureau_may_decide, objection_bureau

CENTER, INTAKE, PROVIDERS, BUREAU = CENTER_ROLES, INTAKE_ROLES, PROVIDER_ROLES, BUREAU_ROLES

# Possible at many steps but not what the case is waiting for: kept out of "my to-do" and shown collapsed.
SIDE_ACTIONS = frozenset({"withdraw", "terminate", "change_provider", "object", "expire_supplement", "decline",
                          "start_review", "provide_aid_first"})
# Whose step an action is when the table lets several roles take it (the others may act on their behalf).
PRIMARY_ROLES: dict[str, frozenset[str]] = {
    "forward": frozenset({Role.STATION_CLERK}),
    "sign_agreement": PROVIDERS,
}
CLOSED_FOR_MATERIALS = frozenset({Status.CLOSED, Status.ARCHIVED, Status.WITHDRAWN, Status.TERMINATED})
DECISION_KINDS = {"grant": DecisionKind.GRANT, "refuse": DecisionKind.REFUSE,
                  "provide_aid_first": DecisionKind.AID_FIRST}


@dataclass
class CaseFacts:
    """What the guards need beyond the status, read once per page."""

    assignment: Assignment | None
    pending_closing: ClosingFile | None
    pending_objection: Objection | None
    supplement_requested: bool
    grant_decided: bool

    @classmethod
    def of(cls, case: Case) -> CaseFacts:
        return cls(
            assignment=case.assignments.filter(is_active=True).select_related("provider").first(),
            pending_closing=case.closing_files.filter(accepted__isnull=True).first(),
            pending_objection=case.objections.filter(outcome=ObjectionOutcome.PENDING).first(),
            supplement_requested=SupplementRequest.objects.filter(case=case).exists(),
            grant_decided=case.aid_first and case.decisions.filter(kind=DecisionKind.GRANT).exists(),
        )

    @classmethod
    def from_lists(cls, case: Case, *, assignments: list[Assignment], closing_files: list[ClosingFile],
                   objections: list[Objection], supplement: SupplementRequest | None,
                   decisions: list[Any]) -> CaseFacts:
        """The same facts from the rows the case page has loaded anyway (no query of its own)."""
        return cls(
            assignment=next((a for a in assignments if a.is_active), None),
            pending_closing=next((c for c in closing_files if c.accepted is None), None),
            pending_objection=next((o for o in objections if o.outcome == ObjectionOutcome.PENDING), None),
            supplement_requested=supplement is not None,
            grant_decided=case.aid_first and any(d.kind == DecisionKind.GRANT for d in decisions),
        )

    def is_assignee(self, user: User) -> bool:
        return self.assignment is not None and user.provider_id == self.assignment.provider_id


Guard = Callable[[Case, User, CaseFacts], str | None]
Perform = Callable[[User, Case, Any], str]


def _no_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    return None


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    submit: str
    form: type[ActionForm]
    roles: frozenset[str]
    perform: Perform
    transitions: tuple[str, ...] = ()
    guard: Guard = _no_guard
    hint: str = ""
    tone: str = "primary"
    template: str = ""
    prepare: Callable[[Case, User, CaseFacts], dict[str, Any]] | None = None
    secondary: bool = False  # never the panel that opens first
    # Drawn empty while collapsed and filled when opened (htmx): what it prepares is costly and rarely wanted.
    deferred: bool = False

    @property
    def side(self) -> bool:
        return self.secondary or (bool(self.transitions) and all(t in SIDE_ACTIONS for t in self.transitions))

    def url(self, case: Case) -> str:
        return reverse(f"cases:{self.name}", args=[case.public_id])


def refusal(panel: Panel, case: Case, user: User, facts: CaseFacts) -> str | None:
    """Why the panel's action cannot be taken on this case by this user now (Chinese), or None."""
    if panel.transitions:
        names = {t.action for t in workflow.available(case.status, user.role)}
        if not names & set(panel.transitions):
            try:
                workflow.check(case.status, panel.transitions[0], user.role)
            except workflow.TransitionRefused as exc:
                return exc.message
            return "当前不能执行该操作。"  # pragma: no cover - check() refuses whatever available() leaves out
    return panel.guard(case, user, facts)


# --- guards ------------------------------------------------------------------------------------------------


def _status_is(*statuses: str, action: str) -> Guard:
    def guard(case: Case, user: User, facts: CaseFacts) -> str | None:
        if case.status not in statuses:
            return f"案件当前状态为“{workflow.status_label(case.status)}”，不能{action}。"
        return None
    return guard


def _assignee(case: Case, user: User, facts: CaseFacts) -> str | None:
    if user.role in PROVIDERS and not facts.is_assignee(user):
        return "您不是本案当前的承办人员。"
    return None


def _accept_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    reason = _status_is(Status.ASSIGNED, action="接受指派")(case, user, facts) or _assignee(case, user, facts)
    if reason is None and facts.assignment is not None and facts.assignment.accepted_at is not None:
        return "您已接受本案指派。"
    return reason


def _decline_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if not facts.is_assignee(user):
        return "您不是本案当前的承办人员。"
    if facts.assignment is not None and facts.assignment.accepted_at is not None:
        return "已接受的指派不能拒绝；如需停止承办，请向中心报告。"
    return None


def _agreement_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if facts.assignment is None:
        return "本案尚未指派承办人员。"
    if facts.assignment.accepted_at is None:
        return "承办人员尚未接受指派，不能登记委托协议。"
    return _assignee(case, user, facts)


def _progress_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if user.role not in PROVIDERS:
        return "只有本案当前的承办人员可以记录办案进展。"
    return (_status_is(Status.AGREEMENT_SIGNED, Status.IN_PROGRESS, action="记录办案进展")(case, user, facts)
            or _assignee(case, user, facts))


def _closing_review_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    return None if facts.pending_closing is not None else "没有待审查的结案材料。"


def _objection_decision_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if facts.pending_objection is None:
        return "本案没有待审查的异议。"
    if not bureau_may_decide(user, case):
        return f"本异议由{objection_bureau(case)[1]}审查决定（法律援助法第四十九条第一款）。"
    return None


def _supplement_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    return "补充材料只能一次性告知，本案已发出过补充材料通知。" if facts.supplement_requested else None


def _aid_first_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if not case.aid_first or facts.grant_decided:
        return "本案不是待确认的先行援助案件。"
    if case.status not in AID_FIRST_OPEN:
        return f"案件当前状态为“{workflow.status_label(case.status)}”，不能确认先行援助。"
    return None


def _change_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    return None if facts.assignment is not None else "本案没有当前承办人员。"


# --- what each panel needs to draw itself --------------------------------------------------------------------


def _decide_prepare(case: Case, user: User, facts: CaseFacts) -> dict[str, Any]:
    kinds = [DECISION_KINDS[t.action] for t in workflow.available(case.status, user.role)
             if t.action in DECISION_KINDS]
    return {"form_kwargs": {"kinds": kinds}}


def _names(ids: list[int]) -> dict[int, str]:
    from fayuan.org.models import Provider

    return dict(Provider.objects.filter(pk__in=ids).values_list("pk", "name"))


def _ranking(case: Case, user: User, exclude: frozenset[int] = frozenset()) -> dict[str, Any]:
    ranked, refused = services.rank_for_case(case, exclude)
    names = _names(list(refused))
    # Information from the apps above (repeated complaints, the excellent-lawyer team): shown, never a rule.
    notes = provider_notes([r.candidate.provider_id for r in ranked], user)
    return {
        "form_kwargs": {"eligible": [(r.candidate.provider_id, r.candidate.name) for r in ranked]},
        "context": {
            "ranked": [(r, notes.get(r.candidate.provider_id, [])) for r in ranked],
            "top": ranked[0] if ranked else None,
            "top_notes": notes.get(ranked[0].candidate.provider_id, []) if ranked else [],
            "refused": sorted(((names.get(pk, str(pk)), why) for pk, why in refused.items())),
        },
    }


def _assign_prepare(case: Case, user: User, facts: CaseFacts) -> dict[str, Any]:
    return _ranking(case, user)


def _change_prepare(case: Case, user: User, facts: CaseFacts) -> dict[str, Any]:
    exclude = frozenset({facts.assignment.provider_id}) if facts.assignment else frozenset()
    return _ranking(case, user, exclude)


# --- the one service call of each panel ----------------------------------------------------------------------


def _forward(user: User, case: Case, form: Any) -> str:
    services.case_forward(actor=user, public_id=case.public_id)
    return f"已将申请 {case.number} 转交{case.center}。"


def _supplement(user: User, case: Case, form: Any) -> str:
    request = services.supplement_request(actor=user, public_id=case.public_id, items=form.item_list(),
                                          note=form.cleaned_data["note"], due_on=form.cleaned_data["due_on"])
    return f"已一次性告知补充 {len(request.items)} 项材料，期限至 {request.due_on:%Y年%m月%d日}。"


def _supplement_received(user: User, case: Case, form: Any) -> str:
    services.supplement_receive(actor=user, public_id=case.public_id, note=form.cleaned_data["note"])
    return "已登记收到补充材料，案件回到审查中。"


def _start_review(user: User, case: Case, form: Any) -> str:
    services.case_start_review(actor=user, public_id=case.public_id)
    return "已开始审查。"


def _aid_first_confirm(user: User, case: Case, form: Any) -> str:
    services.aid_first_confirm(actor=user, public_id=case.public_id, reasons=form.cleaned_data["note"])
    return "已确认给予法律援助（先行援助后补办审查）。"


def _decide(user: User, case: Case, form: Any) -> str:
    decision = services.case_decide(actor=user, public_id=case.public_id, kind=form.cleaned_data["kind"],
                                    reasons=form.cleaned_data["reasons"])
    number = f"（{decision.document_number}）" if decision.document_number else ""
    return f"已作出决定：{decision.get_kind_display()}{number}。"


def _assign(user: User, case: Case, form: Any) -> str:
    assignment = services.case_assign(actor=user, public_id=case.public_id,
                                      provider_id=form.cleaned_data["provider"], reason=form.cleaned_data["reason"])
    return f"已指派{assignment.provider}承办（{assignment.get_method_display()}）。"


def _accept(user: User, case: Case, form: Any) -> str:
    services.assignment_accept(actor=user, public_id=case.public_id)
    return "已接受指派。请在五日内与受援人签订委托协议。"


def _decline(user: User, case: Case, form: Any) -> str:
    services.assignment_decline(actor=user, public_id=case.public_id, reason=form.cleaned_data["reason"])
    return "已拒绝指派，中心将重新指派。"


def _agreement(user: User, case: Case, form: Any) -> str:
    agreement = services.agreement_record(actor=user, public_id=case.public_id,
                                          signed_on=form.cleaned_data["signed_on"])
    return f"已登记委托协议（{agreement.signed_on:%Y年%m月%d日}签订）。"


def _progress(user: User, case: Case, form: Any) -> str:
    data = form.cleaned_data
    entry = services.progress_record(actor=user, public_id=case.public_id, kind=data["kind"],
                                     occurred_on=data["occurred_on"], summary=data["summary"], court=data["court"],
                                     hearing_at=data["hearing_at"], upload=data["upload"])
    return f"已记录办案进展：{entry.get_kind_display()}。"


def _closing(user: User, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.closing_submit(actor=user, public_id=case.public_id, outcome=data["outcome"], report=data["report"],
                            money_recovered=data["money_recovered"], money_saved=data["money_saved"],
                            judgment=data["upload"])
    return "已提交结案材料，等待中心审查。"


def _closing_review(user: User, case: Case, form: Any) -> str:
    accept = form.cleaned_data["verdict"] == "accept"
    services.closing_review(actor=user, public_id=case.public_id, accept=accept, notes=form.cleaned_data["notes"])
    return "结案材料审查通过，案件已结案。" if accept else "已退回补正结案材料。"


def _archive(user: User, case: Case, form: Any) -> str:
    until = services.case_archive(actor=user, public_id=case.public_id).retention_until
    return f"已归档，保管期限至 {until:%Y年%m月%d日}。" if until else "已归档。"


def _terminate(user: User, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.case_terminate(actor=user, public_id=case.public_id, reason=data["reason"],
                            explanation=data["explanation"], provider_report=data["provider_report"])
    return "已决定终止法律援助。"


def _objection(user: User, case: Case, form: Any) -> str:
    services.objection_file(actor=user, public_id=case.public_id, grounds=form.cleaned_data["grounds"])
    return "已登记异议，报司法行政部门在五日内审查。"


def _objection_decision(user: User, case: Case, form: Any) -> str:
    uphold = form.cleaned_data["verdict"] == "uphold"
    services.objection_decide(actor=user, public_id=case.public_id, uphold=uphold,
                              reasons=form.cleaned_data["reasons"])
    return "异议不成立，维持原决定。" if uphold else "异议成立，已责令改正。"


def _change_provider(user: User, case: Case, form: Any) -> str:
    assignment = services.case_change_provider(actor=user, public_id=case.public_id,
                                               reason=form.cleaned_data["reason"],
                                               provider_id=form.cleaned_data["provider"])
    return f"已更换承办人员为{assignment.provider}。"


def _materials(user: User, case: Case, form: Any) -> str:
    uploads = form.cleaned_data["uploads"]
    with transaction.atomic():  # all the files or none
        for upload in uploads:
            try:
                services.case_file_add(actor=user, case=case, kind=form.cleaned_data["kind"], upload=upload)
            except ValidationFailed as exc:
                raise ValidationFailed(f"{upload.name}：{exc.message}", field="file") from None
    return f"已上传 {len(uploads)} 份材料。"


def _materials_guard(case: Case, user: User, facts: CaseFacts) -> str | None:
    if case.status in CLOSED_FOR_MATERIALS:
        return f"案件当前状态为“{workflow.status_label(case.status)}”，不能再上传申请材料。"
    return None


def _withdraw(user: User, case: Case, form: Any) -> str:
    services.case_withdraw(actor=user, public_id=case.public_id, reason=form.cleaned_data["reason"])
    return "已登记撤回申请。"


PANELS: tuple[Panel, ...] = (
    Panel("forward", "转交中心", "转交中心审查", EmptyForm, INTAKE, _forward, ("forward",),
          hint="工作站收到申请后应及时转交；在押人员的申请须在二十四小时内转交（法律援助法第三十九条）。"),
    Panel("supplement_received", "收到补充材料", "登记收到补充材料", NoteForm, INTAKE, _supplement_received,
          ("receive_supplement",), hint="补充的材料请在“申请材料”中一并上传。"),
    Panel("decide", "审查决定", "作出决定", DecideForm, CENTER, _decide, ("grant", "refuse", "provide_aid_first"),
          prepare=_decide_prepare, hint="决定应在收到申请之日起七日内作出（法律援助法第四十三条）。"),
    Panel("start_review", "开始审查", "开始审查", EmptyForm, CENTER, _start_review, ("start_review",),
          tone="secondary", hint="标记为“审查中”（可选）；也可以直接作出决定。"),
    Panel("supplement", "一次性告知补充材料", "发出补充材料通知", SupplementForm, CENTER, _supplement,
          ("request_supplement",), guard=_supplement_guard,
          hint="材料不齐全的，应一次性告知申请人需要补充的全部材料（法律援助法第四十三条）。"),
    Panel("assign", "指派承办人员", "指派", AssignForm, CENTER, _assign, ("assign",), prepare=_assign_prepare,
          template="cases/panels/assign.html"),
    Panel("aid_first_confirm", "确认给予法律援助", "确认给予", NoteForm, CENTER, _aid_first_confirm,
          guard=_aid_first_guard,
          hint="先行提供法律援助的，补办手续、补充材料后完成审查，确认给予（法律援助法第四十四条）。"),
    Panel("accept", "接受指派", "接受指派", EmptyForm, PROVIDERS, _accept, guard=_accept_guard,
          hint="接受后请在五日内与受援人签订委托协议。"),
    Panel("agreement", "登记委托协议", "登记委托协议", AgreementForm, PROVIDERS | CENTER, _agreement,
          ("sign_agreement",), guard=_agreement_guard),
    Panel("progress", "记录办案进展", "记录进展", ProgressForm, PROVIDERS, _progress, guard=_progress_guard),
    Panel("closing", "提交结案材料", "提交结案材料", ClosingForm, PROVIDERS, _closing, ("submit_closing",),
          guard=_assignee),
    Panel("closing_review", "审查结案材料", "提交审查结论", ClosingReviewForm, CENTER, _closing_review,
          ("accept_closing", "return_closing"), guard=_closing_review_guard),
    Panel("archive", "归档", "归档", EmptyForm, CENTER, _archive, ("archive",),
          hint="归档后案卷不再变动，按规定期限保管。"),
    Panel("objection_decision", "异议审查", "作出审查决定", ObjectionDecisionForm, BUREAU, _objection_decision,
          ("uphold_refusal", "overturn_refusal", "uphold_termination", "overturn_termination"),
          guard=_objection_decision_guard, hint="异议应在收到之日起五日内审查决定（法律援助法第四十九条）。"),
    Panel("objection", "登记异议", "登记异议", ObjectionForm, CENTER, _objection, ("object",), tone="warning"),
    Panel("decline", "拒绝指派", "拒绝指派", ReasonForm, PROVIDERS, _decline, ("decline",), guard=_decline_guard,
          tone="danger", hint="拒绝须有正当理由（法律援助法第四十六条）。"),
    Panel("change_provider", "更换承办人员", "更换", ChangeProviderForm, CENTER, _change_provider,
          ("change_provider",), guard=_change_guard, tone="warning", prepare=_change_prepare,
          template="cases/panels/assign.html", deferred=True),
    Panel("terminate", "终止法律援助", "终止法律援助", TerminateForm, CENTER, _terminate, ("terminate",),
          tone="danger", hint="终止须属于法律援助法第四十八条规定的情形，并书面告知受援人。"),
    Panel("withdraw", "撤回申请", "登记撤回", ReasonForm, INTAKE, _withdraw, ("withdraw",), tone="danger"),
    Panel("materials", "上传材料", "上传", MaterialsForm, INTAKE, _materials, guard=_materials_guard,
          tone="secondary", secondary=True, hint="申请人补交的材料、证明等；可用手机拍照上传。"),
)
BY_NAME: dict[str, Panel] = {p.name: p for p in PANELS}


@dataclass
class PanelView:
    """One panel as drawn: its form (bound after an invalid submission) and what its template needs."""

    panel: Panel
    form: ActionForm | None  # None: a deferred panel, filled from its URL when opened
    context: dict[str, Any]
    open: bool
    url: str


def build_form(panel: Panel, case: Case, user: User, facts: CaseFacts, data: Any = None,
               files: Any = None) -> tuple[ActionForm, dict[str, Any]]:
    prepared = panel.prepare(case, user, facts) if panel.prepare else {}
    form = panel.form(data, files, case=case, user=user, auto_id=f"{panel.name}-%s",
                      **prepared.get("form_kwargs", {}))
    return form, prepared.get("context", {})


def panels_for(case: Case, user: User, facts: CaseFacts, bound: PanelView | None = None) -> list[PanelView]:
    """The panels this user may use on this case now; the first main one is open."""
    shown: list[PanelView] = []
    for panel in PANELS:
        if user.role not in panel.roles:
            continue
        if bound is not None and bound.panel.name == panel.name:
            shown.append(bound)
            continue
        if refusal(panel, case, user, facts) is not None:
            continue
        if panel.deferred:  # collapsed on arrival: ranking every provider waits until someone opens it
            shown.append(PanelView(panel, None, {}, open=False, url=panel.url(case)))
            continue
        form, context = build_form(panel, case, user, facts)
        shown.append(PanelView(panel, form, context, open=False, url=panel.url(case)))
    if bound is None:
        main = next((p for p in shown if not p.panel.side), None)
        if main is not None:
            main.open = True
            if main.form is None:
                main.form, main.context = build_form(main.panel, case, user, facts)
    return shown


def next_steps(status: str, role: str) -> list[str]:
    """The panels a case in ``status`` waits for from ``role``, by title (for queue rows; no database)."""
    names = {t.action for t in workflow.available(status, role)
             if t.action not in SIDE_ACTIONS and role in PRIMARY_ROLES.get(t.action, t.roles)}
    steps = [p.title for p in PANELS if not p.side and role in p.roles and set(p.transitions) & names]
    if role in PROVIDERS and status == Status.ASSIGNED:
        steps.insert(0, "接受指派")
    if role in PROVIDERS and status in (Status.AGREEMENT_SIGNED, Status.IN_PROGRESS):
        steps.insert(0, "记录办案进展")
    return steps


def todo_statuses(role: str) -> frozenset[str]:
    """The statuses in which a case waits for this role (side paths such as withdrawal do not count)."""
    out: set[str] = set()
    for t in workflow.TRANSITIONS:
        if role in t.roles and t.action not in SIDE_ACTIONS and role in PRIMARY_ROLES.get(t.action, t.roles):
            out |= t.sources
    if role in PROVIDERS:
        out |= {Status.ASSIGNED, Status.IN_PROGRESS}  # accept, progress: facts, not transitions
    return frozenset(out)
