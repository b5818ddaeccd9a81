"""Every dashboard figure recounted from the raw records, the slow and obvious way (one case at a time, in Python),
independently of the rollups: the tests hold the dashboard equal to these, before and after a rebuild."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from fayuan.cases.models import Case, CaseEvent, ClosingFile
from fayuan.deadlines.models import Deadline
from fayuan.org.models import QualificationKind, Staff
from fayuan.stats.dashboard import CERTIFIED, DEADLINE_GROUPS, Dashboard
from fayuan.typical_cases.models import TypicalCase


def _district(case: Case) -> int | None:
    if case.center.district_id:
        return case.center.district_id
    if case.receiving_station is not None:
        return case.receiving_station.district_id
    return case.center.seat_district_id


def _in_scope(case: Case, board: Dashboard) -> bool:
    scope = board.scope
    if scope.center_ids is not None and case.center_id not in scope.center_ids:
        return False
    return scope.district_id is None or _district(case) == scope.district_id


def _local(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def aided_cases(board: Dashboard, year: int | None = None) -> list[tuple[Case, dt.date, str]]:
    """(case, the local day aid began, the state it began in) for the scope's cases whose aid began in the year."""
    year = year or board.period.year
    found = []
    for case in Case.objects.select_related("center", "receiving_station", "applicant"):
        first = case.events.filter(to_status__in=("granted", "aid_first")).order_by("at", "id").first()
        if first is None or not _in_scope(case, board):
            continue
        day = _local(first.at)
        if day.year == year and day <= board.period.until:
            found.append((case, day, first.to_status))
    return found


def aid_rate_by_district(board: Dashboard) -> dict[int | None, int]:
    return dict(Counter(_district(case) for case, _day, _as in aided_cases(board)))


def monthly(board: Dashboard) -> dict[int, list[int]]:
    out = {}
    for year in (board.period.year - 1, board.period.year):
        months = [0] * 12
        for _case, day, _as in aided_cases(board, year):
            months[day.month - 1] += 1
        out[year] = months
    return out


def by_type(board: Dashboard) -> dict[str, int]:
    return dict(Counter(case.case_type for case, _d, _a in aided_cases(board)))


def criminal_origin(board: Dashboard) -> dict[str, int]:
    return dict(Counter("notice" if case.channel == "organ_notice" else "application"
                        for case, _d, _a in aided_cases(board) if case.case_type == "criminal"))


def groups(board: Dashboard) -> dict[str, int]:
    counted: Counter[str] = Counter()
    for case, _d, _a in aided_cases(board):
        counted.update(set(case.groups or ()))
        if case.applicant.gender == "F":
            counted["women"] += 1
    return dict(counted)


def green_and_aid_first(board: Dashboard) -> tuple[int, int]:
    found = aided_cases(board)
    return sum(1 for c, _d, _a in found if c.green_channel), sum(1 for _c, _d, a in found if a == "aid_first")


def _events(board: Dashboard, kind: str) -> list[CaseEvent]:
    return [e for e in CaseEvent.objects.filter(kind=kind).select_related(
        "case__center", "case__receiving_station")
        if _local(e.at).year == board.period.year and _local(e.at) <= board.period.until
        and _in_scope(e.case, board)]


def closed_and_recovered(board: Dashboard) -> tuple[int, Decimal]:
    events = _events(board, "accept_closing")
    money = Decimal("0.00")
    for e in events:
        closing = ClosingFile.objects.filter(case=e.case, accepted=True).order_by("-reviewed_at").first()
        money += closing.money_recovered or Decimal("0.00") if closing else Decimal("0.00")
    return len(events), money


def applications_and_refused(board: Dashboard) -> tuple[int, int]:
    received = [c for c in Case.objects.select_related("center", "receiving_station")
                if _local(c.received_at).year == board.period.year and _local(c.received_at) <= board.period.until
                and _in_scope(c, board)]
    return len(received), len(_events(board, "refuse"))


def deadlines(board: Dashboard) -> dict[str, tuple[int, int]]:
    cases = {c.pk: c for c in Case.objects.select_related("center", "receiving_station")}
    counted: Counter[tuple[str, bool]] = Counter()
    for d in Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Case),
                                     met_at__isnull=False).select_related("rule"):
        assert d.met_at is not None
        day = _local(d.met_at)
        if day.year != board.period.year or day > board.period.until or not _in_scope(cases[d.subject_id], board):
            continue
        counted[(d.rule.code, bool(d.met_late))] += 1
    return {code: (sum(counted[(r, False)] for r in rules), sum(counted[(r, True)] for r in rules))
            for code, _label, rules in DEADLINE_GROUPS}


def staff(board: Dashboard) -> dict[str, tuple[int, int, int, int]]:
    """center name -> (active staff, qualified, certified, certified with ≥ target cases this year)."""
    need = board.targets["certified_staff_cases"].value
    out = {}
    on, first = board.period.until, board.period.first
    for center in board.scope.centers:
        mine = list(Staff.objects.filter(center_id=center.pk, active=True))
        qualified = [s for s in mine if s.qualifications.filter(kind=QualificationKind.LEGAL_PROFESSION).exists()
                     and any(q.valid_on(on) for q in s.qualifications.filter(kind=QualificationKind.LEGAL_PROFESSION))]
        certified = [s for s in mine if any(q.valid_on(on) for q in s.qualifications.filter(kind__in=CERTIFIED))]
        active = 0
        for s in certified:
            provider = getattr(s, "provider", None)
            n = 0 if provider is None else len({a.case_id for a in provider.assignments.all()
                                                if first <= _local(a.assigned_at) <= on})
            active += n >= need
        out[center.name] = (len(mine), len(qualified), len(certified), active)
    return out


def typical(board: Dashboard) -> dict[str, list[int]]:
    out = {}
    for row in board.typical:
        months = [0] * 12
        for t in TypicalCase.objects.filter(center=row.center, period__year=board.period.year,
                                            status__in=("submitted", "accepted", "returned")):
            months[t.period.month - 1] += 1
        out[row.center.name] = months
    return out


def figures_of(board: Dashboard) -> dict[str, Any]:
    """The dashboard's own figures in the recount's shapes."""
    return {
        "aid_rate": {r.district_id: r.aided for r in board.aid_rates if r.aided},
        "aid_total": board.aid_total.aided,
        "monthly": board.monthly,
        "by_type": {code: n for code, _label, n in board.by_type if n},
        "criminal_origin": {k: v for k, v in board.criminal_origin.items() if v},
        "groups": {code: n for code, _label, n in board.groups if n},
        "green_and_aid_first": (board.green_channel, board.aid_first),
        "closed_and_recovered": (board.closed, board.money_recovered),
        "applications_and_refused": (board.applications, board.refused),
        "deadlines": {r.code: (r.on_time, r.late) for r in board.deadlines},
        "staff": {r.center.name: (r.staff, r.qualified, r.certified, r.certified_active) for r in board.staff},
        "typical": {row.center.name: [c.submitted for c in row.cells] for row in board.typical},
    }


def recount(board: Dashboard) -> dict[str, Any]:
    aided = aid_rate_by_district(board)
    return {
        "aid_rate": {d: n for d, n in aided.items() if d in {x.pk for x in board.scope.districts}},
        "aid_total": sum(aided.values()),
        "monthly": monthly(board),
        "by_type": by_type(board),
        "criminal_origin": criminal_origin(board),
        "groups": groups(board),
        "green_and_aid_first": green_and_aid_first(board),
        "closed_and_recovered": closed_and_recovered(board),
        "applications_and_refused": applications_and_refused(board),
        "deadlines": deadlines(board),
        "staff": staff(board),
        "typical": typical(board),
    }
