"""Pluggable SMS sending.

``settings.SMS_BACKEND`` names a class with ``send(phone, text)``; ``send_sms`` loads it, sends, and records the
attempt in ``SmsLog`` with the phone masked. Production plugs in the operator's gateway by subclassing
``BaseSMSBackend``; development and tests use ``LoggingSMSBackend``.

Callers must keep personal data out of the text: a case reference (case number) and a deadline are fine; a name,
an ID number, an address or the facts of a case are not. As a last line of defence ``send_sms`` refuses any text
that looks like a national ID number.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from fayuan.core.errors import ValidationFailed

from .models import SmsLog

logger = logging.getLogger(__name__)

# 18-digit resident ID numbers (GB 11643) and the old 15-digit form, wherever they appear in a text.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")
MAX_TEXT = 500


def mask_phone(phone: str) -> str:
    """138****0001: keep the carrier prefix and the last four digits, nothing else."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 8:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


def contains_id_number(text: str) -> bool:
    return bool(_ID_NUMBER.search(text))


class BaseSMSBackend:
    """Send one text message. Raise on failure; ``send_sms`` records the outcome."""

    name = "base"

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class OutboxMessage:
    phone: str
    text: str


class LoggingSMSBackend(BaseSMSBackend):
    """Writes the message to the log (phone masked) and keeps it in ``outbox`` for tests, like Django's mail
    outbox. Nothing leaves the machine."""

    name = "logging"
    outbox: ClassVar[list[OutboxMessage]] = []

    def send(self, phone: str, text: str) -> None:
        if getattr(settings, "IS_PRODUCTION", False):
            # In production this backend would write sign-in codes to the log and keep every message in memory:
            # refuse, so the failure is recorded (SmsLog.ok = False) and the missing gateway is noticed.
            raise ImproperlyConfigured("生产环境未配置短信网关（SMS_BACKEND），短信未发送。")
        logger.info("SMS to %s: %s", mask_phone(phone), text)
        LoggingSMSBackend.outbox.append(OutboxMessage(phone=phone, text=text))


def get_backend() -> BaseSMSBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()


def send_sms(phone: str, text: str) -> bool:
    """Send through the configured backend and log the attempt. Returns whether the backend accepted it.

    A failure of the gateway is logged and recorded, not raised: a reminder that could not be texted must not undo
    the work that triggered it. Call it after the surrounding transaction commits (``transaction.on_commit``).
    """
    if contains_id_number(text):
        # Programming error in the caller: never send, never log the text itself.
        raise ValidationFailed("短信内容不得包含身份证号码。")
    text = text[:MAX_TEXT]
    backend = get_backend()
    ok = True
    try:
        backend.send(phone, text)
    except Exception:
        ok = False
        logger.exception("SMS to %s failed (backend %s)", mask_phone(phone), settings.SMS_BACKEND)
    SmsLog.objects.create(
        phone_masked=mask_phone(phone), text=text, sent_at=timezone.now(), backend=settings.SMS_BACKEND, ok=ok
    )
    return ok
