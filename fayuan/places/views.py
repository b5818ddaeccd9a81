"""The station network's reach (plan point 14): an overview by district, a map and the list of places. The city bureau
and the city center see the whole city (and may look at one district); a district bureau and a district center their
district; anyone else gets 404. Read-only: places are reference data kept in the admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view

from . import selectors
from .selectors import READER_ROLES

SUGGESTIONS = 5  # new points suggested on the pages
COMPARED = (1, 2, 3, 4, 5)  # k for which the page shows greedy against the exact optimum (cheap on a city's data)


def _district(request: HttpRequest) -> int | None:
    raw = request.GET.get("district", "")
    return int(raw) if raw.isdigit() else None


def _summary(request: HttpRequest) -> selectors.ReachSummary:
    return selectors.reach_summary(user=office_user(request), on=timezone.localdate(),
                                   district_id=_district(request))


def _context(request: HttpRequest, summary: selectors.ReachSummary) -> dict[str, Any]:
    scope = selectors.reach_scope(office_user(request))
    return {"s": summary, "city_reader": scope.district_id is None,
            "choices": list(summary.district_names.items()) if scope.district_id is None else [],
            "district": summary.district_id}


@office_view(READER_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    picks = selectors.suggest_points(summary, SUGGESTIONS)
    names = summary.district_names
    return render(request, "places/reach.html", {
        **_context(request, summary), "picks": [(p, names.get(p.site.district_id, "")) for p in picks],
        "comparisons": selectors.compare_cover(summary, list(COMPARED)), "picked_people": sum(p.people for p in picks)})


@office_view(READER_ROLES)
def reach_map(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    picks = selectors.suggest_points(summary, SUGGESTIONS)
    names = summary.district_names
    shown = {r.nearest.key for r in summary.reaches if r.nearest is not None}
    sites = [s for s in summary.sites if summary.district_id is None or s.district_id == summary.district_id
             or s.key in shown]
    data = {
        "sites": [{"name": s.name, "kind": s.kind, "lat": s.lat, "lon": s.lon} for s in sites],
        "places": [{"name": r.home.name, "district": names.get(r.home.district_id, ""), "lat": r.home.lat,
                    "lon": r.home.lon, "population": r.home.population, "within": r.within,
                    "minutes": round(r.minutes, 1) if r.minutes is not None else None, "target": r.target}
                   for r in summary.reaches],
        "picks": [{"name": p.site.name, "lat": p.site.lat, "lon": p.site.lon, "people": p.people} for p in picks],
    }
    return render(request, "places/map.html", {**_context(request, summary), "data": data, "picks": picks,
                                               "sites": sites})


@office_view(READER_ROLES)
def place_list(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    out_only = request.GET.get("out") == "1"
    names = summary.district_names
    rows = [(r, names.get(r.home.district_id, "")) for r in summary.reaches if not out_only or not r.within]
    return render(request, "places/list.html", {**_context(request, summary), "rows": rows, "out_only": out_only})
