"""The typical-case library's pages: a center's staff draft, edit and submit their own center's write-ups; the city
bureau reviews; bureaus and centers read the compliance table and download the compilation. Reads through
``selectors``, writes through ``services``; a record outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.core.actions import posted_action
from fayuan.core.documents import DOCX_CONTENT_TYPE, download
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices

from . import compilation, selectors, services
from .forms import DraftForm, ReviewForm, WriteUpForm
from .models import PART_LABELS, Status
from .selectors import LIBRARY_ROLES, is_city_bureau

LIST_LIMIT = 200


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2018 <= int(raw) <= today.year else today.year


@office_view(LIBRARY_ROLES)
def library(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    status = request.GET.get("status", "")
    qs = selectors.typical_cases_visible_to(user)
    if status in Status.values:
        qs = qs.filter(status=status)
    year = timezone.localdate().year
    return render(request, "typical_cases/list.html", {
        "items": qs[:LIST_LIMIT], "statuses": Status.choices, "status": status,
        "can_draft": user.role in CENTER_ROLES, "years": [year, year - 1], "city_bureau": is_city_bureau(user)})


@office_view(CENTER_ROLES)
def draft_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    form = DraftForm(request.POST or None, initial={"period": today.replace(day=1)})
    candidates = list(selectors.candidate_cases(user).only("public_id", "number", "matter_summary")[:LIST_LIMIT])
    set_choices(form.fields["case"], [("", "请选择")] + [
        (str(c.public_id), f"{c.number} {c.matter_summary}") for c in candidates])
    if request.method == "POST" and form.is_valid():
        try:
            typical = services.typical_case_draft(actor=user, case_id=form.cleaned_data["case"],
                                                  period=form.cleaned_data["period"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已生成脱敏初稿，请修改完善后报送。")
            return redirect("typical_cases:edit", typical.public_id)
    return render(request, "typical_cases/new.html", {"form": form, "has_candidates": bool(candidates)})


@office_view(LIBRARY_ROLES)
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    typical = selectors.typical_case_get_for_user(user, public_id)
    own_center = user.role in CENTER_ROLES
    return render(request, "typical_cases/detail.html", {
        "t": typical, "labels": PART_LABELS, "events": typical.events.select_related("actor"),
        "problems": services.submission_problems(typical) if typical.editable and own_center else [],
        "can_edit": own_center and typical.editable,
        "can_review": is_city_bureau(user) and typical.status == Status.SUBMITTED,
        "review_form": ReviewForm()})


@office_view(CENTER_ROLES)
def edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    typical = selectors.typical_case_get_for_user(user, public_id)
    form = WriteUpForm(request.POST or None, initial=typical.parts())
    if request.method == "POST" and form.is_valid():
        try:
            services.typical_case_update(actor=user, public_id=typical.public_id, data=form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存。")
            return redirect("typical_cases:detail", typical.public_id)
    return render(request, "typical_cases/edit.html", {"form": form, "t": typical})


@office_view(CENTER_ROLES)
def submit(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    typical = selectors.typical_case_get_for_user(user, public_id)
    to = reverse("typical_cases:detail", args=[typical.public_id])
    if request.method != "POST":
        return redirect(to)
    try:
        services.typical_case_submit(actor=user, public_id=typical.public_id)
    except DomainError as exc:
        # The refusal lists every finding (where and what): one message per line.
        for line in exc.message.splitlines():
            messages.error(request, line)
    else:
        messages.success(request, "已报送市司法局审核。")
    return redirect(to)


@office_view(LIBRARY_ROLES)
def review(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    typical = selectors.typical_case_get_for_user(user, public_id)
    if not is_city_bureau(user):
        raise Http404("典型案例由市司法局审核。")

    def perform(data: dict[str, Any]) -> str:
        accept = data["decision"] == "accept"
        services.typical_case_review(actor=user, public_id=typical.public_id, accept=accept,
                                     comments=data["comments"])
        return "已采用，将在门户网站公开。" if accept else "已退回修改，并通知报送中心。"

    return posted_action(request, ReviewForm, back=reverse("typical_cases:detail", args=[typical.public_id]),
                         invalid="未审核：请选择审核结果。", perform=perform, refused_prefix="未审核：")


@office_view(LIBRARY_ROLES)
def compliance(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    year = _year(request)
    today = timezone.localdate()
    quota = selectors.quota_on(today)
    return render(request, "typical_cases/compliance.html", {
        "rows": selectors.compliance(user, year, today=today), "year": year, "quota": quota,
        "months": range(1, 13), "years": range(today.year, 2017, -1)})


@office_view(LIBRARY_ROLES)
def compilation_pdf(request: HttpRequest, year: int) -> HttpResponse:
    if not 2018 <= year <= timezone.localdate().year:
        raise Http404("没有该年度的案例汇编。")
    return download(compilation.compilation_pdf(year), "application/pdf", f"typical-cases-{year}.pdf")


@office_view(LIBRARY_ROLES)
def compilation_docx(request: HttpRequest, year: int) -> HttpResponse:
    if not 2018 <= year <= timezone.localdate().year:
        raise Http404("没有该年度的案例汇编。")
    return download(compilation.compilation_docx(year),
                     DOCX_CONTENT_TYPE,
                     f"typical-cases-{year}.docx")
