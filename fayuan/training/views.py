"""Training pages: the sessions in scope, recording one, a session's attendance, and the hours per person per year
(a table, a bar figure and a CSV download)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.core.documents import CSV_CONTENT_TYPE, csv_bytes, download
from fayuan.core.errors import DomainError, NotFoundOrForbidden
from fayuan.core.forms import set_choices
from fayuan.core.params import parse_int
from fayuan.org.models import Provider, Staff

from . import selectors, services
from .forms import AttendanceForm, SessionForm
from .models import TrainingSession
from .selectors import TRAINING_ROLES

LIST_LIMIT = 200


@office_view(TRAINING_ROLES)
def session_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    return render(request, "training/list.html", {
        "sessions": selectors.sessions_visible_to(user)[:LIST_LIMIT], "year": timezone.localdate().year})


@office_view(TRAINING_ROLES)
def session_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=user, data=services.SessionInput(**form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "培训已登记。")
            return redirect("training:detail", session.pk)
    return render(request, "training/form.html", {"form": form})


def _person_choices(session: TrainingSession) -> list[tuple[str, str]]:
    """The organiser's people: a center's staff and home providers; a bureau's district's, or the whole city's."""
    staff_q, provider_q = Q(active=True), Q(active=True)
    if session.organiser_center_id is not None:
        staff_q &= Q(center_id=session.organiser_center_id)
        provider_q &= Q(home_center_id=session.organiser_center_id)
    elif session.organiser_district_id is not None:
        staff_q &= Q(center__district_id=session.organiser_district_id)
        provider_q &= Q(home_center__district_id=session.organiser_district_id)
    staff = Staff.objects.filter(staff_q).select_related("center").order_by("center__name", "name")
    providers = Provider.objects.filter(provider_q).select_related("home_center").order_by("home_center__name", "name")
    return ([("", "请选择")] + [(f"staff:{s.pk}", f"{s.name}（{s.center.name}工作人员）") for s in staff]
            + [(f"provider:{p.pk}", f"{p.name}（{p.get_kind_display()}，{p.home_center.name}）") for p in providers])


@office_view(TRAINING_ROLES)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = office_user(request)
    session = selectors.session_get_for_user(user, session_id)
    can_manage = selectors.may_manage(user, session) and session.held_on <= timezone.localdate()
    form = AttendanceForm()
    if can_manage:
        set_choices(form.fields["person"], _person_choices(session))
    attendances = list(selectors.attendances_of(session))
    return render(request, "training/detail.html", {
        "s": session, "attendances": attendances, "form": form, "can_manage": can_manage,
        "present": sum(1 for a in attendances if a.attended)})


@office_view(TRAINING_ROLES)
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    user = office_user(request)
    session = selectors.session_get_for_user(user, session_id)
    if not selectors.may_manage(user, session):  # a reader of the session, not its organiser
        raise NotFoundOrForbidden
    back = redirect("training:detail", session.pk)
    if request.method != "POST":
        return back
    form = AttendanceForm(request.POST)
    set_choices(form.fields["person"], _person_choices(session))
    if not form.is_valid():
        messages.error(request, "未登记：请选择人员和是否出席。")
        return back
    d = form.cleaned_data
    try:
        services.attendance_record(actor=user, session_id=session.pk, person=d["person"], attended=d["attended"],
                                   hours=d["hours"])
    except DomainError as exc:
        messages.error(request, f"未登记：{exc.message}")
    else:
        messages.success(request, "已登记出勤。")
    return back


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    return parse_int(request.GET.get("year"), minimum=2000, maximum=this + 1, default=this) or this


def _rows(user: User, year: int) -> list[selectors.PersonHours]:
    return selectors.hours_by_person(user, year)


@office_view(TRAINING_ROLES)
def hours(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    year = _year(request)
    rows = _rows(user, year)
    top = float(max((r.hours for r in rows), default=0) or 1)
    # The figure: one bar per person (the 30 with most hours), at most 440 units long, 20 units apart.
    bars = [(r, round(float(r.hours) * 440 / top), 20 * i) for i, r in enumerate(rows[:30])]
    return render(request, "training/hours.html", {
        "year": year, "rows": rows, "bars": bars, "height": 20 * len(bars) + 4,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


@office_view(TRAINING_ROLES)
def hours_csv(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    year = _year(request)
    table: list[list[object]] = [["类别", "姓名", "单位", "参加培训次数", f"{year}年认定学时"],
                                 *[[r.kind, r.name, r.unit, r.sessions, r.hours] for r in _rows(user, year)]]
    return download(csv_bytes(table), CSV_CONTENT_TYPE, f"training-hours-{year}.csv")
