"""The signed-in user's inbox: list and mark read. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import OFFICE_ROLES

from . import selectors, services


@office_view(OFFICE_ROLES)
def notification_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(user, unread_only=unread_only), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {
        "page": page, "unread_only": unread_only, "unread_count": selectors.unread_count(user),
    })


@office_view(OFFICE_ROLES)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(user=office_user(request), notification_id=notification_id)
    target = notification.link if request.POST.get("follow") == "1" else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")
