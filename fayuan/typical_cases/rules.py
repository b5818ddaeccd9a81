"""Pure rules of the library: a center's month in the compliance table, and the excellent-case ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MISSED, SHORT, MET, OVER, OPEN, NOT_YET = "missed", "short", "met", "over", "open", "not_yet"
CELL_LABELS = {MISSED: "未报送", SHORT: "不足", MET: "已报送", OVER: "超出", OPEN: "本月进行中", NOT_YET: "—"}


def month_end(period: dt.date) -> dt.date:
    following = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def cell_status(*, submitted: int, minimum: int, maximum: int, period: dt.date, today: dt.date) -> str:
    """A center's month: the plan asks each district center to report by the month's end (每月底), so a month
    with none submitted is missed once it is over, and still open while it runs."""
    if period > today:
        return NOT_YET
    if submitted > maximum:
        return OVER
    if submitted >= minimum:
        return MET
    if today <= month_end(period):
        return OPEN
    return MISSED if submitted == 0 else SHORT


@dataclass(frozen=True)
class Ranked:
    key: object
    average: Decimal  # the mean of the panel members' totals, to 2 places
    scored_by: int
    rank: int


def rank(totals: Mapping[object, Sequence[int]], panel_size: int) -> list[Ranked]:
    """Nominees by the mean of their members' totals, highest first; ties share a rank (1, 2, 2, 4). A nominee
    not every member scored is ranked on what it has and shows how many scored it."""
    rows = []
    for key, member_totals in totals.items():
        if member_totals:
            mean = (Decimal(sum(member_totals)) / len(member_totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        else:
            mean = Decimal("0.00")
        rows.append((key, mean, len(member_totals)))
    rows.sort(key=lambda r: -r[1])
    ranked: list[Ranked] = []
    for i, (key, mean, n) in enumerate(rows):
        position = ranked[-1].rank if ranked and ranked[-1].average == mean else i + 1
        ranked.append(Ranked(key, mean, min(n, panel_size), position))
    return ranked
