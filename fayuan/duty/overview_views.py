"""The duty overview (值班律师总览) for the bureaus and the centers: every station the user oversees, who is on duty
today, the month's gaps, no-shows, help records and organs' notices, each figure linking to the rows behind it
(``records``). A station outside the user's oversight is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES

from . import oversight, selectors
from .views import _month, _shift

OVERSEERS = CENTER_ROLES | BUREAU_ROLES


@office_view(OVERSEERS)
def overview(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    month = _month(request)
    report = oversight.overview(user, month, timezone.localdate())
    return render(request, "duty/overview.html", {"report": report, "previous": _shift(month, -1),
                                                  "next": _shift(month, 1), "what": oversight.WHAT})


@office_view(OVERSEERS)
def records(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    month = _month(request)
    what = request.GET.get("what", "")
    what = what if what in oversight.WHAT else "help"
    station = selectors.overseen_station_get(user, request.GET["station"]) if request.GET.get("station") else None
    today = timezone.localdate()
    rows = oversight.records(user, what, month, today, station)
    return render(request, "duty/overview_records.html", {
        "rows": list(rows[:500]) if not isinstance(rows, list) else rows[:500], "what": what,
        "label": oversight.WHAT[what], "month": month, "station": station, "today": today})
