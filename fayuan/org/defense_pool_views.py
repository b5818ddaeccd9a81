"""The criminal-defense pool's pages: the members and the criteria in force, admission, a membership and leaving.
Center staff manage their center's lawyers, a bureau those of its district (the city bureau all); a membership
outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices

from . import defense_pool as pool
from .defense_pool_forms import PoolAdmitForm, PoolLeaveForm

MANAGERS = pool.POOL_MANAGER_ROLES
LIST_LIMIT = 500


@office_view(MANAGERS)
def pool_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    show_left = request.GET.get("all") == "1"
    today = timezone.localdate()
    members = pool.members_for_user(user, current_only=not show_left).order_by("left_on", "provider__name")
    return render(request, "org/defense_pool_list.html", {
        "members": members[:LIST_LIMIT], "show_left": show_left, "today": today,
        "criteria": pool.criteria_rows_in_force(today),
    })


@office_view(MANAGERS)
def pool_admit(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = PoolAdmitForm(request.POST or None, initial={"admitted_on": timezone.localdate(), "training_hours": 0})
    set_choices(form.fields["provider"], [("", "请选择")] + [
        (str(p.pk), f"{p.name}（{p.home_center.name}）") for p in pool.admissible_providers_for_user(user)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = pool.defense_pool_admit(actor=user, provider_id=data["provider"],
                                             admitted_on=data["admitted_on"], training_hours=data["training_hours"],
                                             last_sanction_on=data["last_sanction_on"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{member.provider.name}已入刑事辩护律师库。")
            return redirect("org:defense_pool_member", member.pk)
    return render(request, "org/defense_pool_admit.html", {
        "form": form, "criteria": pool.criteria_rows_in_force(timezone.localdate()), "today": timezone.localdate()})


@office_view(MANAGERS)
def pool_member(request: HttpRequest, member_id: int) -> HttpResponse:
    member = pool.member_get_for_user(office_user(request), member_id)
    return render(request, "org/defense_pool_member.html", {
        "m": member, "leave_form": PoolLeaveForm(initial={"left_on": timezone.localdate()})})


@office_view(MANAGERS)
def pool_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    user = office_user(request)
    member = pool.member_get_for_user(user, member_id)

    def perform(data: dict[str, Any]) -> str:
        pool.defense_pool_leave(actor=user, member_id=member.pk, left_on=data["left_on"], reason=data["reason"])
        return f"{member.provider.name}已出刑事辩护律师库。"

    return posted_action(request, PoolLeaveForm, back=reverse("org:defense_pool_member", args=[member.pk]),
                         invalid="未出库：请填写出库日期和出库原因。", perform=perform, refused_prefix="未出库：")
