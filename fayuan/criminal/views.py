"""The liaison's screens (its organ's notices, the form that sends one, a notice's page) and the grounds with
their legal basis. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.origins import case_origins
from fayuan.core.errors import Conflict, NotFoundOrForbidden, ValidationFailed
from fayuan.core.forms import set_choices
from fayuan.org.models import Provider

from . import selectors, services
from .coverage import DUTY_BASIS
from .forms import DutyHelpForm, NoticeForm, RefusalForm, TrialReturnForm
from .grounds import BASIS, LATE_BASIS, LATE_TEXT, NoticeGround, NoticeKind, NoticeRoute, NoticeStage, basis_for
from .models import CoverageSwitch

LIAISON = frozenset({Role.ORGAN_LIAISON})
READERS = LIAISON | CENTER_ROLES | {Role.BUREAU_SUPERVISOR}


@office_view(READERS)
def notice_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    # The report's figures link here with codes and ids only (no personal data in URLs).
    organ, stage = request.GET.get("organ", "")[:12], request.GET.get("stage", "")
    stage = stage if stage in NoticeStage.values else ""
    late = request.GET.get("late") == "1"
    month = _month(request.GET.get("month", ""))
    route = request.GET.get("route", "")
    route = route if route in NoticeRoute.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in NoticeKind.values else ""
    qs = selectors.notices_filtered(user, organ=organ, stage=stage, late=late, month=month, route=route, kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    filters = urlencode({k: v for k, v in (("organ", organ), ("stage", stage), ("late", "1" if late else ""),
                                           ("month", f"{month:%Y-%m}" if month else ""), ("route", route),
                                           ("kind", kind)) if v})
    return render(request, "criminal/notice_list.html", {
        "page": page, "can_send": user.role == Role.ORGAN_LIAISON, "organ": user.organ,
        "show_organ": user.role != Role.ORGAN_LIAISON, "filters": filters, "is_center": user.role in CENTER_ROLES,
        "filter_stage": NoticeStage(stage).label if stage else "", "filter_late": late, "filter_month": month,
        "filter_duty": route == NoticeRoute.DUTY})


def _month(raw: str) -> dt.date | None:
    """``YYYY-MM`` or None."""
    try:
        return dt.datetime.strptime(raw[:7], "%Y-%m").date() if raw else None  # noqa: DTZ007  (a month, no time)
    except ValueError:
        return None


@office_view(READERS)
def notice_report(request: HttpRequest) -> HttpResponse:
    """Notices by organ and stage, late notices, time from notice to assignment; each figure links to its list."""
    user = office_user(request)
    return render(request, "criminal/report.html", {"rows": selectors.notice_report(user),
                                                    "stages": NoticeStage.choices, "late_basis": LATE_BASIS})


@office_view(LIAISON)
def notice_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = NoticeForm(request.POST if request.method == "POST" else None,
                      organ_kind=user.organ.kind if user.organ else "")
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        data["custody_place_id"] = int(data["custody_place_id"]) if data["custody_place_id"] else None
        try:
            notice = services.notice_receive(actor=user, data=services.NoticeInput(**data))
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            if notice.case is None:
                procedure = notice.get_procedure_display()
                messages.success(request, f"通知已送达{notice.center}，由值班律师提供法律帮助（{procedure}）。")
            else:
                messages.success(request, f"通知已送达{notice.case.center}，案件编号 {notice.case.number}。")
            return redirect("criminal:notice", public_id=notice.public_id)
    return render(request, "criminal/notice_form.html", {"form": form, "organ": user.organ},
                  status=422 if form.errors else 200)


@office_view(READERS)
def notice_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    notice = selectors.notice_get_for_user(user, public_id)
    # The case's other records the user may open (a rights notification that preceded it), not this notice again.
    here = reverse("criminal:notice", args=[notice.public_id])
    others = [link for link in case_origins(notice.case, user) if link[1] != here] if notice.case else []
    return render(request, "criminal/notice_detail.html", {
        "notice": notice, "basis": basis_for(notice.ground), "letter_number": selectors.letter_number(notice),
        "assign_by": selectors.assignment_deadline(notice), "today": timezone.localdate(),
        "late_basis": LATE_BASIS, "is_center": user.role in CENTER_ROLES, "duty_basis": DUTY_BASIS,
        "other_records": others})


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
    case = notice.case
    if case is None:  # routed to the duty station: no lawyer was assigned, nothing to refuse
        raise NotFoundOrForbidden()
    form = RefusalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_record_refusal(actor=user, public_id=notice.public_id, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记。请在三日内另行指派律师（在案件页面“更换承办人员”）。")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "criminal/refusal_form.html", {"form": form, "notice": notice},
                  status=422 if form.errors else 200)


@office_view(CENTER_ROLES)
def duty_list(request: HttpRequest) -> HttpResponse:
    """Full-coverage notices in simplified or fast-track procedure: no case, a duty lawyer helps; the waiting
    ones first."""
    user = office_user(request)
    waiting = list(selectors.notices_filtered(user, waiting=True)[:200])
    helped = list(selectors.notices_filtered(user, route=NoticeRoute.DUTY).filter(duty_lawyer__isnull=False)[:50])
    return render(request, "criminal/duty_list.html", {"waiting": waiting, "helped": helped,
                                                        "duty_basis": DUTY_BASIS})


@office_view(CENTER_ROLES)
def duty_help(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    notice = selectors.notice_get_for_user(user, public_id, audit=False)
    if not notice.to_duty_station:
        raise NotFoundOrForbidden()
    form = DutyHelpForm(request.POST if request.method == "POST" else None,
                        initial={"helped_on": timezone.localdate()})
    lawyers = Provider.objects.filter(home_center_id=notice.center_id, active=True).order_by("name")
    set_choices(form.fields["provider_id"], [("", "请选择"), *((str(p.pk), p.name) for p in lawyers)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_record_duty_help(actor=user, public_id=notice.public_id, provider_id=data["provider_id"],
                                             helped_on=data["helped_on"], note=data["note"])
        except (ValidationFailed, Conflict) as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记值班律师提供的法律帮助。")
            return redirect("criminal:duty_list")
    return render(request, "criminal/duty_help_form.html", {"form": form, "notice": notice},
                  status=422 if form.errors else 200)


@office_view(READERS)
def coverage(request: HttpRequest) -> HttpResponse:
    """Full defense coverage per court for a month, each figure with the records behind it; the switches in force."""
    user = office_user(request)
    today = timezone.localdate()
    month = _month(request.GET.get("month", "")) or today.replace(day=1)
    rows = selectors.coverage_report(user, month)
    courts = selectors.courts_visible_to(user)
    switches = (CoverageSwitch.objects.in_force_on(min(today, _month_end(month)))
                .filter(district__in=courts.values("district")).select_related("district"))
    # Only a court has trial returns to enter: a police or procuratorate liaison reads the page, it does not fill it.
    can_enter = (user.role in CENTER_ROLES or user.role == Role.ORGAN_LIAISON) and courts.exists()
    return render(request, "criminal/coverage.html", {
        "rows": rows, "month": month, "switches": switches, "can_enter": can_enter,
        "previous": (month - dt.timedelta(days=1)).replace(day=1),
        "next": (month + dt.timedelta(days=32)).replace(day=1)})


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@office_view(CENTER_ROLES | LIAISON)
def trial_return(request: HttpRequest) -> HttpResponse:
    """A court's month: defendants tried and of them with their own counsel (the court's liaison or its center)."""
    user = office_user(request)
    courts = selectors.courts_visible_to(user)
    form = TrialReturnForm(request.POST if request.method == "POST" else None,
                           initial={"month": timezone.localdate().replace(day=1)})
    set_choices(form.fields["organ_id"], [("", "请选择"), *((str(c.pk), c.name) for c in courts)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["month"] is None or data["defendants_tried"] is None or data["with_own_counsel"] is None:
            form.add_domain_error(ValidationFailed("请填写月份、被告人数和自行委托辩护人的人数。"))
        else:
            try:
                row = services.trial_return_save(
                    actor=user, organ_id=data["organ_id"] or 0, month=data["month"],
                    defendants_tried=data["defendants_tried"], with_own_counsel=data["with_own_counsel"])
            except ValidationFailed as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已保存{row.organ} {row.month:%Y年%m月}的数据。")
                return redirect(f"{reverse('criminal:coverage')}?month={row.month:%Y-%m}")
    return render(request, "criminal/trial_return_form.html", {"form": form},
                  status=422 if form.errors else 200)
