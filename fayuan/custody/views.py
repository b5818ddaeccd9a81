"""Custody screens: liaisons and duty lawyers record and forward detained persons' applications; police liaisons
record rights notifications; centers and the bureau read the lists and the reports. Reads through ``selectors``,
writes through ``services``; a record outside the user's scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.origins import case_origins
from fayuan.cases.selectors import cases_visible_to
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.org.models import OrganKind

from . import selectors, services
from .forms import ForwardingForm, NotificationForm

FORWARDERS = services.FORWARDER_ROLES
FORWARDING_READERS = FORWARDERS | CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
REPORT_READERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
NOTIFICATION_READERS = frozenset({Role.ORGAN_LIAISON, Role.BUREAU_SUPERVISOR})


@office_view(FORWARDING_READERS)
def forwarding_list(request: HttpRequest) -> HttpResponse:
    """The user's forwardings; ``?breach=1`` with ``organ=`` or ``provider=`` is the list behind a report figure."""
    user = office_user(request)
    now = timezone.now()
    qs = selectors.forwardings_visible_to(user)
    breach = request.GET.get("breach") == "1"
    if breach:
        qs = qs.filter(selectors.breach_filter(now))
    organ_id, provider_id = parse_id(request.GET.get("organ")), parse_id(request.GET.get("provider"))
    if organ_id is not None:
        qs = qs.filter(organ_id=organ_id)
    if provider_id is not None:
        qs = qs.filter(provider_id=provider_id)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for forwarding in page:
        forwarding.state = selectors.forwarding_state(forwarding, now)  # type: ignore[attr-defined]
    return render(request, "custody/forwarding_list.html", {
        "page": page, "breach": breach, "can_record": user.role in FORWARDERS,
        "show_case_link": user.role in REPORT_READERS, "show_body": user.role in REPORT_READERS,
    })


@office_view(FORWARDERS)
def forwarding_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    body = services.forwarding_body(user)
    form = ForwardingForm(request.POST or None, on=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forwarding = services.forwarding_record(actor=user, data=services.ForwardingInput(
                name=data["name"], id_number=data["id_number"], criminal_ground=data["criminal_ground"],
                criminal_stage=data["criminal_stage"], matter_summary=data["matter_summary"],
                organ_case_number=data["organ_case_number"], facts=data["facts"], received_at=data["received_at"],
                forward_now=data["forward_now"]))
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记并转交法律援助中心。" if data["forward_now"] else
                             "已登记。请在收到申请后24小时内转交法律援助中心。")
            return redirect("custody:forwarding", public_id=forwarding.public_id)
    return render(request, "custody/forwarding_form.html", {"form": form, "body": body},
                  status=422 if form.errors else 200)


@office_view(FORWARDING_READERS)
def forwarding_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    forwarding = selectors.forwarding_get_for_user(user, public_id)
    audit_record(actor=user, action=AuditAction.READ, obj=forwarding)  # the page shows the applicant's name
    now = timezone.now()
    return render(request, "custody/forwarding_detail.html", {
        "forwarding": forwarding, "state": selectors.forwarding_state(forwarding, now),
        "can_forward": user.role in FORWARDERS and forwarding.forwarded_at is None,
        "show_case_link": user.role in REPORT_READERS,
    })


@office_view(FORWARDERS)
def forwarding_forward(request: HttpRequest, public_id: str) -> HttpResponse:
    """POST forwards; a GET (a bookmark) goes back to the record, which the selector scopes first."""
    user = office_user(request)
    if request.method != "POST":
        selectors.forwarding_get_for_user(user, public_id)
        return redirect("custody:forwarding", public_id=public_id)
    services.forwarding_forward(actor=user, public_id=public_id)
    messages.success(request, "已转交法律援助中心。")
    return redirect("custody:forwarding", public_id=public_id)


def _police_liaison_or_bureau(user: User) -> None:
    """A notification page is a police organ's (or the bureau's): another organ's liaison finds nothing here."""
    if user.role == Role.ORGAN_LIAISON and (user.organ is None or user.organ.kind != OrganKind.POLICE):
        raise NotFoundOrForbidden("未找到该页面。")


@office_view(NOTIFICATION_READERS)
def notification_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    _police_liaison_or_bureau(user)
    page = Paginator(selectors.notifications_visible_to(user), 25).get_page(request.GET.get("page"))
    return render(request, "custody/notification_list.html", {
        "page": page, "can_record": user.role == Role.ORGAN_LIAISON,
        "show_organ": user.role == Role.BUREAU_SUPERVISOR,
        "coverage": selectors.notification_coverage(user),
    })


@office_view(NOTIFICATION_READERS | CENTER_ROLES)
def notification_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One notification and the later case it was linked to: the case's number and link only for a user who may
    read the case (its center); the police see that a case followed and when."""
    user = office_user(request)
    _police_liaison_or_bureau(user)
    notification = selectors.notification_get_for_user(user, public_id)
    audit_record(actor=user, action=AuditAction.READ, obj=notification)  # the page shows the suspect's name
    case = notification.case
    readable = case is not None and cases_visible_to(user).filter(pk=case.pk).exists()
    return render(request, "custody/notification_detail.html", {
        "n": notification, "case": case, "case_readable": readable, "show_list": user.role in NOTIFICATION_READERS,
        # The case's other records (the organ's notice, a forwarding), not this page again.
        "case_links": [link for link in case_origins(case, user) if link[1] != request.path]
        if readable and case is not None else [],
    })


@office_view(frozenset({Role.ORGAN_LIAISON}))
def notification_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    _police_liaison_or_bureau(user)
    form = NotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rights_notification_record(actor=user, data=services.NotificationInput(
                suspect_name=data["suspect_name"], organ_case_number=data["organ_case_number"],
                occasion=data["occasion"], method=data["method"], notified_at=data["notified_at"],
                id_number=data["id_number"], applied=data["applied"]))
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记权利告知。")
            return redirect("custody:notifications")
    return render(request, "custody/notification_form.html", {"form": form, "organ": user.organ},
                  status=422 if form.errors else 200)


@office_view(REPORT_READERS)
def reports(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    return render(request, "custody/reports.html", {
        "breaches": selectors.forwarding_breaches(user),
        "coverage": selectors.notification_coverage(user) if user.role == Role.BUREAU_SUPERVISOR else None,
    })
