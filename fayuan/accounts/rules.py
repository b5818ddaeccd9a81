"""Separation of duties (三员分立, 等保 level 3): who may grant which role to whom, and which scope each role takes.

Pure rules on plain values (no database), so each one is tested on its own; ``services.role_grant`` and
``role_revoke`` apply them to the rows they lock, and the admin asks ``sysadmin_may_manage`` about an account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .roles import BOOTSTRAP_ONLY_ROLES, CENTER_ROLES, GRANTABLE_ROLES, OFFICER_ROLES, PROVIDER_ROLES, Role

SCOPE_FIELDS = ("center", "station", "organ", "provider", "district")
SCOPE_LABELS = {"center": "所属中心", "station": "所属工作站", "organ": "所属办案机关", "provider": "对应法律援助人员",
                "district": "所属司法行政部门"}
# The scope each role needs (every other scope must stay empty): the same rules as the User table's constraints.
REQUIRED_SCOPE: dict[str, str] = {
    **dict.fromkeys(CENTER_ROLES, "center"),
    Role.STATION_CLERK: "station", Role.ORGAN_LIAISON: "organ",
    **dict.fromkeys(PROVIDER_ROLES, "provider"),
}
# A bureau account may name its district bureau; empty is the city bureau.
OPTIONAL_SCOPE: dict[str, str] = {Role.BUREAU_SUPERVISOR: "district"}


def scope_problems(role: str, given: Mapping[str, bool]) -> list[str]:
    """Chinese messages for a scope that does not fit the role (missing, or one the role does not take)."""
    problems = []
    required = REQUIRED_SCOPE.get(role)
    allowed = {required, OPTIONAL_SCOPE.get(role)} - {None}
    label = Role(role).label if role in Role.values else role
    if required and not given.get(required):
        problems.append(f"授予“{label}”须选择{SCOPE_LABELS[required]}。")
    for field in SCOPE_FIELDS:
        if given.get(field) and field not in allowed:
            problems.append(f"“{label}”不需要{SCOPE_LABELS[field]}，请留空。")
    return problems


def officer_roles_held(current_role: str, history: Iterable[str]) -> set[str]:
    """The officer roles an account holds or ever held (its current role and every role its grant rows name)."""
    return {r for r in (current_role, *history) if r in OFFICER_ROLES}


def grant_refusal(*, actor_id: int, actor_role: str, user_id: int, user_role: str, role: str,
                  officers_held: set[str]) -> str | None:
    """Why this grant may not happen (a Chinese message), or None. ``officers_held``: see ``officer_roles_held``."""
    if actor_role != Role.SECURITY_ADMIN:
        return "只有安全管理员可以授予或撤销角色。"
    if actor_id == user_id:
        return "不能为自己授予或变更角色，请由另一位安全管理员办理。"
    if role in BOOTSTRAP_ONLY_ROLES:
        return f"“{Role(role).label}”只能在服务器上用 manage.py create_officer 设立，不能在系统内授予。"
    if role not in GRANTABLE_ROLES:
        return "该角色不能在此授予（申请人账户由公众服务平台建立）。"
    if user_role in BOOTSTRAP_ONLY_ROLES:
        return f"该账户是{Role(user_role).label}，只能在服务器上管理，不能在系统内变更。"
    if user_role == Role.APPLICANT:
        return "申请人账户由公众服务平台管理，不能在此授予角色。"
    if role in OFFICER_ROLES and officers_held - {role}:
        held = "、".join(sorted(Role(r).label for r in officers_held - {role}))
        return f"该账户曾担任{held}，不能再担任“{Role(role).label}”：系统管理员、安全管理员、审计员须由不同账户担任。"
    return None


def revoke_refusal(*, actor_id: int, actor_role: str, user_id: int, user_role: str) -> str | None:
    if actor_role != Role.SECURITY_ADMIN:
        return "只有安全管理员可以授予或撤销角色。"
    if actor_id == user_id:
        return "不能撤销自己的角色，请由另一位安全管理员办理。"
    if user_role in BOOTSTRAP_ONLY_ROLES:
        return f"该账户是{Role(user_role).label}，只能在服务器上管理，不能在系统内变更。"
    if user_role == Role.APPLICANT:
        return "申请人账户由公众服务平台管理，不能在此撤销角色。"
    if not user_role:
        return "该账户尚无角色，无需撤销。"
    return None


def sysadmin_may_manage(role: str) -> bool:
    """The system administrator sets the password of, activates or deletes only accounts without a role (awaiting
    a grant) and other system administrators' accounts: never one that opens data or belongs to another officer."""
    return role in ("", Role.SYSTEM_ADMIN)
