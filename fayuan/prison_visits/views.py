"""Pages of the prison stations: the prisons in scope, a prison's appointments by month with its rooms, booking,
an appointment's page (cancel, record the outcome), the lectures, and a lawyer's own appointments. Reads through
``selectors``, writes through ``services``; anything outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import PROVIDER_ROLES, Role
from fayuan.core.actions import posted_action
from fayuan.core.audit import audit_record
from fayuan.core.errors import DomainError, NotFoundOrForbidden
from fayuan.core.forms import set_choices
from fayuan.core.models import AuditAction
from fayuan.org.models import Provider, ProviderKind

from . import selectors, services
from .forms import BookingForm, CancelForm, LectureForm, OutcomeForm, RoomForm
from .models import AppointmentStatus
from .selectors import PRISON_READERS, PRISON_WRITERS

LIST_LIMIT = 200


@office_view(PRISON_READERS)
def index(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    prisons = list(selectors.prisons_visible_to(user).order_by("name"))
    if user.role == Role.STATION_CLERK:  # a clerk works at one station: a prison's goes straight to it
        if not prisons:
            raise NotFoundOrForbidden
        return redirect("prison_visits:station", prisons[0].pk)
    return render(request, "prison_visits/index.html", {"prisons": prisons})


def _month(raw: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


@office_view(PRISON_READERS)
def station(request: HttpRequest, station_id: int) -> HttpResponse:
    user = office_user(request)
    prison = selectors.prison_get_for_user(user, station_id)
    first = _month(request.GET.get("month"))
    after = _next_month(first)
    tz = timezone.get_current_timezone()
    appointments = list(selectors.appointments_between(
        prison, dt.datetime.combine(first, dt.time(), tzinfo=tz), dt.datetime.combine(after, dt.time(), tzinfo=tz)))
    days: dict[dt.date, list[Any]] = {}
    for a in appointments:
        days.setdefault(timezone.localdate(a.starts_at), []).append(a)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render(request, "prison_visits/station.html", {
        "prison": prison, "days": sorted(days.items()), "first": first, "count": len(appointments),
        "previous": f"{previous:%Y-%m}", "next": f"{after:%Y-%m}",
        "rooms": selectors.rooms_of(prison, active_only=False), "room_form": RoomForm(),
        "can_write": selectors.can_write(user, prison), "statuses": AppointmentStatus})


@office_view(PRISON_WRITERS)
def room_new(request: HttpRequest, station_id: int) -> HttpResponse:
    user = office_user(request)
    prison = selectors.prison_get_for_user(user, station_id, for_write=True)

    def perform(data: dict[str, Any]) -> str:
        room = services.room_add(actor=user, station_id=prison.pk, name=data["name"])
        return f"已添加会见室“{room.name}”。"

    return posted_action(request, RoomForm, back=reverse("prison_visits:station", args=[prison.pk]),
                         invalid="未添加：请填写会见室名称。", perform=perform, refused_prefix="未添加：")


@office_view(PRISON_WRITERS)
def book(request: HttpRequest, station_id: int) -> HttpResponse:
    user = office_user(request)
    prison = selectors.prison_get_for_user(user, station_id, for_write=True)
    form = BookingForm(request.POST or None, initial={"day": timezone.localdate() + dt.timedelta(days=1),
                                                      "start": dt.time(9), "end": dt.time(10)})
    set_choices(form.fields["room"], [(str(r.pk), r.name) for r in selectors.rooms_of(prison)])
    lawyers = Provider.objects.filter(active=True, kind=ProviderKind.LAWYER).order_by("name", "pk")
    set_choices(form.fields["provider"], [("", "请选择")] + [(str(p.pk), p.name) for p in lawyers])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            appointment = services.appointment_book(actor=user, data=services.BookingInput(
                station_id=prison.pk, room_id=d["room"], provider_id=d["provider"],
                starts_at=dt.datetime.combine(d["day"], d["start"], tzinfo=tz),
                ends_at=dt.datetime.combine(d["day"], d["end"], tzinfo=tz),
                inmate_name=d["inmate_name"], inmate_number=d["inmate_number"], matter=d["matter"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已预约视频会见。")
            return redirect("prison_visits:appointment", appointment.pk)
    return render(request, "prison_visits/book.html", {"form": form, "prison": prison})


@office_view(PRISON_READERS | PROVIDER_ROLES)
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = office_user(request)
    a = selectors.appointment_get_for_user(user, appointment_id)
    audit_record(actor=user, action=AuditAction.READ, obj=a)  # the page shows the inmate's name and masked number
    open_ = a.status == AppointmentStatus.BOOKED and selectors.can_write(user, a.station)
    return render(request, "prison_visits/appointment.html", {
        "a": a, "can_cancel": open_, "can_record": open_ and a.starts_at <= timezone.now(),
        "cancel_form": CancelForm(), "outcome_form": OutcomeForm()})


@office_view(PRISON_WRITERS)
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = office_user(request)
    a = selectors.appointment_get_for_user(user, appointment_id)

    def perform(data: dict[str, Any]) -> str:
        services.appointment_cancel(actor=user, appointment_id=a.pk, reason=data["reason"])
        return "已取消预约。"

    return posted_action(request, CancelForm, back=reverse("prison_visits:appointment", args=[a.pk]),
                         invalid="未取消：请填写取消原因。", perform=perform, refused_prefix="未取消：")


@office_view(PRISON_WRITERS)
def outcome(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = office_user(request)
    a = selectors.appointment_get_for_user(user, appointment_id)

    def perform(data: dict[str, Any]) -> str:
        services.appointment_record_outcome(actor=user, appointment_id=a.pk, status=data["status"],
                                            outcome=data["outcome"])
        return "已登记会见情况。"

    return posted_action(request, OutcomeForm, back=reverse("prison_visits:appointment", args=[a.pk]),
                         invalid="未登记：请选择结果。", perform=perform, refused_prefix="未登记：")


@office_view(PRISON_READERS)
def lectures(request: HttpRequest, station_id: int) -> HttpResponse:
    user = office_user(request)
    prison = selectors.prison_get_for_user(user, station_id)
    can_write = selectors.can_write(user, prison)
    form = LectureForm(request.POST if request.method == "POST" and can_write else None,
                       initial={"held_on": timezone.localdate()})
    if request.method == "POST" and can_write and form.is_valid():
        d = form.cleaned_data
        try:
            services.lecture_record(actor=user, data=services.LectureInput(
                station_id=prison.pk, held_on=d["held_on"], topic=d["topic"], speaker=d["speaker"],
                audience=d["audience"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记法律讲座。")
            return redirect("prison_visits:lectures", prison.pk)
    return render(request, "prison_visits/lectures.html", {
        "prison": prison, "lectures": selectors.lectures_of(prison)[:LIST_LIMIT], "form": form,
        "can_write": can_write})


@office_view(PROVIDER_ROLES)
def mine(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    now = timezone.now()
    qs = selectors.appointments_visible_to(user)
    return render(request, "prison_visits/mine.html", {
        "upcoming": qs.filter(starts_at__gte=now).order_by("starts_at")[:LIST_LIMIT],
        "past": qs.filter(starts_at__lt=now).order_by("-starts_at")[:LIST_LIMIT]})
