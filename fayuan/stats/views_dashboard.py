"""The dashboards: the page (charts and tables), its XLSX export, the summary on the director's and the bureau's
home page, and the records behind a figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, Role
from fayuan.core.capped import CappedPaginator, UncountedPaginator
from fayuan.core.demo_seed import demo_seed_context
from fayuan.core.documents import XLSX_CONTENT_TYPE, download, xlsx_book_bytes
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.options import district_options
from fayuan.core.params import parse_id, parse_int
from fayuan.core.replica import reports_reads
from fayuan.eligibility.models import CaseType

from . import dashboard as board_module
from . import dashboard_export, records, shortlist

ROLES = CENTER_ROLES | BUREAU_ROLES
PAGE_SIZE = 50


def _board(request: HttpRequest) -> board_module.Dashboard:
    user = office_user(request)
    today = timezone.localdate()
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=today.year, default=None)
    with reports_reads():  # the replica when configured: the figures scan the year's rollups
        return board_module.dashboard(user, year=year, district=parse_id(request.GET.get("district")), today=today)


def _tables(board: board_module.Dashboard) -> dict[str, shortlist.Shortlist[Any]]:
    """The rows the page shows of each per-district and per-center table (all of a city's; see shortlist.py)."""
    return {"aid_rates": shortlist.shortlist(board.aid_rates, shortlist.aid_rate_attention),
            "staff": shortlist.shortlist(board.staff, shortlist.staff_attention),
            "typical": shortlist.shortlist(board.typical, shortlist.typical_attention),
            "quality": shortlist.shortlist(board.quality_rows, shortlist.quality_attention)}


def _chart_data(board: board_module.Dashboard, tables: dict[str, shortlist.Shortlist[Any]]) -> dict[str, Any]:
    def num(value: Any) -> float | None:
        return None if value is None else float(value)

    target = board.targets.get("aid_rate_per_10k")
    staff_target = board.targets.get("qualified_staff_percent")
    aid_rates, staff, typical = tables["aid_rates"].rows, tables["staff"].rows, tables["typical"].rows
    return {
        "aidRate": {"names": [r.name for r in aid_rates], "rate": [num(r.rate) for r in aid_rates],
                    "projected": [num(r.projected_rate) for r in aid_rates],
                    "target": num(target.value) if target else None},
        "monthly": {"years": [str(y) for y in board.monthly], "series": [board.monthly[y] for y in board.monthly]},
        "staff": {"names": [r.center.name for r in staff], "percent": [num(r.percent) for r in staff],
                  "target": num(staff_target.value) if staff_target else None},
        "deadlines": {"names": [d.label.split("（")[0] for d in board.deadlines],
                      "onTime": [d.on_time for d in board.deadlines], "late": [d.late for d in board.deadlines]},
        "typical": {"centers": [r.center.name for r in typical],
                    "cells": [[c.submitted for c in r.cells] for r in typical]},
    }


@office_view(ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计看板: the plan's targets for the user's scope, year to date and projected to the year end."""
    board = _board(request)
    user = office_user(request)
    districts: Sequence[board_module.ScopeDistrict] = ()
    if user.role == Role.BUREAU_SUPERVISOR and user.district_id is None:  # the city bureau may narrow to a district
        # The city's scope already read every district; a district's scope holds only its own.
        districts = board.scope.districts if board.scope.level == "city" else board_module.scope_districts()
    tables = _tables(board)
    return render(request, "stats/dashboard.html", {
        "board": board, "tables": tables, "chart": _chart_data(board, tables), "districts": districts,
        "district_options": district_options(((d.pk, d.name) for d in districts), board.scope.district_id),
        "years": list(range(timezone.localdate().year, 2017, -1)),
        "definitions": dashboard_export.DEFINITIONS,
        **demo_seed_context(),  # make run's first minutes: the zeros are explained by the seeder's progress
    })


@office_view(ROLES)
def dashboard_export_xlsx(request: HttpRequest) -> HttpResponse:
    figure = request.GET.get("figure") or None
    if figure is not None and figure not in dashboard_export.FIGURES:
        raise NotFoundOrForbidden()
    board = _board(request)
    name = f"dashboard-{board.period.year}-{figure or 'all'}.xlsx"
    return download(xlsx_book_bytes(dashboard_export.sheets(board, figure)), XLSX_CONTENT_TYPE, name)


@office_view(ROLES)
def dashboard_summary(request: HttpRequest) -> HttpResponse:
    """The headline figures at the top of the director's and the bureau's home page (loaded by htmx)."""
    return render(request, "stats/_dashboard_summary.html", {"board": _board(request)})


@office_view(ROLES)
def records_behind(request: HttpRequest) -> HttpResponse:
    """查看明细: the cases behind a figure, as far as the user may open them."""
    user = office_user(request)
    today = timezone.localdate()
    measure = request.GET.get("measure", "")
    if measure not in records.LABELS:
        raise NotFoundOrForbidden()
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=today.year, default=today.year)
    month = parse_int(request.GET.get("month"), minimum=1, maximum=12, default=None)
    year = year or today.year
    start = dt.date(year, month or 1, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) if month else dt.date(year + 1, 1, 1)
    case_type = request.GET.get("type", "")
    criteria = records.Criteria(measure, start, end, parse_id(request.GET.get("district")),
                                case_type if case_type in CaseType.values else "")
    # Counted up to the cap (a country's year of aided cases is over a million rows), or not at all past the limit.
    rows = records.records_behind(user, criteria)
    paginator = (UncountedPaginator(rows, PAGE_SIZE) if records.too_many_to_count(user, criteria)
                 else CappedPaginator(rows, PAGE_SIZE))
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "stats/records.html", {
        "page": page, "label": records.LABELS[measure], "criteria": criteria,
        "params": "&".join(f"{k}={v}" for k, v in (("measure", measure), ("year", year), ("month", month or ""),
                                                    ("district", criteria.district_id or ""),
                                                    ("type", criteria.case_type)) if v)})
