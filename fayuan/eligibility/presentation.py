"""Plain-Chinese lines about a stored engine result (``Result.as_dict()``), shared by the decision screen and the
decision documents so both say the same thing. Pure: reads the dict only (older results lack the newer keys)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .engine import PENDING_NOTE


def _cn(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def green_channel_lines(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per green-channel row that matched: whether it waived the economic check, whether it fast-tracks,
    and which row (code, date in force, basis) it is."""
    lines = []
    for row in result.get("green_channel_rules") or []:
        effects = []
        if row.get("fast_track"):
            effects.append("快速受理、指派、办理")
        if row.get("waiver_applied"):
            effects.append("免除经济困难审查")
        elif row.get("waives_means_test"):
            effects.append("本案本不以经济困难为条件，无须免除")
        else:
            effects.append("不免除经济困难审查")
        since = _cn(row.get("since"))
        basis = str(row.get("basis", ""))
        if row.get("basis_pending") and PENDING_NOTE not in basis:
            basis += PENDING_NOTE
        lines.append({
            "code": row.get("code", ""), "name": row.get("name", ""), "since": since,
            "waived": bool(row.get("waiver_applied")), "fast_track": bool(row.get("fast_track")),
            "effects": "，".join(effects), "basis": basis,
            "text": (f"“{row.get('name', '')}”（绿色通道规则 {row.get('code', '')}"
                     f"{'，' + since + '起执行' if since else ''}，依据：{basis}）：{'，'.join(effects)}。"),
        })
    return lines


def means_test_waiver(result: dict[str, Any]) -> str:
    """Whether the economic check was waived and on which rows, in one sentence ('' when it was not waived)."""
    if result.get("means_test") != "exempt":
        return ""
    codes = result.get("means_test_waived_by") or []
    named = {c.get("code"): c for c in result.get("criteria") or []}
    parts = []
    for code in codes:
        criterion = named.get(code, {})
        kind = "绿色通道规则" if code.startswith("green_channel:") else "免予核查人群"
        parts.append(f"{kind} {code.split(':', 1)[-1]}（{criterion.get('basis', '')}）")
    return "已免除经济困难审查，依据：" + "；".join(parts) + "。" if parts else "已免除经济困难审查。"
