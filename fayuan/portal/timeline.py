"""The case history in plain words for the applicant. Pure: the selector gathers the rows, this module words them.

Staff-internal steps (a closing file returned for correction, a provider's acceptance details) are left out or
said simply; notes written by staff are shown only where they are addressed to the applicant (refusal reasons,
objection decisions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
HIDDEN = frozenset({"return_closing"})
PROGRESS_LABELS = {
    "meeting": "律师会见/约见了您", "file_reading": "律师查阅了案卷", "evidence": "律师调查取证",
    "hearing": "开庭", "mediation": "调解", "judgment": "收到判决书、裁定书或调解书", "other": "律师记录了办案进展",
}


@dataclass(frozen=True)
class ProviderCard:
    name: str
    firm: str
    phone: str
    firm_phone: str


@dataclass(frozen=True)
class Context:
    """What the wording needs besides the event itself."""

    case_number: str
    refusal_reasons: Mapping[dt.datetime, str] = field(default_factory=dict)
    latest_refusal_reasons: str = ""
    supplement_items: tuple[str, ...] = ()
    supplement_due: dt.date | None = None
    providers: Mapping[int, ProviderCard] = field(default_factory=dict)
    current_provider_id: int | None = None
    objection_reasons: Mapping[dt.datetime, str] = field(default_factory=dict)
    termination_reason: str = ""


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str
    title: str
    details: tuple[str, ...] = ()
    tone: str = "info"  # info | success | warning | danger


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _provider(ctx: Context, payload: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    card = ctx.providers.get(int(payload.get("provider") or 0))
    if card is None:
        return "为您指派了承办律师", ()
    name = f"{card.name}（{card.firm}）" if card.firm else card.name
    details: list[str] = []
    if int(payload.get("provider") or 0) == ctx.current_provider_id:
        if card.phone:
            details.append(f"律师电话：{card.phone}")
        if card.firm_phone:
            details.append(f"律师事务所电话：{card.firm_phone}")
        details.append("律师会在 5 天内与您联系、签订委托协议。")
    how = "（您自己选择的律师）" if payload.get("method") == "client_choice" else ""
    return f"为您指派了承办律师：{name}{how}", tuple(details)


def describe(kind: str, at: dt.datetime, note: str, payload: Mapping[str, Any], ctx: Context) -> Entry | None:
    """One event in plain words, or None when the applicant need not see it."""
    if kind in HIDDEN:
        return None
    if kind == "received":
        how = "网上" if payload.get("channel") == "online" else ""
        return Entry(at, kind, f"我们收到了您的{how}申请", (
            f"受理编号：{ctx.case_number}（查询进度时使用）。", "法律援助中心会在 7 天内审查并作出决定。"))
    if kind == "forward":
        return Entry(at, kind, "工作站已把您的申请转交法律援助中心", ("法律援助中心会在 7 天内审查并作出决定。",))
    if kind == "start_review":
        return Entry(at, kind, "工作人员正在审查您的申请")
    if kind == "request_supplement":
        items = tuple(f"· {i}" for i in ctx.supplement_items)
        due = (f"请在 {_cn(ctx.supplement_due)} 前补充（可到中心窗口提交，或联系中心）；"
               "逾期不补充的，视为撤回申请。",) if ctx.supplement_due else ()
        return Entry(at, kind, "需要您补充材料", ("需要补充的材料：", *items, *due), "warning")
    if kind == "receive_supplement":
        return Entry(at, kind, "已收到您补充的材料，继续审查")
    if kind == "expire_supplement":
        return Entry(at, kind, "补充材料期限已过，申请视为撤回", ("如仍需要法律援助，可以重新申请。",), "danger")
    if kind == "withdraw":
        return Entry(at, kind, "申请已撤回", (), "danger")
    if kind == "grant":
        return Entry(at, kind, "决定给予法律援助", ("接下来会为您指派律师。",), "success")
    if kind == "provide_aid_first":
        return Entry(at, kind, "情况紧急，先行为您提供法律援助", ("相关手续和材料可以之后补办。",), "success")
    if kind == "aid_first_confirmed":
        return Entry(at, kind, "补充审查后，确认给予法律援助", (), "success")
    if kind == "refuse":
        reasons = ctx.refusal_reasons.get(at) or ctx.latest_refusal_reasons
        return Entry(at, kind, "决定不给予法律援助", (
            *((f"理由：{reasons}",) if reasons else ()),
            "如果您不同意，可以在网上提出异议，由市司法局在 5 天内审查（法律援助法第四十九条）。"), "danger")
    if kind == "object":
        return Entry(at, kind, "您提出了异议", ("市司法局会在 5 天内审查并作出决定。",))
    if kind in ("uphold_refusal", "uphold_termination"):
        reasons = ctx.objection_reasons.get(at, note)
        what = "不给予法律援助" if kind == "uphold_refusal" else "终止法律援助"
        return Entry(at, kind, f"异议审查结果：维持{what}的决定", (
            *((f"审查意见：{reasons}",) if reasons else ()),
            "如仍不服，可以依法申请行政复议或者提起行政诉讼。"), "danger")
    if kind in ("overturn_refusal", "overturn_termination"):
        return Entry(at, kind, "异议审查结果：您的异议成立，给予法律援助", ("接下来会为您指派律师。",), "success")
    if kind in ("assign", "change_provider"):
        title, details = _provider(ctx, payload)
        if kind == "change_provider":
            title = title.replace("为您指派了", "为您更换了")
        return Entry(at, kind, title, details, "success")
    if kind == "client_chose_provider":
        card = ctx.providers.get(int(payload.get("provider") or 0))
        return Entry(at, kind, f"您选择了律师{('：' + card.name) if card else ''}")
    if kind == "center_message":
        title, _, body = note.partition("\n")
        return Entry(at, kind, f"法律援助中心给您留言：{title}", (body,) if body else ())
    if kind == "client_choice_lapsed":
        return Entry(at, kind, "选择律师的期限已过，由中心按轮派为您指派律师")
    if kind == "decline":
        return Entry(at, kind, "原指派的律师不能承办，中心会为您重新指派", (), "warning")
    if kind == "assignment_accepted":
        return Entry(at, kind, "律师已接受指派")
    if kind == "provider_change_requested":
        return Entry(at, kind, "您申请更换律师，中心正在处理")
    if kind == "sign_agreement":
        return Entry(at, kind, "您与律师签订了委托协议")
    if kind == "start_handling":
        return Entry(at, kind, "律师开始办理您的案件")
    if kind.startswith("progress_"):
        sub = kind.removeprefix("progress_")
        if sub == "hearing":
            when = payload.get("hearing_at")
            court = payload.get("court") or ""
            detail = []
            if when:
                local = dt.datetime.fromisoformat(str(when))
                local = local.astimezone(LOCAL) if local.tzinfo else local
                detail.append(f"开庭时间：{_cn(local.date())} {local:%H:%M}")
            if court:
                detail.append(f"地点：{court}")
            return Entry(at, kind, "开庭", tuple(detail))
        return Entry(at, kind, PROGRESS_LABELS.get(sub, "律师记录了办案进展"))
    if kind == "submit_closing":
        return Entry(at, kind, "律师已办结，中心正在审查结案材料")
    if kind == "accept_closing":
        return Entry(at, kind, "案件已办结", ("欢迎您对这次法律援助服务作出评价。",), "success")
    if kind == "archive":
        return Entry(at, kind, "案卷已归档")
    if kind == "terminate":
        reason = f"理由：{ctx.termination_reason}" if ctx.termination_reason else ""
        return Entry(at, kind, "决定终止法律援助", (
            *((reason,) if reason else ()),
            "如果您不同意，可以在网上提出异议，由市司法局在 5 天内审查（法律援助法第四十九条）。"), "danger")
    return None


def build(events: Iterable[tuple[str, dt.datetime, str, Mapping[str, Any]]], ctx: Context) -> list[Entry]:
    entries = [describe(kind, at, note, payload, ctx) for kind, at, note, payload in events]
    return [e for e in entries if e is not None]
