"""Complaints' office pages: the scoped list, recording a caller's complaint, one complaint (the handler's view
with the complainant, or the provider's view without), the handling actions and the repeated-complaint flags.
Reads through ``selectors``, writes through ``services``; a complaint outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import BUREAU_ROLES
from fayuan.cases.selectors import cases_visible_to
from fayuan.cases.services.review import bureau_may_decide, objection_bureau
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.org.models import Provider

from . import selectors, services
from .forms import CaseLookupForm, ComplaintForm, DecideForm, InformForm, PointsForm, ResponseForm
from .models import Status
from .selectors import COMPLAINT_READERS, COMPLAINT_RECORDERS, FLAG_READERS

LIST_LIMIT = 200


@office_view(COMPLAINT_READERS)
def complaint_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    status = request.GET.get("status", "")
    rows: list[Any] = list(selectors.complaint_list_for_user(user, status=status)[:LIST_LIMIT])
    handler = selectors.sees_complainant(user)
    return render(request, "complaints/list.html", {
        "rows": rows if handler else [selectors.provider_view(c) for c in rows], "handler": handler,
        "statuses": Status.choices, "status": status, "can_record": user.role in COMPLAINT_RECORDERS})


@office_view(COMPLAINT_RECORDERS)
def complaint_new(request: HttpRequest) -> HttpResponse:
    """Two steps: the case number (GET ?case=), then the complaint about one of the case's providers."""
    user = office_user(request)
    number = request.GET.get("case", "").strip()
    case = (cases_visible_to(user).select_related("center").filter(number=number).first() if number else None)
    if case is None:
        lookup = CaseLookupForm(request.GET or None)
        if number:
            lookup.add_error("case", "未找到该受理编号的案件，或该案件不在您的范围内。")
        return render(request, "complaints/new.html", {"lookup": lookup})
    providers = list(Provider.objects.filter(pk__in=case.assignments.values("provider_id")).order_by("name"))
    form = ComplaintForm(request.POST or None, initial={
        "received_on": timezone.localdate(), "provider": case.provider_id})
    set_choices(form.fields["provider"], [(str(p.pk), p.name) for p in providers])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            complaint = services.complaint_record(actor=user, data=services.ComplaintInput(
                case_number=case.number, provider_id=d["provider"], channel=d["channel"],
                complainant_kind=d["complainant_kind"], complainant_name=d["complainant_name"],
                category=d["category"], facts=d["facts"], phone=d["phone"], received_on=d["received_on"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记{complaint.reference}。")
            return redirect("complaints:detail", complaint.public_id)
    return render(request, "complaints/new.html", {"case": case, "form": form, "no_provider": not providers})


@office_view(COMPLAINT_READERS)
def complaint_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    complaint = selectors.complaint_get_for_user(user, public_id)
    if not selectors.sees_complainant(user):
        return render(request, "complaints/provider_detail.html", {
            "c": selectors.provider_view(complaint), "open": complaint.status == Status.RECEIVED,
            "response_form": ResponseForm()})
    _district, bureau = objection_bureau(complaint.case)
    others = (selectors.complaints_visible_to(user).filter(provider_id=complaint.provider_id)
              .exclude(pk=complaint.pk).select_related("case")[:20])
    return render(request, "complaints/detail.html", {
        "c": complaint, "bureau": bureau, "may_decide": bureau_may_decide(user, complaint.case),
        "deadlines": list(deadlines_for_subject(complaint).select_related("rule")),
        "change_requests": list(complaint.case.change_requests.all()[:5]),
        "flag": selectors.repeat_flags([complaint.provider_id], timezone.localdate()).get(complaint.provider_id),
        "others": others, "points_form": PointsForm(initial={"points": complaint.points_for_provider}),
        "decide_form": DecideForm(), "inform_form": InformForm(initial={"on": timezone.localdate()})})


def _back(public_id: str) -> str:
    return reverse("complaints:detail", args=[public_id])


@office_view(COMPLAINT_RECORDERS)
def notify_provider(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    complaint = selectors.complaint_get_for_user(user, public_id)

    def perform(data: dict[str, Any]) -> str:
        services.complaint_notify_provider(actor=user, public_id=complaint.public_id, points=data["points"])
        return "已将投诉要点告知承办人员。"

    return posted_action(request, PointsForm, back=_back(public_id), invalid="未告知：请填写投诉要点。",
                         perform=perform, refused_prefix="未告知：")


@office_view(COMPLAINT_READERS - COMPLAINT_RECORDERS)
def respond(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    complaint = selectors.complaint_get_for_user(user, public_id)

    def perform(data: dict[str, Any]) -> str:
        services.complaint_provider_respond(actor=user, public_id=complaint.public_id, response=data["response"])
        return "说明已提交。"

    return posted_action(request, ResponseForm, back=_back(public_id), invalid="未提交：请填写说明。",
                         perform=perform, refused_prefix="未提交：")


@office_view(BUREAU_ROLES)
def decide(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    complaint = selectors.complaint_get_for_user(user, public_id)

    def perform(data: dict[str, Any]) -> str:
        done = services.complaint_decide(actor=user, public_id=complaint.public_id, outcome=data["outcome"],
                                         findings=data["findings"], measures=data["measures"])
        if done.status == Status.INFORMED:
            return f"已作出处理，并已告知投诉人（{done.get_inform_method_display()}）。"
        return "已作出处理。投诉人未留下可自动通知的联系方式，请告知后登记。"

    return posted_action(request, DecideForm, back=_back(public_id), invalid="未处理：请选择处理结果并填写处理意见。",
                         perform=perform, refused_prefix="未处理：")


@office_view(COMPLAINT_RECORDERS)
def inform(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    complaint = selectors.complaint_get_for_user(user, public_id)

    def perform(data: dict[str, Any]) -> str:
        services.complaint_record_informed(actor=user, public_id=complaint.public_id, method=data["method"],
                                           on=data["on"])
        return "已登记告知投诉人。"

    return posted_action(request, InformForm, back=_back(public_id), invalid="未登记：请选择告知方式和日期。",
                         perform=perform, refused_prefix="未登记：")


@office_view(FLAG_READERS)
def flags(request: HttpRequest) -> HttpResponse:
    """Every flagged provider city-wide (the flag is information about a provider, like their page); the
    complaints behind it are listed only as far as the user's scope reaches."""
    user = office_user(request)
    today = timezone.localdate()
    rule = selectors.repeat_rule_on(today)
    found = selectors.repeat_flags(None, today)
    providers = {p.pk: p for p in Provider.objects.filter(pk__in=found).select_related("home_center", "firm")}
    counting = (selectors.counting_complaints(rule, today).filter(provider_id__in=found)
                .filter(pk__in=selectors.complaints_visible_to(user).values("pk")).select_related("case")
                if rule is not None else [])
    mine: dict[int, list[Any]] = {}
    for c in counting:
        mine.setdefault(c.provider_id, []).append(c)
    rows = sorted(((providers[pk], flag, mine.get(pk, [])) for pk, flag in found.items() if pk in providers),
                  key=lambda r: (-r[1].count, r[0].name))
    return render(request, "complaints/flags.html", {"rule": rule, "rows": rows, "today": today})
