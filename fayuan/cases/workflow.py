"""The case workflow as one pure transition table. No database: services apply it under a row lock.

Each action names the states it may start from, the state it leads to, the roles that may take it, and the
events it emits (deadline clocks start and stop on these; KPIs count them).
"""

from __future__ import annotations

from dataclasses import dataclass

from fayuan.accounts.roles import APPLICANT_ROLES as APPLICANT
from fayuan.accounts.roles import BUREAU_ROLES as BUREAU
from fayuan.accounts.roles import CENTER_ROLES as CENTER
from fayuan.accounts.roles import INTAKE_ROLES as INTAKE
from fayuan.accounts.roles import PROVIDER_ROLES as PROVIDERS
from fayuan.accounts.roles import Role

from .models.case import Status

S = Status
SYSTEM = frozenset({"system"})  # scheduled jobs (e.g. supplement period expired): not a role anyone signs in with


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    events: tuple[str, ...] = ()


def _t(action: str, label: str, sources: set[Status] | set[str], target: str, roles: frozenset[str],
       events: tuple[str, ...] = ()) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), events)


HANDLING = {S.ASSIGNED, S.AGREEMENT_SIGNED, S.IN_PROGRESS}
OPEN_FOR_DECISION = {S.RECEIVED, S.UNDER_REVIEW}

TRANSITIONS: tuple[Transition, ...] = (
    _t("forward", "转交中心", {S.AT_STATION}, S.RECEIVED, INTAKE, ("forwarded_to_center", "application_received")),
    # Law art. 39: the organ or detention center (or the duty lawyer there) that received a detained person's
    # application hands it to the center itself; the same clocks as a station's forwarding (the 24-hour clock stops).
    _t("forward_from_custody", "羁押场所转交中心", {S.AT_STATION}, S.RECEIVED,
       frozenset({Role.ORGAN_LIAISON, Role.DUTY_LAWYER}), ("forwarded_to_center", "application_received")),
    _t("start_review", "开始审查", {S.RECEIVED}, S.UNDER_REVIEW, CENTER),
    _t("request_supplement", "一次性告知补充材料", OPEN_FOR_DECISION, S.SUPPLEMENT_REQUESTED, CENTER,
       ("supplement_requested",)),
    _t("receive_supplement", "收到补充材料", {S.SUPPLEMENT_REQUESTED}, S.UNDER_REVIEW, INTAKE,
       ("supplement_received",)),
    _t("expire_supplement", "逾期未补充，视为撤回", {S.SUPPLEMENT_REQUESTED}, S.WITHDRAWN, CENTER | SYSTEM,
       ("withdrawn",)),
    _t("withdraw", "撤回申请", {S.AT_STATION, S.RECEIVED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED}, S.WITHDRAWN,
       INTAKE | APPLICANT, ("withdrawn",)),
    _t("grant", "决定给予法律援助", OPEN_FOR_DECISION, S.GRANTED, CENTER, ("decision_made", "aid_granted")),
    _t("refuse", "决定不予法律援助", OPEN_FOR_DECISION, S.REFUSED, CENTER, ("decision_made",)),
    _t("provide_aid_first", "先行提供法律援助", OPEN_FOR_DECISION | {S.SUPPLEMENT_REQUESTED}, S.AID_FIRST, CENTER,
       ("decision_made", "aid_granted")),
    # "system": the recipient's own choice (点援制) and the rotation when the choice window lapses.
    _t("assign", "指派承办人员", {S.GRANTED, S.AID_FIRST}, S.ASSIGNED, CENTER | SYSTEM, ("provider_assigned",)),
    _t("decline", "承办人员拒绝指派", {S.ASSIGNED}, S.GRANTED, PROVIDERS, ("aid_granted",)),
    _t("change_provider", "更换承办人员", HANDLING, S.ASSIGNED, CENTER, ("provider_assigned",)),
    _t("sign_agreement", "签订委托协议", {S.ASSIGNED}, S.AGREEMENT_SIGNED, PROVIDERS | CENTER, ("agreement_signed",)),
    _t("start_handling", "开始承办", {S.AGREEMENT_SIGNED}, S.IN_PROGRESS, PROVIDERS),
    _t("submit_closing", "提交结案材料", {S.AGREEMENT_SIGNED, S.IN_PROGRESS}, S.CLOSING_SUBMITTED, PROVIDERS,
       ("closing_submitted",)),
    _t("return_closing", "退回补正结案材料", {S.CLOSING_SUBMITTED}, S.IN_PROGRESS, CENTER, ("closing_returned",)),
    _t("accept_closing", "审查通过，结案", {S.CLOSING_SUBMITTED}, S.CLOSED, CENTER, ("case_closed",)),
    _t("archive", "归档", {S.CLOSED}, S.ARCHIVED, CENTER, ("archived",)),
    _t("terminate", "终止法律援助", {S.GRANTED, S.AID_FIRST} | HANDLING, S.TERMINATED, CENTER, ("terminated",)),
    _t("object", "提出异议", {S.REFUSED, S.TERMINATED}, S.OBJECTION, APPLICANT | CENTER, ("objection_filed",)),
    _t("uphold_refusal", "异议不成立，维持不予援助", {S.OBJECTION}, S.REFUSED, BUREAU, ("objection_decided",)),
    _t("overturn_refusal", "异议成立，给予法律援助", {S.OBJECTION}, S.GRANTED, BUREAU,
       ("objection_decided", "aid_granted")),
    _t("uphold_termination", "异议不成立，维持终止", {S.OBJECTION}, S.TERMINATED, BUREAU, ("objection_decided",)),
    _t("overturn_termination", "异议成立，恢复援助", {S.OBJECTION}, S.GRANTED, BUREAU,
       ("objection_decided", "aid_granted")),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
TERMINAL = frozenset({S.ARCHIVED, S.WITHDRAWN})
OPEN_STATUSES = frozenset({S.ASSIGNED, S.AGREEMENT_SIGNED, S.IN_PROGRESS, S.CLOSING_SUBMITTED})
"""States in which a case counts against its provider's capacity."""


class TransitionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoleRefused(TransitionRefused):
    """The role never takes this action, in any state: not a conflict with the case's state (403, not 409)."""


def status_label(status: str) -> str:
    return Status(status).label


def check(status: str, action: str, role: str) -> Transition:
    """The transition for ``action`` from ``status`` by ``role``, or a refusal that says why in Chinese."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused(f"未知的操作“{action}”。")
    # The role first: a role that never takes the action is told so whatever the state (the API answers 403).
    if role not in transition.roles:
        raise RoleRefused(f"您的角色不能执行“{transition.label}”。")
    if status not in transition.sources:
        allowed = "、".join(sorted(status_label(s) for s in transition.sources))
        raise TransitionRefused(
            f"案件当前状态为“{status_label(status)}”，不能“{transition.label}”（仅在{allowed}时可以）。"
        )
    return transition


def available(status: str, role: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles]
