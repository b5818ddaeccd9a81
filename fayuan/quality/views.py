"""Quality pages under /office/quality/: the center's staff record (their own center's cases), the bureau reads
(city-wide, or its district), a provider reads their own cases' evaluations. Reads through ``selectors``, writes
through ``services``; a case or record outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError, NotFoundOrForbidden
from fayuan.core.forms import set_choices
from fayuan.core.options import district_options
from fayuan.core.params import parse_id, parse_int

from . import selectors, services
from .forms import (
    AttendancePlanForm,
    AttendanceRecordForm,
    DiscussionForm,
    EvaluationForm,
    FollowUpForm,
    GradingForm,
    StageForm,
)
from .models import CaseGrading, ClosingEvaluation, GradingCriterion, MatchOn, VisitStatus
from .selectors import QUALITY_READERS, QUALITY_SUPERVISORS, QUALITY_WRITERS


def _back(case: Any) -> str:
    return reverse("quality:case", args=[case.public_id])


@office_view(QUALITY_SUPERVISORS)
def index(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    counts = selectors.overview(user)
    return render(request, "quality/index.html", {"counts": counts, "grades": counts.grades})


@office_view(QUALITY_SUPERVISORS)
def grading_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    return render(request, "quality/grading_list.html", {"gradings": selectors.grading_to_confirm(user)[:200]})


@office_view(QUALITY_SUPERVISORS)
def gaps(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    districts = selectors.districts_to_pick(user)
    district_id = _chosen_district(request, districts)
    return render(request, "quality/gaps.html", {
        "gaps": selectors.evaluation_gaps(user, district_id=district_id),
        "district_options": district_options(districts, district_id) if districts else ""})


def _chosen_district(request: HttpRequest, districts: list[tuple[int, str]]) -> int | None:
    """The ``district=`` the city bureau picked, or None; one not among its districts says so and narrows nothing."""
    raw = request.GET.get("district", "")
    if not raw:
        return None
    district_id = parse_id(raw)
    if district_id is None or district_id not in {pk for pk, _name in districts}:
        messages.error(request, "未找到该区县，请从列表中选择。")
        return None
    return district_id


@office_view(QUALITY_SUPERVISORS)
def hearings(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    since = timezone.localdate() - dt.timedelta(days=30)
    return render(request, "quality/hearings.html", {
        "to_plan": selectors.hearings_to_plan(user, since=since), "attendances": selectors.attendances_for_user(user),
        "can_write": user.role in QUALITY_WRITERS})


@office_view(QUALITY_SUPERVISORS)
def followups(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    status = request.GET.get("status", VisitStatus.DUE)
    if status not in VisitStatus.values:
        status = VisitStatus.DUE
    return render(request, "quality/followups.html", {
        "visits": selectors.visits_for_user(user, status=status), "status": status,
        "statuses": VisitStatus.choices})


@office_view(QUALITY_SUPERVISORS)
def satisfaction(request: HttpRequest) -> HttpResponse:
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100)
    by_center, by_provider = selectors.satisfaction_report(office_user(request), year=year)
    return render(request, "quality/satisfaction.html", {"by_center": by_center, "by_provider": by_provider,
                                                         "year": year})


@office_view(QUALITY_READERS)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "quality/mine.html", {"cases": selectors.provider_evaluations(office_user(request))})


@office_view(QUALITY_READERS)
def case_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)
    quality = selectors.case_quality(case)
    can_write = user.role in QUALITY_WRITERS
    context: dict[str, Any] = {"q": quality, "case": case, "can_write": can_write,
                               "closed": case.status in selectors.CLOSED_STATUSES}
    if can_write:
        context["stage_form"] = StageForm()
        plan = AttendancePlanForm()
        set_choices(plan.fields["progress_entry"], [("", "（自行填写开庭时间）")] + [
            (str(h.pk), f"{timezone.localtime(h.hearing_at):%Y-%m-%d %H:%M} {h.court}") for h in quality.hearings])
        context["plan_form"] = plan
    return render(request, "quality/case.html", context)


def _criteria_choices(day: dt.date) -> list[tuple[str, str]]:
    return [(c.code, f"{c.name}（{c.get_grade_display()}；{c.basis_label}）")
            for c in GradingCriterion.objects.in_force_on(day).order_by("match_on", "code")]


@office_view(QUALITY_WRITERS)
def grading_confirm(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)
    grading = CaseGrading.objects.filter(case=case).first()
    if grading is None:
        raise NotFoundOrForbidden("本案尚未受理，没有等级建议。")
    auto = [c.code for c in GradingCriterion.objects.in_force_on(timezone.localdate(grading.proposed_at))
            .exclude(match_on=MatchOn.MANUAL)]
    initial = {"grade": grading.effective_grade,
               "criteria": [r["code"] for r in (grading.criteria or grading.proposed_reasons)]}
    form = GradingForm(request.POST or None, initial=initial)
    set_choices(form.fields["criteria"], _criteria_choices(timezone.localdate(grading.proposed_at)))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.grading_confirm(actor=user, public_id=case.public_id, grade=d["grade"],
                                     criteria=d["criteria"], reason=d["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "案件等级已确认。")
            return redirect(_back(case))
    return render(request, "quality/grading_form.html", {"form": form, "case": case, "grading": grading,
                                                         "auto": auto})


@office_view(QUALITY_WRITERS)
def discussion_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)
    form = DiscussionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_record(actor=user, public_id=case.public_id, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "集体讨论记录已登记。")
            return redirect(_back(case))
    return render(request, "quality/form.html", {"form": form, "case": case, "title": "登记集体讨论"})


@office_view(QUALITY_WRITERS)
def stage_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)

    def perform(d: dict[str, Any]) -> str:
        services.stage_evaluation_record(actor=user, public_id=case.public_id, **d)
        return "阶段评价已记录。"

    return posted_action(request, StageForm, back=_back(case), invalid="未记录：请选择阶段和评分。",
                         perform=perform, refused_prefix="未记录：")


@office_view(QUALITY_WRITERS)
def evaluation(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)
    existing = ClosingEvaluation.objects.filter(case=case).first()
    day = timezone.localdate(existing.opened_at) if existing else timezone.localdate()
    rubric = services.inspection_rubric(day)
    items = services.rubric_items(rubric) if rubric else []
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {"organ_opinion": existing.organ_opinion, "organ_score": existing.organ_score,
                   **{f"item_{k}": v for k, v in existing.inspection_scores.items()}}
    guidance = {i.pk: i.guidance for i in rubric.items.all()} if rubric else {}
    form = EvaluationForm(request.POST or None, initial=initial, items=items, guidance=guidance)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.evaluation_complete(actor=user, public_id=case.public_id,
                                         scores={i: d[f"item_{i}"] for i, _t, _m in items},
                                         organ_opinion=d["organ_opinion"], organ_score=d["organ_score"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "结案质量评价已完成。")
            return redirect(_back(case))
    return render(request, "quality/evaluation_form.html", {"form": form, "case": case, "rubric": rubric})


@office_view(QUALITY_WRITERS)
def attendance_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.quality_case_get(user, public_id)
    if request.method != "POST":
        return redirect(_back(case))
    form = AttendancePlanForm(request.POST)
    set_choices(form.fields["progress_entry"], [("", "")] + [
        (str(h.pk), str(h.pk)) for h in selectors.hearing_entries(case)])
    if not form.is_valid():
        messages.error(request, "未安排：请填写旁听人员，并选择开庭或填写开庭时间和法院。")
        return redirect(_back(case))
    d = form.cleaned_data
    hearing_at = d["hearing_at"]
    try:
        services.attendance_plan(actor=user, public_id=case.public_id, attendee=d["attendee"],
                                 progress_entry_id=d["progress_entry"] or None, hearing_at=hearing_at,
                                 court=d["court"])
    except DomainError as exc:
        messages.error(request, f"未安排：{exc.message}")
    else:
        messages.success(request, "庭审旁听已安排。")
    return redirect(_back(case))


@office_view(QUALITY_WRITERS)
def attendance_record(request: HttpRequest, attendance_id: int) -> HttpResponse:
    user = office_user(request)
    attendance = selectors.attendance_get_for_user(user, attendance_id)
    form = AttendanceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=user, attendance_id=attendance.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "旁听情况已登记。")
            return redirect(_back(attendance.case))
    return render(request, "quality/form.html", {"form": form, "case": attendance.case, "title": "登记庭审旁听情况",
                                                 "attendance": attendance})


@office_view(QUALITY_WRITERS)
def followup_record(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = office_user(request)
    visit = selectors.visit_get_for_user(user, visit_id)
    form = FollowUpForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(actor=user, visit_id=visit.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "回访已登记。")
            return redirect("quality:followups")
    return render(request, "quality/form.html", {"form": form, "case": visit.case, "title": "登记回访",
                                                 "visit": visit})
