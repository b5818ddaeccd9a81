"""Two-factor sign-in for office accounts (等保 level 3): a TOTP app plus one-time recovery codes (django-otp).

Every account except an applicant's (who signs in on the public site with an SMS code) must pass a second factor
after the password. An account without a confirmed TOTP device is sent to enrol; the security administrator can
reset someone's factor (deleting the devices forces a new enrolment), never their own and never the auditor's.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from io import BytesIO

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from fayuan.core.audit import audit_record
from fayuan.core.errors import DomainError, NotFoundOrForbidden
from fayuan.core.models import AuditAction

from .models import Authenticator, User
from .roles import Role

TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# Whose second factor the security administrator may reset: every office account but the auditor's (三员分立: the
# auditor watches the security administrator, so the security administrator cannot take over the auditor's sign-in).
_RESET_EXCLUDED_ROLES = frozenset({Role.APPLICANT, Role.AUDITOR})

MSG_WRONG = "验证码不正确，请查看身份验证器上的 6 位数字，或输入一个恢复码。"
MSG_THROTTLED = "验证码错误次数过多，请 {s} 秒后再试。"
MSG_ENROL_WRONG = "验证码不正确：请确认手机时间准确，并输入身份验证器上当前显示的 6 位数字。"


def needs_second_factor(user: object) -> bool:
    """Office accounts sign in with two factors; applicants (public site, SMS) and anonymous visitors do not."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", Role.APPLICANT) != Role.APPLICANT)


def is_verified(user: object) -> bool:
    """Whether this session's user has passed a second factor (django-otp's middleware sets ``otp_device``)."""
    return getattr(user, "otp_device", None) is not None


def confirmed_totp(user: User) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=True).first()


def totp_secret_base32(device: Authenticator) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def totp_qr_svg(device: Authenticator) -> str:
    """The ``otpauth://`` URL as an inline SVG QR code (drawn here: no external service, no CDN)."""
    out = BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False,
                                                  svgns=True, title="身份验证器二维码")
    return out.getvalue().decode("utf-8")


# --- Enrolment -------------------------------------------------------------------------------------------------
@transaction.atomic
def totp_enrol_start(*, actor: User) -> Authenticator:
    """The pending (unconfirmed) device of ``actor``, made once: reloading the page keeps the same secret, so a
    code from an app that already scanned it still works."""
    if confirmed_totp(actor) is not None:
        raise DomainError("您已绑定身份验证器。如需更换，请联系安全管理员重置。")
    device = Authenticator.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = Authenticator.objects.create(user=actor, name=TOTP_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Enrolment:
    device: Authenticator
    recovery_codes: list[str]


@transaction.atomic
def totp_enrol_confirm(*, actor: User, token: str, request: HttpRequest | None = None) -> Enrolment | None:
    """Confirm the pending device with a code from the app; issue fresh recovery codes (shown once). ``None`` when
    the code is wrong (nothing changes). With ``request`` the session counts as verified at once."""
    device = (Authenticator.objects.select_for_update()
              .filter(user=actor, confirmed=False).order_by("-pk").first())
    if device is None or not device.verify_token(_digits(token)):
        audit_record(actor=actor, action=AuditAction.LOGIN_FAILED, obj=actor,
                     detail={"username": actor.get_username(), "factor": "otp_enrol"})
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    Authenticator.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = _recovery_codes_issue(actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=actor,
                 detail={"purpose": "otp_enrol", "device": "totp", "recovery_codes": len(codes)})
    if request is not None:
        otp_login(request, device)
    return Enrolment(device=device, recovery_codes=codes)


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(int(settings.OTP_STATIC_RECOVERY_CODES))]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def _digits(token: str) -> str:
    return "".join((token or "").split())


# --- The second step of signing in ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OtpCheck:
    ok: bool
    message: str = ""
    recovery_codes_left: int | None = None  # set when a recovery code was used


@transaction.atomic
def otp_verify(*, actor: User, token: str, request: HttpRequest) -> OtpCheck:
    """Check a 6-digit TOTP code or a recovery code (each recovery code works once) and mark the session verified.

    django-otp throttles each device (1, 2, 4, 8 … seconds after successive failures); every failure is audited.
    """
    token = _digits(token).lower()
    if not token or len(token) > 16:
        return _otp_failed(actor, MSG_WRONG)
    # A 6-digit token is a TOTP code; anything else is tried as a recovery code.
    device_model = Authenticator if token.isdigit() and len(token) == 6 else StaticDevice
    device = device_model.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        return _otp_failed(actor, MSG_WRONG)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = info.get("locked_until") if info else None
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        return _otp_failed(actor, MSG_THROTTLED.format(s=seconds), throttled=True)
    if not device.verify_token(token):
        return _otp_failed(actor, MSG_WRONG)
    otp_login(request, device)
    left = StaticToken.objects.filter(device=device).count() if device_model is StaticDevice else None
    detail: dict[str, object] = {"factor": "otp", "device": "totp" if left is None else "recovery_code"}
    if left is not None:
        detail["recovery_codes_left"] = left
    audit_record(actor=actor, action=AuditAction.LOGIN, obj=actor, detail=detail)
    return OtpCheck(True, recovery_codes_left=left)


def _otp_failed(actor: User, message: str, *, throttled: bool = False) -> OtpCheck:
    audit_record(actor=actor, action=AuditAction.LOGIN_FAILED, obj=actor,
                 detail={"username": actor.get_username(), "factor": "otp", "throttled": throttled})
    return OtpCheck(False, message)


# --- Reset by the security administrator ---------------------------------------------------------------------
def otp_reset_candidates(*, actor: User) -> QuerySet[User]:
    """The accounts whose second factor ``actor`` may reset: none unless a security administrator; never their
    own, never an auditor's or an applicant's."""
    if actor.role != Role.SECURITY_ADMIN:
        raise NotFoundOrForbidden()
    return (User.objects.exclude(role__in=_RESET_EXCLUDED_ROLES).exclude(pk=actor.pk)
            .order_by("role", "username"))


@transaction.atomic
def otp_reset(*, actor: User, user: User) -> int:
    """Delete every second-factor device of ``user``: their next sign-in (and any open session, at its next
    request) must enrol again. Returns the number of devices removed. Refused as not found for anyone outside
    ``otp_reset_candidates`` (the rule is self-contained: self and the auditor are excluded here, whatever roles
    the grant rules give)."""
    if not otp_reset_candidates(actor=actor).filter(pk=user.pk).exists():
        raise NotFoundOrForbidden()
    removed = 0
    for model in (Authenticator, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    audit_record(actor=actor, action=AuditAction.DELETE, obj=user,
                 detail={"purpose": "otp_reset", "username": user.get_username(), "devices": removed})
    return removed

