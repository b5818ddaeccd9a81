"""The excellent-lawyer team's office pages: the roster (admit, profile, leave) and the 坐堂 consultation
sessions (schedule, record, cancel). Center staff manage their center's; bureaus read. Reads through
``selectors``, writes through ``services``; anything outside the scope is a 404."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.org.models import Provider, ProviderKind

from . import selectors, services
from .forms import AdmitForm, CancelForm, LeaveForm, ProfileForm, RecordForm, SessionForm
from .models import Member, SessionStatus
from .selectors import TEAM_MANAGERS

LIST_LIMIT = 200


def _year(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=365), today


@office_view(TEAM_MANAGERS)
def roster(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    members = list(selectors.members_visible_to(user).prefetch_related("provider__specialties")[:LIST_LIMIT])
    since, until = _year(timezone.localdate())
    figures = selectors.member_figures(members, since=since, until=until)
    return render(request, "lawyer_team/roster.html", {
        "rows": [(m, figures[m.pk]) for m in members], "can_write": user.role in CENTER_ROLES})


@office_view(CENTER_ROLES)
def admit(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = AdmitForm(request.POST or None, initial={"admitted_on": timezone.localdate()})
    lawyers = (Provider.objects.filter(home_center_id=user.center_id, kind=ProviderKind.LAWYER, active=True)
               .exclude(pk__in=Member.objects.filter(left_on__isnull=True).values("provider_id")).order_by("name"))
    set_choices(form.fields["provider"], [(str(p.pk), p.name) for p in lawyers])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            member = services.member_admit(actor=user, provider_id=d["provider"], admitted_on=d["admitted_on"],
                                           profile=d["profile"], note=d["note"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{member.provider.name}已加入名优律师团。")
            return redirect("lawyer_team:member", member.pk)
    return render(request, "lawyer_team/form.html", {"form": form, "title": "吸收名优律师"})


@office_view(TEAM_MANAGERS)
def member(request: HttpRequest, member_id: int) -> HttpResponse:
    user = office_user(request)
    m = selectors.member_get_for_user(user, member_id)
    can_write = user.role in CENTER_ROLES
    form = ProfileForm(request.POST or None, initial={"profile": m.profile})
    if request.method == "POST" and can_write and form.is_valid():
        try:
            services.member_profile_set(actor=user, member_id=m.pk, profile=form.cleaned_data["profile"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "简介已更新。")
            return redirect("lawyer_team:member", m.pk)
    since, until = _year(timezone.localdate())
    attendances = (m.attendances.select_related("session", "session__center", "session__station")
                   .order_by("-session__held_on")[:50])
    return render(request, "lawyer_team/member.html", {
        "m": m, "f": selectors.member_figures([m], since=since, until=until)[m.pk], "attendances": attendances,
        "can_write": can_write, "form": form, "leave_form": LeaveForm(initial={"left_on": timezone.localdate()})})


@office_view(CENTER_ROLES)
def leave(request: HttpRequest, member_id: int) -> HttpResponse:
    user = office_user(request)
    m = selectors.member_get_for_user(user, member_id)

    def perform(data: dict[str, Any]) -> str:
        services.member_leave(actor=user, member_id=m.pk, left_on=data["left_on"], reason=data["reason"])
        return "已登记退出。"

    return posted_action(request, LeaveForm, back=reverse("lawyer_team:member", args=[m.pk]),
                         invalid="未登记：请填写退出日期和原因。", perform=perform, refused_prefix="未登记：")


@office_view(TEAM_MANAGERS)
def sessions(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    rows = (selectors.sessions_visible_to(user).prefetch_related("attendances__member__provider")[:LIST_LIMIT])
    return render(request, "lawyer_team/sessions.html", {
        "rows": rows, "can_write": user.role in CENTER_ROLES, "today": timezone.localdate()})


@office_view(CENTER_ROLES)
def session_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate() + dt.timedelta(days=7),
                                                      "starts_at": "09:00", "ends_at": "11:30"})
    set_choices(form.fields["station"], [("", "中心（本中心接待大厅）")] + [
        (str(s.pk), s.name) for s in services.public_stations(user.center_id or 0)])
    day = form.data.get("held_on") if form.is_bound else None
    on = timezone.localdate()
    if day:
        with contextlib.suppress(ValueError):  # a bad date is the form's error; the list stays today's
            on = dt.date.fromisoformat(str(day))
    members = selectors.open_members_on(on).select_related("provider", "provider__home_center").order_by(
        "provider__home_center__name", "provider__name")
    set_choices(form.fields["members"], [(str(m.pk), f"{m.provider.name}（{m.provider.home_center.name}）")
                                         for m in members])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.session_schedule(actor=user, data=services.SessionInput(
                held_on=d["held_on"], starts_at=d["starts_at"], ends_at=d["ends_at"], member_ids=d["members"],
                station_id=d["station"], topic=d["topic"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "坐堂咨询已安排。")
            return redirect("lawyer_team:session", s.pk)
    return render(request, "lawyer_team/form.html", {"form": form, "title": "安排坐堂咨询"})


def _record_form(user: Any, s: Any, data: Any = None) -> RecordForm:
    form = RecordForm(data, initial={"attended": [a.member_id for a in s.attendances.all()]})
    set_choices(form.fields["attended"], [(str(a.member_id), a.member.provider.name) for a in s.attendances.all()])
    set_choices(form.fields["consultations"], [
        (str(c.pk), f"{timezone.localtime(c.occurred_at):%H:%M} {c.get_channel_display()} {c.matter or ''}")
        for c in services.candidate_consultations(user, s)])
    return form


@office_view(TEAM_MANAGERS)
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = office_user(request)
    s = selectors.session_get_for_user(user, session_id)
    attendances = list(s.attendances.select_related("member__provider"))
    can_write = user.role in CENTER_ROLES and s.center_id == user.center_id
    open_ = s.status == SessionStatus.SCHEDULED
    return render(request, "lawyer_team/session.html", {
        "s": s, "attendances": attendances, "linked": s.consultations.all().order_by("occurred_at"),
        "can_write": can_write and open_, "due": s.held_on <= timezone.localdate(),
        "record_form": _record_form(user, s) if can_write and open_ else None, "cancel_form": CancelForm()})


@office_view(CENTER_ROLES)
def session_record(request: HttpRequest, session_id: int) -> HttpResponse:
    user = office_user(request)
    s = selectors.session_get_for_user(user, session_id)
    back = reverse("lawyer_team:session", args=[s.pk])
    if request.method != "POST":
        return redirect(back)
    form = _record_form(user, s, request.POST)
    if not form.is_valid():
        messages.error(request, "未登记：请勾选到场律师并填写解答人次。")
        return redirect(back)
    d = form.cleaned_data
    try:
        services.session_record(actor=user, session_id=s.pk, data=services.SessionRecord(
            attended_member_ids=d["attended"], consultations_given=d["consultations_given"], summary=d["summary"],
            consultation_ids=d["consultations"]))
    except DomainError as exc:
        messages.error(request, f"未登记：{exc.message}")
    else:
        messages.success(request, "已登记坐堂情况。")
    return redirect(back)


@office_view(CENTER_ROLES)
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    user = office_user(request)
    s = selectors.session_get_for_user(user, session_id)

    def perform(data: dict[str, Any]) -> str:
        services.session_cancel(actor=user, session_id=s.pk, reason=data["reason"])
        return "已取消。"

    return posted_action(request, CancelForm, back=reverse("lawyer_team:session", args=[s.pk]),
                         invalid="未取消：请填写原因。", perform=perform, refused_prefix="未取消：")
