"""The security administrator's screens (三员分立): find an account, grant or revoke its role and scope.

Every other role gets 404 here. The rules and their Chinese messages are in ``rules.py``/``services.py``; a refused
grant re-renders the page with the message and changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fayuan.core.errors import DomainError
from fayuan.core.params import parse_id, parse_page

from . import selectors, services
from .access import office_user, office_view
from .forms import RoleGrantForm, RoleRevokeForm
from .models import User
from .roles import BOOTSTRAP_ONLY_ROLES, SECURITY_ADMIN_ROLES, Role


@office_view(SECURITY_ADMIN_ROLES)
def account_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:150]
    role = request.GET.get("role", "").strip()[:30]
    qs = selectors.account_list_for_security(query=query, role=role)
    page = Paginator(qs, 50).get_page(parse_page(request.GET.get("page")))
    return render(request, "accounts/security_accounts.html", {
        "page": page, "filters": {"q": query, "role": role}, "roles": Role.choices, "pending": selectors.PENDING,
    })


def _page(request: HttpRequest, target: User, *, grant_form: RoleGrantForm | None = None,
          revoke_form: RoleRevokeForm | None = None, status: int = 200) -> HttpResponse:
    actor = office_user(request)
    initial: dict[str, Any] = {"role": target.role, "center": target.center_id, "station": target.station_id,
                               "provider": target.provider_id, "district": target.district_id}
    if target.pk == actor.pk:
        locked = "这是您自己的账户：不能为自己授予或撤销角色。"
    elif target.role in BOOTSTRAP_ONLY_ROLES:
        locked = f"该账户是{target.role_label}，只能在服务器上用 manage.py create_officer 管理。"
    else:
        locked = ""
    return render(request, "accounts/security_account.html", {
        "target": target, "locked": locked,
        "grant_form": grant_form or RoleGrantForm(initial=initial),
        "revoke_form": revoke_form or RoleRevokeForm(),
        "grants": selectors.grants_of(target)[:50],
    }, status=status)


@office_view(SECURITY_ADMIN_ROLES)
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _page(request, selectors.account_get_for_security(parse_id(str(user_id))))


@office_view(SECURITY_ADMIN_ROLES)
def account_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    target = selectors.account_get_for_security(parse_id(str(user_id)))
    if request.method != "POST":
        return _page(request, target)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(actor=office_user(request), user=target, role=data["role"], center=data["center"],
                                station=data["station"], organ=data["organ"], provider=data["provider"],
                                district=data["district"], reason=data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
            target.refresh_from_db()
            return _page(request, target, grant_form=form, status=exc.http_status)
        messages.success(request, f"已为“{target}”授予角色：{Role(data['role']).label}。")
        return redirect("security:account", user_id=target.pk)
    return _page(request, target, grant_form=form, status=422)


@office_view(SECURITY_ADMIN_ROLES)
def account_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    target = selectors.account_get_for_security(parse_id(str(user_id)))
    if request.method != "POST":
        return _page(request, target)
    form = RoleRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.role_revoke(actor=office_user(request), user=target, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
            target.refresh_from_db()
            return _page(request, target, revoke_form=form, status=exc.http_status)
        messages.success(request, f"已撤销“{target}”的角色，该账户现在待授权。")
        return redirect("security:account", user_id=target.pk)
    return _page(request, target, revoke_form=form, status=422)
