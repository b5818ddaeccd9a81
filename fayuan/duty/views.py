"""Duty screens: the center manages pools, leave, the month's rota, swaps, inspections and reads the reports; the
duty lawyer sees their own duties, checks in and out, asks for a swap and records help. Reads through
``selectors``, writes through ``services``; a record outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.core.params import parse_id
from fayuan.org.models import Provider, ProviderKind

from . import oversight, reports, selectors, services
from .forms import (
    AdmitForm,
    HelpForm,
    InspectionForm,
    LeaveForm,
    OwnUnavailabilityForm,
    SwapForm,
    UnavailabilityForm,
)
from .models import HelpKind, RotaStatus, SwapStatus

CENTER = CENTER_ROLES
LAWYER = frozenset({Role.DUTY_LAWYER})
CENTER_OR_LAWYER = CENTER | LAWYER


def _month(request: HttpRequest, year: int | None = None, month: int | None = None) -> dt.date:
    if year is not None and month is not None:
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise Http404("没有这个月份。")
        return dt.date(year, month, 1)
    raw = request.GET.get("month", "")
    try:
        parsed = dt.datetime.strptime(raw, "%Y-%m").date() if raw else None  # noqa: DTZ007  (a month, no time)
    except ValueError:
        parsed = None
    if parsed is None or not 2000 <= parsed.year <= 2100:
        return timezone.localdate().replace(day=1)
    return parsed


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def _done(request: HttpRequest, message: str, to: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(to)


def _refused(request: HttpRequest, exc: DomainError, to: str) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect(to)


@office_view(CENTER_OR_LAWYER)
def index(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    if user.role == Role.DUTY_LAWYER:
        return redirect("duty:my")
    month = _month(request)
    stations = selectors.stations_with_pool_size(user, on=timezone.localdate())
    return render(request, "duty/index.html", {
        "stations": [(s, s.pool_size) for s in stations], "month": month,  # type: ignore[attr-defined]
        "next_month": _shift(month, 1),
        "pending_swaps": selectors.swaps_visible_to(user).filter(status=SwapStatus.PENDING).count(),
    })


# --- Pools and leave -----------------------------------------------------------------------------------------

def _choices(rows: Any) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in rows]


def _lawyers() -> list[tuple[str, str]]:
    return _choices(Provider.objects.filter(active=True, kind=ProviderKind.LAWYER).order_by("name")
                    .values_list("pk", "name"))


@office_view(CENTER)
def pool(request: HttpRequest, station_id: int) -> HttpResponse:
    user = office_user(request)
    station = selectors.station_get_for_user(user, station_id)
    form = AdmitForm(request.POST or None, initial={"admitted_on": timezone.localdate()})
    set_choices(form.fields["provider"], _lawyers())
    if request.method == "POST" and form.is_valid():
        try:
            member = services.pool_admit(actor=user, station_id=station.pk, provider_id=form.cleaned_data["provider"],
                                         admitted_on=form.cleaned_data["admitted_on"],
                                         assessment_result=form.cleaned_data["assessment_result"],
                                         has_sanction=form.cleaned_data["has_sanction"])
            return _done(request, f"{member.provider.name}已入库。", reverse("duty:pool", args=[station.pk]))
        except DomainError as exc:
            form.add_domain_error(exc)
    members = selectors.pool_members(station).order_by("left_on", "provider__name")
    return render(request, "duty/pool.html", {"station": station, "members": members, "form": form,
                                              "leave_form": LeaveForm(initial={"left_on": timezone.localdate()})})


@office_view(CENTER)
def pool_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    user = office_user(request)
    member = selectors.member_get_for_user(user, member_id)

    def perform(data: dict[str, Any]) -> str:
        services.pool_leave(actor=user, member_id=member.pk, left_on=data["left_on"], reason=data["reason"])
        return f"{member.provider.name}已出库。"

    return posted_action(request, LeaveForm, back=reverse("duty:pool", args=[member.station_id]),
                         invalid="请填写出库日期和原因。", perform=perform)


@office_view(CENTER)
def unavailability(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = UnavailabilityForm(request.POST or None)
    choices = (Provider.objects.filter(duty_pools__station__in=selectors.stations_visible_to(user))
               .distinct().order_by("name").values_list("pk", "name"))
    set_choices(form.fields["provider"], _choices(choices))
    if request.method == "POST" and form.is_valid():
        try:
            services.unavailability_record(actor=user, provider_id=form.cleaned_data["provider"],
                                           start_on=form.cleaned_data["start_on"],
                                           end_on=form.cleaned_data["end_on"], reason=form.cleaned_data["reason"])
            return _done(request, "已登记。重新生成草稿排班后生效；已发布的排班请通过换班调整。",
                         reverse("duty:unavailability"))
        except DomainError as exc:
            form.add_domain_error(exc)
    rows = selectors.unavailability_visible_to(user)[:200]
    return render(request, "duty/unavailability.html", {"form": form, "rows": rows})


# --- The month's rota ------------------------------------------------------------------------------------------

@office_view(CENTER)
def rota(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month grid: one row per station, one column per day; rest days greyed, gaps in red."""
    user = office_user(request)
    first = _month(request, year, month)
    stations = list(selectors.stations_visible_to(user).order_by("pk"))
    only = parse_id(request.GET.get("station"))
    if only:
        stations = [s for s in stations if s.pk == only]
    row = selectors.rota_for(user.center_id or 0, first)
    workdays = set(services.rota.working_days(first))
    days = services.rota.month_days(first)
    cells: dict[tuple[int, dt.date], Any] = {}
    gaps: dict[tuple[int, dt.date], str] = {}
    counts: dict[str, int] = defaultdict(int)
    if row is not None:
        for duty in row.duties.filter(active=True).select_related("provider"):
            cells[(duty.station_id, duty.date)] = duty
            counts[duty.provider.name] += 1
        gaps = {(g.station_id, g.date): g.reason for g in row.gaps.all()}
    grid = [(s, [(d, d in workdays, cells.get((s.pk, d)), gaps.get((s.pk, d))) for d in days]) for s in stations]
    return render(request, "duty/rota.html", {
        "first": first, "rota": row, "grid": grid, "days": days, "counts": sorted(counts.items()),
        "previous": _shift(first, -1), "next": _shift(first, 1), "published": row is not None and
        row.status == RotaStatus.PUBLISHED, "gap_list": sorted(gaps.items(), key=lambda kv: (kv[0][1], kv[0][0])),
    })


@office_view(CENTER)
def rota_generate(request: HttpRequest, year: int, month: int) -> HttpResponse:
    first = _month(request, year, month)
    to = reverse("duty:rota", args=[first.year, first.month])
    if request.method != "POST":
        return redirect(to)
    try:
        row = services.rota_generate(actor=office_user(request), month=first)
    except DomainError as exc:
        return _refused(request, exc, to)
    gaps = row.gaps.count()
    note = f"，{gaps} 个站点日无法排班，见下方缺口说明" if gaps else ""
    return _done(request, f"已生成排班草稿（值班次数极差 {row.spread}）{note}。", to)


@office_view(CENTER)
def rota_publish(request: HttpRequest, year: int, month: int) -> HttpResponse:
    first = _month(request, year, month)
    to = reverse("duty:rota", args=[first.year, first.month])
    if request.method != "POST":
        return redirect(to)
    try:
        services.rota_publish(actor=office_user(request), month=first)
    except DomainError as exc:
        return _refused(request, exc, to)
    return _done(request, "排班已发布，此后只能通过换班调整。", to)


# --- Swaps -----------------------------------------------------------------------------------------------------

@office_view(CENTER_OR_LAWYER)
def swaps(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    rows = selectors.swaps_visible_to(user).order_by("status", "-requested_at")[:200]
    return render(request, "duty/swaps.html", {"rows": rows, "can_decide": user.role in CENTER})


@office_view(CENTER)
def swap_decide(request: HttpRequest, swap_id: int) -> HttpResponse:
    user = office_user(request)
    swap = selectors.swap_get_for_user(user, swap_id)
    to = reverse("duty:swaps")
    if request.method != "POST":
        return redirect(to)
    approve = request.POST.get("decision") == "approve"
    try:
        services.swap_decide(actor=user, swap_id=swap.pk, approve=approve, note=request.POST.get("note", "")[:150])
    except DomainError as exc:
        return _refused(request, exc, to)
    return _done(request, "已批准换班。" if approve else "已不予批准。", to)


@office_view(LAWYER)
def swap_request(request: HttpRequest, duty_id: int) -> HttpResponse:
    user = office_user(request)
    duty = selectors.duty_get_for_user(user, duty_id)
    form = SwapForm(request.POST or None)
    others = (selectors.pool_members(duty.station, on=duty.date).exclude(provider_id=user.provider_id or 0)
              .values_list("provider_id", "provider__name"))
    set_choices(form.fields["replacement"], _choices(others))
    if request.method == "POST" and form.is_valid():
        try:
            services.swap_request(actor=user, duty_id=duty.pk, replacement_id=form.cleaned_data["replacement"],
                                  reason=form.cleaned_data["reason"])
            return _done(request, "换班申请已提交，待中心审批。", reverse("duty:my"))
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "duty/swap_form.html", {"duty": duty, "form": form})


# --- The duty lawyer's own -------------------------------------------------------------------------------------

@office_view(LAWYER)
def my_duties(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    duties = selectors.duties_visible_to(user).filter(active=True, date__gte=today - dt.timedelta(days=31))
    helps = selectors.help_visible_to(user)[:50]
    upcoming = list(duties.filter(date__gte=today).order_by("date")[:100])
    recent = list(duties.filter(date__lt=today).order_by("-date")[:31])
    leave = selectors.own_unavailability(user).filter(end_on__gte=today).order_by("start_on")[:20]
    notices = selectors.open_assignments_for(user).order_by("date", "pk")[:100]
    return render(request, "duty/my.html", {"upcoming": upcoming, "recent": recent, "today": today,
                                            "helps": helps, "leave": leave, "notices": notices})


@office_view(LAWYER)
def my_unavailability(request: HttpRequest) -> HttpResponse:
    """The lawyer's own leave: entered for days from tomorrow, refused on a day they hold on a published rota."""
    user = office_user(request)
    form = OwnUnavailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unavailability_record_own(actor=user, start_on=data["start_on"], end_on=data["end_on"],
                                               reason=data["reason"])
            return _done(request, "已登记。中心下次生成排班时不会在这些日期为您排班。",
                         reverse("duty:my_unavailability"))
        except DomainError as exc:
            form.add_domain_error(exc)
    today = timezone.localdate()
    return render(request, "duty/my_unavailability.html", {
        "form": form, "today": today,
        "upcoming": selectors.own_unavailability(user).filter(end_on__gte=today).order_by("start_on")[:100],
    }, status=422 if form.errors else 200)


def _lawyer_action(request: HttpRequest, duty_id: int, action: Any, done: str) -> HttpResponse:
    user = office_user(request)
    duty = selectors.duty_get_for_user(user, duty_id)
    if request.method != "POST":
        return redirect("duty:my")
    try:
        action(actor=user, duty_id=duty.pk)
    except DomainError as exc:
        return _refused(request, exc, reverse("duty:my"))
    return _done(request, done, reverse("duty:my"))


@office_view(LAWYER)
def check_in(request: HttpRequest, duty_id: int) -> HttpResponse:
    return _lawyer_action(request, duty_id, services.duty_check_in, "已签到。")


@office_view(LAWYER)
def check_out(request: HttpRequest, duty_id: int) -> HttpResponse:
    return _lawyer_action(request, duty_id, services.duty_check_out, "已签退。")


@office_view(LAWYER)
def help_new(request: HttpRequest, duty_id: int) -> HttpResponse:
    user = office_user(request)
    duty = selectors.duty_get_for_user(user, duty_id)
    open_notices = list(selectors.open_assignments_for(user).order_by("date", "pk"))
    chosen = next((a for a in open_notices if a.pk == parse_id(request.GET.get("assignment"))), None)
    initial = {"assignment": str(chosen.pk), "person_name": chosen.person.name if chosen.person else ""} if chosen \
        else {}
    form = HelpForm(request.POST or None, initial=initial)
    set_choices(form.fields["assignment"], [("", "不答复通知"), *(
        (str(a.pk), f"{a.organ.name} {a.date:%m月%d日}{'：' + a.person.name if a.person else ''}")
        for a in open_notices)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_record_create(
                actor=user, duty_id=duty.pk, person_name=data["person_name"], id_number=data["id_number"],
                stage=data["stage"], kind=data["kind"], organ_case_number=data["organ_case_number"],
                application_forwarded=data["application_forwarded"], forwarded_at=data["forwarded_at"],
                notes=data["notes"], assignment_id=data["assignment"] or None)
            return _done(request, "法律帮助已登记。", reverse("duty:my"))
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "duty/help_form.html", {"duty": duty, "form": form})


# --- Lists behind the reports ----------------------------------------------------------------------------------

@office_view(CENTER_OR_LAWYER)
def help_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    rows = selectors.help_visible_to(user)
    kind = request.GET.get("kind", "")
    if kind in HelpKind.values:
        rows = rows.filter(kind=kind)
    if request.GET.get("month"):
        first, following = reports.month_range(_month(request))
        rows = rows.filter(duty__date__gte=first, duty__date__lt=following)
    return render(request, "duty/help_list.html", {"rows": rows[:500], "kind": dict(HelpKind.choices).get(kind)})


@office_view(CENTER)
def no_shows(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    rows = selectors.duties_visible_to(user).filter(no_show=True)
    if provider := parse_id(request.GET.get("provider")):
        rows = rows.filter(provider_id=provider)
    if station := parse_id(request.GET.get("station")):
        rows = rows.filter(station_id=station)
    if request.GET.get("month"):
        first, following = reports.month_range(_month(request))
        rows = rows.filter(date__gte=first, date__lt=following)
    return render(request, "duty/no_shows.html", {"rows": rows.order_by("-date")[:500]})


@office_view(CENTER)
def report(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    month = _month(request)
    center_id = user.center_id or 0
    by_lawyer, by_station = reports.no_shows(center_id, month)
    return render(request, "duty/report.html", {
        "month": month, "previous": _shift(month, -1), "next": _shift(month, 1),
        "coverage": reports.coverage(center_id, month), "no_show_lawyers": by_lawyer,
        "no_show_stations": by_station, "help": reports.help_by_kind(center_id, month),
        "organs": reports.organs_missing(center_id),
        "unstaffed": list(oversight.unstaffed_for_center(center_id, month)[:200]),
    })


@office_view(CENTER)
def inspections(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = InspectionForm(request.POST or None, initial={"date": timezone.localdate()})
    set_choices(form.fields["station"], _choices(selectors.stations_visible_to(user).values_list("pk", "name")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(actor=user, station_id=data["station"], date=data["date"],
                                       inspector=data["inspector"], findings=data["findings"])
            return _done(request, "督查记录已保存。", reverse("duty:inspections"))
        except DomainError as exc:
            form.add_domain_error(exc)
    rows = selectors.inspections_visible_to(user)[:200]
    return render(request, "duty/inspections.html", {"form": form, "rows": rows})
