"""The liaison's screens (its organ's notices, the form that sends one, a notice's page) and the grounds with
their legal basis. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import ValidationFailed

from . import selectors, services
from .forms import NoticeForm, RefusalForm
from .grounds import BASIS, LATE_BASIS, LATE_TEXT, NoticeGround, NoticeStage, basis_for

LIAISON = frozenset({Role.ORGAN_LIAISON})
READERS = LIAISON | CENTER_ROLES | {Role.BUREAU_SUPERVISOR}


@office_view(READERS)
def notice_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    # The report's figures link here with codes and ids only (no personal data in URLs).
    organ, stage = request.GET.get("organ", "")[:12], request.GET.get("stage", "")
    stage = stage if stage in NoticeStage.values else ""
    late = request.GET.get("late") == "1"
    qs = selectors.notices_filtered(user, organ=organ, stage=stage, late=late)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    filters = urlencode({k: v for k, v in (("organ", organ), ("stage", stage), ("late", "1" if late else "")) if v})
    return render(request, "criminal/notice_list.html", {
        "page": page, "can_send": user.role == Role.ORGAN_LIAISON, "organ": user.organ,
        "show_organ": user.role != Role.ORGAN_LIAISON, "filters": filters,
        "filter_stage": NoticeStage(stage).label if stage else "", "filter_late": late})


@office_view(READERS)
def notice_report(request: HttpRequest) -> HttpResponse:
    """Notices by organ and stage, late notices, time from notice to assignment; each figure links to its list."""
    user = office_user(request)
    return render(request, "criminal/report.html", {"rows": selectors.notice_report(user),
                                                    "stages": NoticeStage.choices, "late_basis": LATE_BASIS})


@office_view(LIAISON)
def notice_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = NoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        data["custody_place_id"] = int(data["custody_place_id"]) if data["custody_place_id"] else None
        try:
            notice = services.notice_receive(actor=user, data=services.NoticeInput(**data))
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"通知已送达{notice.case.center}，案件编号 {notice.case.number}。")
            return redirect("criminal:notice", public_id=notice.public_id)
    return render(request, "criminal/notice_form.html", {"form": form, "organ": user.organ},
                  status=422 if form.errors else 200)


@office_view(READERS)
def notice_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    notice = selectors.notice_get_for_user(user, public_id)
    return render(request, "criminal/notice_detail.html", {
        "notice": notice, "basis": basis_for(notice.ground), "letter_number": selectors.letter_number(notice),
        "late_basis": LATE_BASIS, "is_center": user.role in CENTER_ROLES})


@office_view(READERS)
def notice_grounds(request: HttpRequest) -> HttpResponse:
    rows = [(g, BASIS[g]) for g in NoticeGround]
    return render(request, "criminal/grounds.html", {"rows": rows, "late_basis": LATE_BASIS, "late_text": LATE_TEXT})


@office_view(CENTER_ROLES)
def notice_refusal(request: HttpRequest, public_id: Any) -> HttpResponse:
    """SPC interpretation art. 50 para. 2: record the defendant's justified refusal of the assigned lawyer; the
    notice clock runs again until the center assigns another (the case page's change of provider)."""
    user = office_user(request)
    notice = selectors.notice_get_for_user(user, public_id, audit=False)
    form = RefusalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_record_refusal(actor=user, public_id=notice.public_id, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记。请在三日内另行指派律师（在案件页面“更换承办人员”）。")
            return redirect("cases:detail", public_id=notice.case.public_id)
    return render(request, "criminal/refusal_form.html", {"form": form, "notice": notice},
                  status=422 if form.errors else 200)
