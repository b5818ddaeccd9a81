"""Sign-in events go to the audit log: the password step, failures (the username only, never the password),
lockouts and sign-outs (with the reason when the session timed out). The second factor (its successes,
failures, enrolment and reset) is recorded by the services of ``twofactor``. Django and axes emit these signals;
we only listen."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction

from .twofactor import needs_second_factor


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # For an office account this is only the password step: the second factor is recorded when it is passed.
    detail = {"factor": "password", "second_factor": "pending"} if needs_second_factor(user) else {}
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, detail=detail)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        reason = getattr(request, "fayuan_logout_reason", "")
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, detail={"reason": reason} if reason else None)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django already strips the password from ``credentials``; only the attempted username is kept.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 detail={"username": str(credentials.get("username", ""))[:150]})


@receiver(user_locked_out)
def _on_locked_out(sender: Any, request: Any, username: Any = None, ip_address: Any = None, **kwargs: Any) -> None:
    # The address itself is in the entry's ip_address column (from the request context).
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 detail={"username": str(username or "")[:150], "locked_out": True})
