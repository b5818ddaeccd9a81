"""Issuing and revoking API tokens (every write audited; the token itself is never stored or logged)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction

from .models import ApiToken


def token_digest(raw: str) -> str:
    """SHA-256 hex of a token. A token carries 256 random bits, so a plain (unsalted, fast) hash is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which the caller shows exactly once."""
    name = name.strip()
    if not name:
        raise ValidationFailed("请填写令牌用途（如：法院系统对接）。", field="name")
    if not user.is_active:
        raise ValidationFailed("该账户已停用，不能签发令牌。", field="user")
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], token_hash=token_digest(raw))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=token,
                 detail={"user": user.get_username(), "name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User | None, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise ValidationFailed("未找到该令牌。", field="token_id")
    if token.revoked_at is not None:
        raise Conflict("该令牌已吊销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=token, detail={"revoked": True, "name": token.name})
    return token
