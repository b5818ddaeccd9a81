"""For tests: sign an office account in with both factors without going through the forms.

``client.force_login`` passes only the password step; every office page would then send the account to its
second factor. ``sign_in`` also gives the account a confirmed authenticator (once) and marks the session as
verified with it, exactly as ``django_otp.login`` does after a correct code. Applicants need no second factor.
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from .middleware import LAST_ACTIVITY_KEY
from .models import Authenticator, User
from .twofactor import needs_second_factor


def totp_device(user: User) -> Authenticator:
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="测试验证器", confirmed=True)
    return device


def totp_code(device: Authenticator, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at the Unix time ``at``) for ``device``."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        clock.time = at
    return f"{clock.token():0{device.digits}d}"


def sign_in(client: Any, user: User) -> None:
    """``client.force_login(user)`` plus a passed second factor for an office account."""
    client.force_login(user)
    mark_verified(client, user)


def mark_verified(client: Any, user: User) -> None:
    """Mark the client's session (already past the password) as past the second factor too; and as active now,
    so the first request does not write the session (query-count tests count every query)."""
    session = client.session
    if needs_second_factor(user):
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session[LAST_ACTIVITY_KEY] = int(time.time())
    session.save()
