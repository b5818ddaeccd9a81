"""Sign-in and sign-out go to the audit log. Django emits these signals; we only listen."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django already strips the password from ``credentials``; only the attempted username is kept.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 detail={"username": str(credentials.get("username", ""))[:150]})
