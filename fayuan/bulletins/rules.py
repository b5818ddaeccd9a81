"""Pure rules of the bulletins: periods, numbers and the suggestions pre-filled from the figures (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Kind

# The city's bulletins are numbered under the city legal aid center's prefix (镇法援质通〔2026〕第3号).
CITY_PREFIX = "镇法援"
SERIES_INFIX = "质通"
NOTHING_FOUND = "本期数据未显示需要通报的问题（请结合检查情况补充）。"


def period_bounds(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, first day after) of a month or a year; ``start`` is normalised to the period's first day."""
    if kind == Kind.ANNUAL:
        return dt.date(start.year, 1, 1), dt.date(start.year + 1, 1, 1)
    first = start.replace(day=1)
    return first, (first.replace(year=first.year + 1, month=1) if first.month == 12
                   else first.replace(month=first.month + 1))


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}{SERIES_INFIX}〔{year}〕第{number}号"


def _values(figures: dict[str, Any], key: str) -> dict[str, Any]:
    return next((b["values"] for b in figures.get("blocks", []) if b["key"] == key), {})


def suggest_problems(figures: dict[str, Any]) -> str:
    """Lines the bureau or center starts from: gaps, 不合格 grades, dissatisfaction, substantiated complaints."""
    lines: list[str] = []
    centers = figures.get("centers") or []
    if centers:
        for c in centers:
            found = []
            if c["gaps"]:
                found.append(f"{c['gaps']}件结案案件尚未完成一案一评")
            if c["fail"]:
                found.append(f"{c['fail']}件案件质量评定为不合格")
            if c["substantiated"]:
                found.append(f"{c['substantiated']}件投诉经查成立或部分成立")
            if found:
                lines.append(f"{c['name']}：" + "，".join(found) + "。")
    else:
        cases, complaints = _values(figures, "cases"), _values(figures, "complaints")
        if cases.get("gaps"):
            lines.append(f"本期结案案件中有{cases['gaps']}件尚未完成一案一评。")
        if cases.get("grade_fail"):
            lines.append(f"{cases['grade_fail']}件案件质量评定为不合格。")
        substantiated = complaints.get("substantiated", 0) + complaints.get("partly", 0)
        if substantiated:
            lines.append(f"{substantiated}件投诉经查成立或部分成立。")
    followup, complaints = _values(figures, "followup"), _values(figures, "complaints")
    if followup.get("dissatisfied"):
        lines.append(f"回访中有{followup['dissatisfied']}名受援人表示不满意。")
    if complaints.get("flagged_providers"):
        lines.append(f"{complaints['flagged_providers']}名法律援助人员触发重复投诉提示，请予关注。")
    if not lines:
        return NOTHING_FOUND
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def suggest_good_practice(figures: dict[str, Any], excellent_titles: list[str]) -> str:
    lines: list[str] = []
    cases, followup = _values(figures, "cases"), _values(figures, "followup")
    if cases.get("closed") and not cases.get("gaps"):
        lines.append("本期结案案件全部完成一案一评。")
    if cases.get("grade_excellent"):
        lines.append(f"{cases['grade_excellent']}件案件质量评定为优秀。")
    if followup.get("rate") is not None and not followup.get("dissatisfied"):
        lines.append(f"回访满意率{followup['rate']}%，未发现不满意情况。")
    if excellent_titles:
        lines.append(f"{len(excellent_titles)}件案例被采用为典型案例（见“优秀案例”）。")
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
