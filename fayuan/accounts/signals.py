"""Sign-in and sign-out go to the audit log. Django emits these signals; we only listen."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
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
