"""Role grants (三员分立): the security administrator grants and revokes roles and scopes; the auditor and the
security administrator themselves are set up only on the server. Every change appends a ``RoleGrant`` row and an
entry in the audit chain, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from fayuan.core.audit import audit_record
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction

from . import rules
from .models import GrantKind, RoleGrant, User
from .roles import BOOTSTRAP_ONLY_ROLES, Role

REASON_MAX = 300


def _scope(user: User) -> dict[str, Any]:
    """The account's scope as the grant rows keep it: {"center": [id, name], ...}, only the links it has."""
    scope: dict[str, Any] = {}
    for field in rules.SCOPE_FIELDS:
        linked = getattr(user, field)
        if linked is not None:
            scope[field] = [linked.pk, str(linked)[:80]]
    return scope


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed("请填写授权或撤销的理由（如任职文件、工作调动）。", field="reason")
    if len(text) > REASON_MAX:
        raise ValidationFailed(f"理由请控制在 {REASON_MAX} 字以内。", field="reason")
    return text


def _record(*, kind: GrantKind, actor: User | None, user: User, role_before: str, scope_before: dict[str, Any],
            reason: str) -> RoleGrant:
    grant = RoleGrant.objects.create(
        kind=kind, user=user, actor=actor, occurred_at=timezone.now(), role_before=role_before,
        role_after=user.role, scope_before=scope_before, scope_after=_scope(user), reason=reason,
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=grant,
        detail={"kind": str(kind), "user": user.pk, "username": user.get_username(),
                "before": {"role": role_before, **scope_before}, "after": {"role": user.role, **_scope(user)},
                "reason": reason},
    )
    return grant


def _locked(user: User) -> User:
    # The row is locked so two security administrators acting at once cannot interleave a grant and a revoke.
    return User.objects.select_for_update().get(pk=user.pk)


def _history(user: User) -> list[str]:
    rows = RoleGrant.objects.filter(user=user).values_list("role_before", "role_after")
    return [role for pair in rows for role in pair]


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str, center: Model | None = None, station: Model | None = None,
               organ: Model | None = None, provider: Model | None = None, district: Model | None = None,
               reason: str) -> RoleGrant:
    """Give ``user`` the role ``role`` with its scope (replacing what it held) and activate the account.

    The scope rows are ``org`` models (Center, Station, Organ, Provider, District), typed loosely here because accounts
    sits below org in the import floors."""
    target = _locked(user)
    refusal = rules.grant_refusal(
        actor_id=actor.pk, actor_role=actor.role, user_id=target.pk, user_role=target.role, role=role,
        officers_held=rules.officer_roles_held(target.role, _history(target)),
    )
    if refusal:
        raise PermissionDenied(refusal)
    scope = {"center": center, "station": station, "organ": organ, "provider": provider, "district": district}
    problems = rules.scope_problems(role, {k: v is not None for k, v in scope.items()})
    if problems:
        raise ValidationFailed(" ".join(problems), field="role")
    text = _reason(reason)
    if provider is not None:
        holder = User.objects.filter(provider_id=provider.pk).exclude(pk=target.pk).first()
        if holder is not None:
            raise ValidationFailed(f"该法律援助人员已对应账户“{holder.get_username()}”，请先撤销那个账户的角色。",
                                   field="provider")
    if (target.role, target.center, target.station, target.organ, target.provider, target.district,
            target.is_active) == (role, center, station, organ, provider, district, True):
        raise ValidationFailed("该账户已是这个角色和范围，没有需要变更的内容。", field="role")
    role_before, scope_before = target.role, _scope(target)
    target.role = role
    for field, value in scope.items():
        setattr(target, field, value)
    # The admin admits the system administrator role only with is_staff; no grant ever makes a superuser.
    target.is_staff = role == Role.SYSTEM_ADMIN
    target.is_superuser = False
    target.is_active = True
    target.save(update_fields=["role", "center", "station", "organ", "provider", "district", "is_staff",
                               "is_superuser", "is_active"])
    return _record(kind=GrantKind.GRANT, actor=actor, user=target, role_before=role_before,
                   scope_before=scope_before, reason=text)


@transaction.atomic
def role_revoke(*, actor: User, user: User, reason: str) -> RoleGrant:
    """Take the role and its scope away: the account stays, awaiting a new grant, and opens nothing."""
    target = _locked(user)
    refusal = rules.revoke_refusal(actor_id=actor.pk, actor_role=actor.role, user_id=target.pk,
                                   user_role=target.role)
    if refusal:
        raise PermissionDenied(refusal)
    text = _reason(reason)
    role_before, scope_before = target.role, _scope(target)
    target.role = ""
    target.center = target.station = target.organ = target.provider = target.district = None
    target.is_staff = target.is_superuser = False
    target.save(update_fields=["role", "center", "station", "organ", "provider", "district", "is_staff",
                               "is_superuser"])
    return _record(kind=GrantKind.REVOKE, actor=actor, user=target, role_before=role_before,
                   scope_before=scope_before, reason=text)


@transaction.atomic
def officer_bootstrap(*, username: str, role: str, password: str, display_name: str = "",
                      reason: str) -> RoleGrant:
    """``manage.py create_officer``: make a security administrator or an auditor, or reset one's password.

    The only path to these roles: run on the server by whoever installs or operates it, outside the application,
    so no account inside it can make itself (or a friend) the auditor. An existing account is reset only if it
    already holds that very role; an account that held any other role is refused (one officer role per account,
    ever)."""
    if role not in BOOTSTRAP_ONLY_ROLES:
        raise ValidationFailed("create_officer 只设立安全管理员（security_admin）或审计员（auditor）。", field="role")
    text = _reason(reason)
    existing = User.objects.select_for_update().filter(username=username).first()
    if existing is not None:
        held = {r for r in (existing.role, *_history(existing)) if r}
        if held != {role}:
            raise PermissionDenied(f"账户“{username}”已存在且不是{Role(role).label}（或曾担任其他角色）："
                                   f"{Role(role).label}须用新账户设立，请换一个用户名。")
    user = existing or User(username=username, role=role, display_name=display_name or Role(role).label)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    if existing is None:
        user.save()
    else:
        user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
    return _record(kind=GrantKind.RESET if existing else GrantKind.BOOTSTRAP, actor=None, user=user,
                   role_before=role if existing else "", scope_before={}, reason=text)


@transaction.atomic
def officer_deactivate(*, username: str, role: str, reason: str) -> RoleGrant:
    """``manage.py create_officer --deactivate``: an officer who leaves. Like their setting up, only on the server:
    the account stays (its audit entries point at it), cannot sign in, and is never reused for another role."""
    text = _reason(reason)
    user = User.objects.select_for_update().filter(username=username, role=role).first()
    if role not in BOOTSTRAP_ONLY_ROLES or user is None:
        raise ValidationFailed(f"没有角色为 {role} 的账户“{username}”。", field="username")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return _record(kind=GrantKind.DEACTIVATE, actor=None, user=user, role_before=role, scope_before={}, reason=text)
