"""The online application, one step per page. Every POST saves what was typed (valid or not), so the applicant
can stop at any point and come back later; "下一步" also checks the step and moves on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fayuan.cases.models import AgentRelationship
from fayuan.core.client_ip import client_ip
from fayuan.core.errors import ValidationFailed
from fayuan.people.idnumber import mask

from . import consent as texts
from . import routing, services
from .access import applicant, applicant_view
from .forms import MatterForm, UploadForm, WhereForm, step_form, validate_draft
from .models import STEP_ORDER, ApplicationDraft, ConsentSubject, DraftStep
from .services.application import MAX_FILES_PER_DRAFT, CleanApplication, has_consent


def _steps(current: str) -> list[dict[str, Any]]:
    index = STEP_ORDER.index(current)
    return [{"code": s, "label": DraftStep(s).label, "number": i + 1, "current": s == current, "done": i < index}
            for i, s in enumerate(STEP_ORDER)]


def _next(step: str) -> str:
    return STEP_ORDER[min(STEP_ORDER.index(step) + 1, len(STEP_ORDER) - 1)]


def _previous(step: str) -> str:
    return STEP_ORDER[max(STEP_ORDER.index(step) - 1, 0)]


def _raw(form: forms.Form, post: Any) -> dict[str, Any]:
    """The submitted values of this step's fields, as typed (lists for multiple choices)."""
    out: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            out[name] = post.getlist(name)
        elif isinstance(field, forms.BooleanField):
            out[name] = "on" if post.get(name) else ""
        else:
            out[name] = post.get(name, "")
    return out


def _render(request: HttpRequest, draft: ApplicationDraft, step: str, context: dict[str, Any]) -> HttpResponse:
    base = {"draft": draft, "step": step, "steps": _steps(step), "step_label": DraftStep(step).label,
            "step_number": STEP_ORDER.index(step) + 1, "step_count": len(STEP_ORDER)}
    return render(request, f"portal/apply/{step}.html", base | context)


@applicant_view
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest) -> HttpResponse:
    user = applicant(request)
    if request.method == "POST":
        draft = services.draft_start(account=user)
        return redirect("portal:apply_step", step=draft.step)
    return render(request, "portal/apply/start.html", {"draft": services.draft_open_for(user),
                                                       "step_labels": dict(DraftStep.choices)})


@applicant_view
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_ORDER:
        raise Http404("未找到该页面。")
    user = applicant(request)
    draft = services.draft_open_for(user)
    if draft is None:
        return redirect("portal:apply")
    if step != DraftStep.CONSENT and not has_consent(draft, ConsentSubject.SELF):
        return redirect("portal:apply_step", step=DraftStep.CONSENT)
    if step == DraftStep.FILES:
        return _files(request, draft)
    if step == DraftStep.CONFIRM:
        return _confirm(request, draft)
    data = services.draft_data(draft)
    extra: dict[str, Any] = {}
    if step == DraftStep.CONSENT:
        extra["consent"] = texts.SENSITIVE_SELF
    if step == DraftStep.WHERE:
        extra.update(case_type=data.get("case_type", ""), rules=routing.RULE_TEXT,
                     litigation=data.get("case_type") in routing.LITIGATION)
    if step == DraftStep.WHO:
        extra["relative_consent_text"] = texts.SENSITIVE_RELATIVE
    if request.method != "POST":
        form = step_form(step, None, data)
        if step == DraftStep.WHERE and data.get("organ_station") is not None:
            bound = step_form(step, data, data)
            if bound.is_valid() and isinstance(bound, WhereForm) and bound.route is not None:
                extra["route"] = bound.route
        return _render(request, draft, step, {"form": form} | extra)
    form = step_form(step, request.POST, data)
    if step == DraftStep.CONSENT:
        if form.is_valid():
            services.consent_record(account=user, draft_id=draft.public_id, subject=ConsentSubject.SELF,
                                    ip=client_ip(request))
            services.draft_save(account=user, draft_id=draft.public_id, step=step, data={},
                                advance_to=_next(step))
            return redirect("portal:apply_step", step=_next(step))
        return _render(request, draft, step, {"form": form} | extra)
    raw = _raw(form, request.POST)
    action = request.POST.get("action", "next")
    if action == "save":
        services.draft_save(account=user, draft_id=draft.public_id, step=step, data=raw)
        messages.success(request, "已保存。您可以随时回来继续填写（登录后点“在线申请”）。")
        return redirect("portal:apply_step", step=step)
    if action == "back":
        services.draft_save(account=user, draft_id=draft.public_id, step=step, data=raw)
        return redirect("portal:apply_step", step=_previous(step))
    valid = form.is_valid()
    services.draft_save(account=user, draft_id=draft.public_id, step=step, data=raw,
                        advance_to=_next(step) if valid else None)
    if not valid:
        return _render(request, draft, step, {"form": form} | extra)
    if step == DraftStep.WHO and form.cleaned_data.get("on_behalf") == "relative":
        services.consent_record(account=user, draft_id=draft.public_id, subject=ConsentSubject.RELATIVE,
                                ip=client_ip(request))
    return redirect("portal:apply_step", step=_next(step))


def _files(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    user = applicant(request)
    step = DraftStep.FILES
    form = UploadForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "upload":
            uploads = request.FILES.getlist("files")
            if not uploads:
                problems.append("请选择要上传的照片或文件。")
            elif form.is_valid():
                added = 0
                for upload in uploads:
                    try:
                        services.draft_file_add(account=user, draft_id=draft.public_id,
                                                kind=form.cleaned_data["kind"], upload=upload)
                        added += 1
                    except ValidationFailed as exc:
                        problems.append(f"“{upload.name}”没有上传：{exc.message}")
                if added:
                    messages.success(request, f"已上传 {added} 个文件。")
                if not problems:
                    return redirect("portal:apply_step", step=step)
        elif action == "remove":
            services.draft_file_remove(account=user, draft_id=draft.public_id, file_id=request.POST.get("file", ""))
            return redirect("portal:apply_step", step=step)
        elif action == "back":
            return redirect("portal:apply_step", step=_previous(step))
        elif action == "next":
            services.draft_save(account=user, draft_id=draft.public_id, step=step, data={}, advance_to=_next(step))
            return redirect("portal:apply_step", step=_next(step))
    files = list(draft.files.all())
    return _render(request, draft, step, {
        "form": form, "files": files, "problems": problems, "max_files": MAX_FILES_PER_DRAFT,
        "has_id_document": any(f.kind == "id_document" for f in files),
    })


def _confirm(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    user = applicant(request)
    data = services.draft_data(draft)
    problems: dict[str, list[str]] = {}
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect("portal:apply_step", step=_previous(DraftStep.CONFIRM))
        try:
            case = services.application_submit(account=user, draft_id=draft.public_id, ip=client_ip(request))
        except ValidationFailed as exc:
            error = exc.message
        else:
            return redirect("portal:receipt", public_id=case.public_id)
    clean = None
    try:
        clean = validate_draft(data)
    except ValidationFailed as exc:
        problems = exc.errors
    files = list(draft.files.all())
    summary = _summary(clean) if clean is not None else None
    return _render(request, draft, DraftStep.CONFIRM, {
        "summary": summary, "problems": [(DraftStep(k).label, k, v) for k, v in problems.items()
                                         if k in STEP_ORDER],
        "error": error, "files": files,
    })



def _label(field: forms.Field, value: str) -> str:
    return str(dict(getattr(field, "choices", [])).get(value, "")) if value else ""


def _summary(clean: CleanApplication) -> dict[str, Any]:
    """What the applicant is about to submit, in words (ID numbers masked)."""
    matter_form = MatterForm()
    return {
        "applicant": clean.applicant, "applicant_id": mask(clean.applicant.id_number),
        "agent": clean.agent, "agent_id": mask(clean.agent.id_number) if clean.agent else "",
        "relationship": AgentRelationship(clean.relationship).label if clean.relationship else "",
        "case_type": _label(matter_form.fields["case_type"], clean.data.case_type),
        "matter": _label(matter_form.fields["matter"], clean.data.matter),
        "ground": _label(matter_form.fields["criminal_ground"], clean.data.criminal_ground),
        "data": clean.data, "route": clean.route,
    }
