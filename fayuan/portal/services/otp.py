"""Sign-in with a phone number and a one-time SMS code.

What a visitor learns is the same whether or not a number has an account: every valid number is sent a code (an
account is made on the first correct code), and every failure reads the same. Neither the number nor the code is
stored or logged in clear: both are kept as keyed hashes.

Limits that stop guessing without handing anyone a way to keep an applicant out (docs/signin.md):
- a code takes at most ``PORTAL_OTP_MAX_ATTEMPTS_PER_CODE`` tries; then it is void and a new one must be requested.
  Wrong guesses never lock the number (a lock would let anyone who knows a number keep its owner out);
- codes per number per hour from one address, per number per hour from all addresses (so nobody is flooded with
  texts), per address per hour, and one code per number per minute. The all-address cap does not apply at an
  address from which the number has signed in within ``KNOWN_ADDRESS_DAYS``, so requesting codes for someone's
  number from elsewhere cannot use up their own sign-in.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.core.audit import audit_record
from fayuan.core.crypto import encrypt_text, phone_lookup_hash
from fayuan.core.models import AuditAction
from fayuan.notifications.models import ContactPreference
from fayuan.notifications.services import contact_preference_set
from fayuan.notifications.sms import mask_phone, send_sms

from ..models import OtpChallenge, OtpLock, PortalAccount

log = logging.getLogger(__name__)

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only ("\d" takes every script's digits)
SMS_SIGNATURE = "【镇江法援】"

MSG_SENT = "如果该号码能接收短信，验证码已发送，5 分钟内有效。请查看短信并输入验证码。"
MSG_TOO_MANY = "获取验证码过于频繁，请稍后再试（每个号码每小时最多获取 {n} 次）。"
MSG_CODE_SPENT = "验证码输错次数过多，已失效，请重新获取验证码。"
MSG_TOO_SOON = "验证码已发送，请 1 分钟后再重新获取。"
MSG_IP_LIMIT = "本网络获取验证码过于频繁，请稍后再试，或拨打 12348 咨询。"
MSG_WRONG = "验证码不正确或已失效，请重新输入或重新获取。"
MSG_BAD_PHONE = "请输入 11 位手机号码。"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_per_phone() -> int:
    return _setting("PORTAL_OTP_MAX_PER_PHONE_PER_HOUR", 5)


def max_per_ip() -> int:
    return _setting("PORTAL_OTP_MAX_PER_IP_PER_HOUR", 20)


def ttl() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("PORTAL_OTP_TTL_SECONDS", 300))


def resend_interval() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("PORTAL_OTP_RESEND_SECONDS", 60))


def max_per_phone_all_addresses() -> int:
    return _setting("PORTAL_OTP_MAX_PER_PHONE_ALL_ADDRESSES_PER_HOUR", 10)


def max_attempts_per_code() -> int:
    return _setting("PORTAL_OTP_MAX_ATTEMPTS_PER_CODE", 3)


# A successful sign-in's challenge (hashed number, address, time) is kept this long to recognise the address.
KNOWN_ADDRESS_DAYS = 30


def normalise_phone(raw: str) -> str | None:
    """11-digit mainland mobile number, or None. Accepts spaces, dashes and a +86 prefix; full-width digits become
    ASCII (NFKC) so that one number has one hash, and digits of other scripts are refused."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", raw or ""))
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if _MOBILE.match(digits) else None


def phone_hash(phone: str) -> str:
    # The same keyed hash as every stored phone (people, contact preferences): an account's number finds them.
    return phone_lookup_hash(phone)


def _code_hash(p_hash: str, code: str) -> str:
    return salted_hmac("fayuan.portal.otp", f"{p_hash}:{code}", algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class OtpRequestResult:
    ok: bool
    message: str
    field: str = ""


@dataclass(frozen=True)
class OtpVerifyResult:
    ok: bool
    message: str
    user: User | None = None
    created: bool = False


def _lock_row(p_hash: str) -> OtpLock:
    """The per-phone row, locked: concurrent requests and attempts for one number queue here (a mutex only: a
    number is never locked out)."""
    OtpLock.objects.get_or_create(phone_hash=p_hash)
    return OtpLock.objects.select_for_update().get(phone_hash=p_hash)


def _known_address(p_hash: str, ip: str | None, now: dt.datetime) -> bool:
    if not ip:
        return False
    return OtpChallenge.objects.filter(phone_hash=p_hash, ip=ip, used_at__isnull=False,
                                       used_at__gt=now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)).exists()


def _send_code(phone: str, code: str) -> None:
    """Queue the code (sent after commit). The SMS log keeps the masked number and a redacted text only, and the
    queued text is kept encrypted until it is sent."""
    send_sms(phone, template="otp_code", params={"code": code, "minutes": int(ttl().total_seconds() // 60)},
             log_text=f"{SMS_SIGNATURE}登录验证码（内容不记录）")


@transaction.atomic
def otp_request(*, phone: str, ip: str | None) -> OtpRequestResult:
    """Send a code if the limits allow. The answer never depends on whether the number has an account."""
    normal = normalise_phone(phone)
    if normal is None:
        return OtpRequestResult(False, MSG_BAD_PHONE, field="phone")
    now = timezone.now()
    p_hash = phone_hash(normal)
    _lock_row(p_hash)
    hour_ago = now - dt.timedelta(hours=1)
    recent = OtpChallenge.objects.filter(phone_hash=p_hash, created_at__gt=hour_ago)
    if recent.filter(ip=ip).count() >= max_per_phone():
        return OtpRequestResult(False, MSG_TOO_MANY.format(n=max_per_phone()))
    if recent.count() >= max_per_phone_all_addresses() and not _known_address(p_hash, ip, now):
        return OtpRequestResult(False, MSG_TOO_MANY.format(n=max_per_phone_all_addresses()))
    if recent.filter(created_at__gt=now - resend_interval()).exists():
        return OtpRequestResult(False, MSG_TOO_SOON)
    if ip and OtpChallenge.objects.filter(ip=ip, created_at__gt=hour_ago).count() >= max_per_ip():
        return OtpRequestResult(False, MSG_IP_LIMIT)
    code = f"{secrets.randbelow(1_000_000):06d}"
    # A new code replaces the old ones: only the latest can be used.
    OtpChallenge.objects.filter(phone_hash=p_hash, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    challenge = OtpChallenge.objects.create(phone_hash=p_hash, code_hash=_code_hash(p_hash, code), created_at=now,
                                            expires_at=now + ttl(), ip=ip or None)
    audit_record(actor=None, action=AuditAction.CREATE, obj=challenge, detail={"purpose": "sign_in_code"})
    _send_code(normal, code)
    return OtpRequestResult(True, MSG_SENT)


def _fail(challenge: OtpChallenge | None, now: dt.datetime) -> OtpVerifyResult:
    """A wrong, expired or missing code. A wrong guess uses up one of the code's tries; the last try voids it."""
    spent = False
    if challenge is not None:
        challenge.attempts += 1
        spent = challenge.attempts >= max_attempts_per_code()
        if spent:
            challenge.expires_at = now
        challenge.save(update_fields=["attempts", "expires_at"])
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="portal.otpchallenge",
                 object_id=str(challenge.pk) if challenge is not None else "",
                 detail={"channel": "sms_code", "code_spent": spent})
    return OtpVerifyResult(False, MSG_CODE_SPENT if spent else MSG_WRONG)


def _adopt_or_create_user(phone: str, p_hash: str) -> tuple[PortalAccount, bool]:
    """The applicant account for this number: an existing applicant whose SMS number it is, or a new one."""
    existing = list(
        User.objects.filter(role=Role.APPLICANT, is_active=True, contact_preference__phone_hash=p_hash,
                            portal_account__isnull=True)[:2]
    )
    if len(existing) == 1:
        user, created = existing[0], False
    else:
        user = User.objects.create_user(username=f"m_{secrets.token_hex(6)}", password=None, role=Role.APPLICANT,
                                        display_name=f"网上申请人 {mask_phone(phone)}")
        created = True
        audit_record(actor=None, action=AuditAction.CREATE, obj=user, detail={"source": "portal_sign_in"})
    account = PortalAccount.objects.create(user=user, phone_hash=p_hash, phone_encrypted=encrypt_text(phone))
    if not ContactPreference.objects.filter(user=user, phone_hash=p_hash).exists():
        contact_preference_set(actor=user, user=user, phone=phone, sms_enabled=True)
    return account, created


@transaction.atomic
def otp_verify(*, phone: str, code: str, ip: str | None) -> OtpVerifyResult:
    """Check the latest code for the number. Wrong, expired, used or missing codes all get the same answer."""
    normal = normalise_phone(phone)
    code = re.sub(r"\s", "", code or "")
    if normal is None:
        return OtpVerifyResult(False, MSG_WRONG)
    now = timezone.now()
    p_hash = phone_hash(normal)
    _lock_row(p_hash)
    challenge = (OtpChallenge.objects.select_for_update()
                 .filter(phone_hash=p_hash, used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first())
    if challenge is None:
        return _fail(None, now)
    if not re.fullmatch(r"\d{6}", code) or not constant_time_compare(challenge.code_hash, _code_hash(p_hash, code)):
        return _fail(challenge, now)
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    account = PortalAccount.objects.select_related("user").filter(phone_hash=p_hash).first()
    if account is not None:
        user, created = account.user, False
        if not user.is_active or user.role != Role.APPLICANT:
            return OtpVerifyResult(False, MSG_WRONG)
    else:
        account, created = _adopt_or_create_user(normal, p_hash)
        user = account.user
    account.last_sign_in_at = now
    account.save(update_fields=["last_sign_in_at"])
    return OtpVerifyResult(True, "", user=user, created=created)


@transaction.atomic
def otp_purge(*, before: dt.datetime) -> int:
    """Daily housekeeping: drop codes (and the addresses kept for the limits) older than ``before``; a code that
    signed someone in is kept ``KNOWN_ADDRESS_DAYS`` (hashed number, address, time: what recognises the address)."""
    known_since = timezone.now() - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    deleted, _ = (OtpChallenge.objects.filter(created_at__lt=before)
                  .exclude(used_at__isnull=False, used_at__gt=known_since).delete())
    _purge_idle_mutexes()
    if deleted:
        audit_record(actor=None, action=AuditAction.DELETE, object_type="portal.otpchallenge",
                     detail={"count": deleted, "reason": "expired"})
    return deleted


def _purge_idle_mutexes() -> None:
    live = OtpChallenge.objects.values("phone_hash")
    OtpLock.objects.exclude(phone_hash__in=live).delete()
