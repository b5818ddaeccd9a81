"""Outreach office pages: households and their file, visit plans, recording a visit, early-intervention tasks.
Reads through ``selectors``, writes through ``services``; anything outside the reader's district is a 404.
Names are masked on every list; the household's file shows full names to those who write (they visit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.actions import posted_action
from fayuan.core.audit import audit_record
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.registry.selectors import registry_source_names

from . import rules, selectors, services
from .forms import HouseholdForm, PlanForm, TaskCloseForm, TaskOpenForm, TaskStartForm, VisitForm
from .models import InterventionStatus, Visit
from .selectors import OUTREACH_READERS, OUTREACH_WRITERS

LIST_LIMIT = 200


def _filters(request: HttpRequest, user: Any) -> tuple[list[Any], list[Any], int | None, int | None]:
    districts = list(selectors.districts_visible_to(user).order_by("sort_order", "code"))
    district = parse_id(request.GET.get("district"))
    places = selectors.places_visible_to(user)
    if district:
        places = places.filter(district_id=district)
    return districts, list(places.order_by("district__sort_order", "town", "code")), district, parse_id(
        request.GET.get("place"))


def _staff_label(u: Any) -> str:
    return f"{u.get_full_name() or u.username}（{u.get_role_display()}）"


@office_view(OUTREACH_READERS)
def households(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    districts, places, district, place = _filters(request, user)
    today = timezone.localdate()
    qs = selectors.households_visible_to(user).filter(active=True)
    if district:
        qs = qs.filter(place__district_id=district)
    if place:
        qs = qs.filter(place_id=place)
    total = qs.count()
    rows = (qs.annotate(member_count=Count("members", distinct=True), last_visit=Max("visits__visited_on"),
                        open_tasks=Count("interventions", distinct=True,
                                         filter=~Q(interventions__status=InterventionStatus.CLOSED)))
            .order_by("place__district__sort_order", "place__town", "place__code", "pk")[:LIST_LIMIT])
    return render(request, "outreach/households.html", {
        "rows": rows, "total": total, "districts": districts, "places": places, "district": district,
        "place": place, "can_write": user.role in OUTREACH_WRITERS, "today": today})


@office_view(OUTREACH_WRITERS)
def household_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = HouseholdForm(request.POST or None)
    set_choices(form.fields["place"], [("", "请选择")] + [
        (str(p.pk), f"{p.district.name} {p.town}{p.name}") for p in
        selectors.places_visible_to(user).order_by("district__sort_order", "town", "code")])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            h = services.household_register(actor=user, data=services.HouseholdInput(
                place_id=d["place"], head_name=d["head_name"], address=d["address"], members=d["members"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记该家庭。")
            return redirect("outreach:household", h.pk)
    return render(request, "outreach/form.html", {"form": form, "title": "登记困难家庭",
                                                  "back": reverse("outreach:households"), "back_label": "困难家庭"})


@office_view(OUTREACH_READERS)
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household's legal poverty-alleviation file (精准扶贫法律档案): members, visits and needs, tasks, cards."""
    user = office_user(request)
    h = selectors.household_get_for_user(user, household_id)
    can_write = user.role in OUTREACH_WRITERS
    audit_record(actor=user, action=AuditAction.READ, obj=h, detail={"page": "household_file"})
    visits = list(h.visits.select_related("visitor", "plan").prefetch_related("needs__topic",
                                                                              "needs__intervention"))
    staff = list(selectors.staff_for_district(h.place.district_id)) if can_write else []
    open_form = TaskOpenForm(initial={"due_on": timezone.localdate() + dt.timedelta(days=30)})
    set_choices(open_form.fields["assignee"], [(str(u.pk), _staff_label(u)) for u in staff])
    return render(request, "outreach/household.html", {
        "h": h, "members": h.members.all(), "visits": visits, "can_write": can_write, "open_form": open_form,
        "tasks": h.interventions.select_related("need__topic", "assignee").order_by("-opened_on"),
        "cards": h.cards.select_related("batch", "member").order_by("-batch__issued_on"),
        "plans": h.plans.order_by("-period_start"), "today": timezone.localdate(), "show_names": can_write,
        "source_name": registry_source_names().get(h.registry_source, "")})


@office_view(OUTREACH_WRITERS)
def visit_new(request: HttpRequest, household_id: int) -> HttpResponse:
    user = office_user(request)
    h = selectors.household_get_for_user(user, household_id)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    set_choices(form.fields["plan"], [("", "计划外走访")] + [
        (str(p.pk), p.title) for p in selectors.plans_visible_to(user).filter(households=h)])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        needs = [services.NeedInput(topic=t.code, description=d[f"desc_{t.code}"])
                 for t in form.topics if d[f"need_{t.code}"]]
        try:
            services.visit_record(actor=user, data=services.VisitInput(
                household_id=h.pk, visited_on=d["visited_on"], people_met=d["people_met"], notes=d["notes"],
                needs=needs, plan_id=d["plan"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记走访，发现法律需求 {len(needs)} 项。")
            return redirect("outreach:household", h.pk)
    return render(request, "outreach/visit_form.html", {"form": form, "h": h})


@office_view(OUTREACH_WRITERS)
def task_open(request: HttpRequest, need_id: int) -> HttpResponse:
    user = office_user(request)
    need = selectors.needs_visible_to(user).filter(pk=need_id).first()
    if need is None:
        raise Http404("未找到该法律需求，或您无权查看。")
    back = reverse("outreach:household", args=[need.visit.household_id])
    if request.method != "POST":
        return redirect(back)
    form = TaskOpenForm(request.POST)
    set_choices(form.fields["assignee"], [
        (str(u.pk), u.username) for u in selectors.staff_for_district(need.visit.household.place.district_id)])
    if not form.is_valid():
        messages.error(request, "未立项：请选择承办人并填写办结期限。")
        return redirect(back)
    try:
        task = services.intervention_open(actor=user, need_id=need.pk, assignee_id=form.cleaned_data["assignee"],
                                          due_on=form.cleaned_data["due_on"])
    except DomainError as exc:
        messages.error(request, f"未立项：{exc.message}")
        return redirect(back)
    messages.success(request, "已立早期介入任务。")
    return redirect("outreach:task", task.pk)


# --- Visit plans --------------------------------------------------------------------------------------------------


@office_view(OUTREACH_READERS)
def plans(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    rows = (selectors.plans_visible_to(user)
            .annotate(household_count=Count("households", distinct=True), visit_count=Count("visits", distinct=True))
            [:LIST_LIMIT])
    return render(request, "outreach/plans.html", {"rows": rows, "can_write": user.role in OUTREACH_WRITERS,
                                                   "today": timezone.localdate()})


@office_view(OUTREACH_WRITERS)
def plan_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    form = PlanForm(request.POST or None, initial={"period_start": today, "period_end": today + dt.timedelta(days=90)})
    district = selectors.user_district_id(user)
    households_qs = selectors.households_visible_to(user).filter(active=True)
    staff = selectors.staff_for_district(district) if isinstance(district, int) else []
    set_choices(form.fields["households"], [(str(h.pk), f"{h.place} {h.head_masked}户") for h in
                                            households_qs.order_by("place__town", "place__code", "pk")[:2000]])
    set_choices(form.fields["staff"], [(str(u.pk), _staff_label(u)) for u in staff])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(actor=user, data=services.PlanInput(
                title=d["title"], period_start=d["period_start"], period_end=d["period_end"],
                household_ids=d["households"], staff_ids=d["staff"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "走访计划已制定。")
            return redirect("outreach:plan", plan.pk)
    return render(request, "outreach/form.html", {"form": form, "title": "制定走访计划",
                                                  "back": reverse("outreach:plans"), "back_label": "走访计划"})


@office_view(OUTREACH_READERS)
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = office_user(request)
    p = selectors.plan_get_for_user(user, plan_id)
    visited = {v.household_id: v for v in Visit.objects.filter(plan=p).order_by("visited_on")}
    households = list(p.households.select_related("place").order_by("place__town", "place__code", "pk"))
    rows = [(h, visited.get(h.pk)) for h in households]
    return render(request, "outreach/plan.html", {
        "p": p, "rows": rows, "staff": p.staff.all(), "done": len(visited), "total": len(households),
        "can_write": user.role in OUTREACH_WRITERS})


# --- Early-intervention tasks ---------------------------------------------------------------------------------------


TASK_VIEWS = {"open": "未办结", "overdue": "已逾期", "closed": "已办结", "all": "全部"}


@office_view(OUTREACH_READERS)
def tasks(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    view = request.GET.get("view", "open")
    view = view if view in TASK_VIEWS else "open"
    qs = selectors.interventions_visible_to(user)
    if view in ("open", "overdue"):
        qs = selectors.open_tasks(qs, today=today, overdue_only=view == "overdue")
    elif view == "closed":
        qs = qs.filter(status=InterventionStatus.CLOSED).order_by("-closed_on", "-pk")
    counts = {"open": selectors.open_tasks(selectors.interventions_visible_to(user), today=today).count(),
              "overdue": selectors.open_tasks(selectors.interventions_visible_to(user), today=today,
                                              overdue_only=True).count()}
    return render(request, "outreach/tasks.html", {
        "rows": qs[:LIST_LIMIT], "view": view, "views": TASK_VIEWS, "counts": counts, "today": today})


@office_view(OUTREACH_READERS)
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    user = office_user(request)
    t = selectors.intervention_get_for_user(user, task_id)
    today = timezone.localdate()
    can_write = user.role in OUTREACH_WRITERS and t.status != InterventionStatus.CLOSED
    return render(request, "outreach/task.html", {
        "t": t, "can_write": can_write, "today": today,
        "overdue": rules.overdue(status=t.status, due_on=t.due_on, today=today),
        "start_form": TaskStartForm(initial={"on": today}) if t.status == InterventionStatus.OPEN else None,
        "close_form": TaskCloseForm(initial={"closed_on": today})})


@office_view(OUTREACH_WRITERS)
def task_start(request: HttpRequest, task_id: int) -> HttpResponse:
    user = office_user(request)
    t = selectors.intervention_get_for_user(user, task_id)

    def perform(data: dict[str, Any]) -> str:
        services.intervention_start(actor=user, task_id=t.pk, on=data["on"])
        return "已开始处理。"

    return posted_action(request, TaskStartForm, back=reverse("outreach:task", args=[t.pk]),
                         invalid="未更改：请填写开始处理日期。", perform=perform, refused_prefix="未更改：")


@office_view(OUTREACH_WRITERS)
def task_close(request: HttpRequest, task_id: int) -> HttpResponse:
    user = office_user(request)
    t = selectors.intervention_get_for_user(user, task_id)

    def perform(data: dict[str, Any]) -> str:
        services.intervention_close(actor=user, task_id=t.pk, data=services.CloseInput(
            outcome=data["outcome"], note=data["note"], closed_on=data["closed_on"], question=data["question"],
            advice=data["advice"]))
        return "任务已办结。"

    return posted_action(request, TaskCloseForm, back=reverse("outreach:task", args=[t.pk]),
                         invalid="未办结：请选择办理结果并填写办理情况和日期。", perform=perform,
                         refused_prefix="未办结：")
