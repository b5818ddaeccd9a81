"""Office page: who chose their lawyer and who was rotated, and how evenly the rotation spreads the work."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, Role
from fayuan.cases.models import AssignmentMethod
from fayuan.cases.selectors import change_requests_open, choice_window_days
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_date, parse_id
from fayuan.org.models import Center

from . import criminal, selectors, shortlist

DEFAULT_DAYS = 90


@office_view(CENTER_ROLES | BUREAU_ROLES)
def assignment_spread(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    if user.role == Role.BUREAU_SUPERVISOR:
        center_id = parse_id(request.GET.get("center"))
        # A district bureau supervises the center it set up; the city bureau every center.
        supervised = Center.objects.all() if user.district_id is None else Center.objects.filter(
            district_id=user.district_id)
        center = supervised.filter(pk=center_id).first() if center_id else None
        center = center or supervised.order_by("level", "name").first()
        choices = list(supervised.order_by("level", "name"))
    else:
        center, choices = user.center, []
    if center is None:
        raise NotFoundOrForbidden()
    since = parse_date(request.GET.get("since")) or timezone.localdate() - dt.timedelta(days=DEFAULT_DAYS)
    report = selectors.assignment_spread(center, since)
    return render(request, "stats/assignment_spread.html", {
        "report": report, "centers": choices, "methods": AssignmentMethod.choices,
        "change_requests": list(change_requests_open(center)),
        "window_days": choice_window_days(center),
    })


@office_view(CENTER_ROLES | BUREAU_ROLES)
def criminal_dashboard(request: HttpRequest) -> HttpResponse:
    """刑事法律援助: notices, full defense coverage, custody forwardings and rights notifications, duty lawyers."""
    user = office_user(request)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        month = dt.datetime.strptime(raw[:7], "%Y-%m").date() if raw else today  # noqa: DTZ007  (a month)
    except ValueError:
        month = today
    report = criminal.criminal_dashboard(user, month)
    return render(request, "stats/criminal.html", {
        "report": report, "duty": shortlist.shortlist(report.duty, shortlist.duty_attention),
        "is_center": user.role in CENTER_ROLES, "is_bureau": user.role == Role.BUREAU_SUPERVISOR,
        "previous": (report.month - dt.timedelta(days=1)).replace(day=1),
        "next": (report.month + dt.timedelta(days=32)).replace(day=1)})
