"""Pluggable SMS sending, through the task queue.

``send_sms`` writes the message (``SmsMessage``, with its own id) in the caller's transaction and enqueues its
delivery when that commits; the task (``notifications.tasks.sms_deliver``) calls ``sms_message_deliver``, which
loads the backend named by ``settings.SMS_BACKEND`` and calls ``send(phone, text, message_id=...)``, recording each
attempt in ``SmsLog`` with the phone masked. Delivery is at least once: a worker killed after the gateway took a
message but before it was marked sent sends it again, with the same ``message_id``, so the gateway (or the
recipient's records) can tell the resend from a new message. Production plugs in the operator's gateway by
subclassing ``BaseSMSBackend``; development and tests use ``LoggingSMSBackend``.

Callers must keep personal data out of the text: a case reference (case number) and a deadline are fine; a name,
an ID number, an address or the facts of a case are not. As a last line of defence ``send_sms`` refuses any text
that looks like a national ID number.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fayuan.core.background import enqueue_on_commit
from fayuan.core.crypto import decrypt_text, encrypt_text, phone_lookup_hash
from fayuan.core.errors import ValidationFailed

from .models import SmsLog, SmsMessage, SmsStatus

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


# Attempts per message, counting the first; the task retries with backoff in between (30 s, 1, 2, 4 min).
MAX_ATTEMPTS = 5


class BaseSMSBackend:
    """Send one text message. Raise on failure; ``sms_message_deliver`` records the outcome.

    ``message_id`` is the message's own UUID: pass it to the gateway (as its client message id / dedup key) so a
    resend of the same message after a crash is recognisable, and can be dropped, there.
    """

    name = "base"

    def send(self, phone: str, text: str, *, message_id: str) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class OutboxMessage:
    phone: str
    text: str
    message_id: str = ""


class LoggingSMSBackend(BaseSMSBackend):
    """Writes the message to the log (phone masked) and keeps it in ``outbox`` for tests, like Django's mail
    outbox. Nothing leaves the machine."""

    name = "logging"
    outbox: ClassVar[list[OutboxMessage]] = []

    def send(self, phone: str, text: str, *, message_id: str) -> None:
        if getattr(settings, "IS_PRODUCTION", False):
            # In production this backend would write sign-in codes to the log and keep every message in memory:
            # refuse, so the failure is recorded (SmsLog.ok = False) and the missing gateway is noticed.
            raise ImproperlyConfigured("生产环境未配置短信网关（SMS_BACKEND），短信未发送。")
        logger.info("SMS to %s: %s", mask_phone(phone), text)
        LoggingSMSBackend.outbox.append(OutboxMessage(phone=phone, text=text, message_id=message_id))


def get_backend() -> BaseSMSBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()


def send_sms(phone: str, text: str, *, log_text: str | None = None) -> SmsMessage:
    """Queue a text: the message row is written in the caller's transaction (so it commits, or not, with the work
    that caused it) and its delivery is enqueued once that commits. Gateway failures are retried by the task and
    never raised here. ``log_text`` replaces the text wherever it is shown or logged (a sign-in code): such a text is
    kept encrypted only until it is sent.
    """
    from .tasks import sms_deliver  # the task module imports this one

    if contains_id_number(text):
        # Programming error in the caller: never send, never log the text itself.
        raise ValidationFailed("短信内容不得包含身份证号码。")
    text = text[:MAX_TEXT]
    message = SmsMessage.objects.create(
        phone_encrypted=encrypt_text(phone), phone_hash=phone_lookup_hash(phone), phone_masked=mask_phone(phone),
        body_encrypted=encrypt_text(text),
        log_text=(text if log_text is None else log_text)[:MAX_TEXT], sensitive=log_text is not None,
    )
    enqueue_on_commit(sms_deliver, str(message.pk))
    return message


def in_flight_window() -> dt.timedelta:
    # Shorter than the time a crashed worker's task takes to be recovered (at least three quarters of a lease), so
    # the recovered task is never mistaken for a send still in flight.
    return dt.timedelta(seconds=settings.TASKS_WORKER_LEASE_SECONDS / 2)


def _claim(message_id: uuid.UUID | str) -> SmsMessage | str:
    """Mark one attempt under the row lock, in a short transaction (the gateway call happens outside it)."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        now = timezone.now()
        if message.status in (SmsStatus.SENT, SmsStatus.FAILED):
            return str(message.status)  # already sent (or given up): nothing to do, whatever ran this task again
        if (message.status == SmsStatus.SENDING and message.last_attempt_at is not None
                and message.last_attempt_at > now - in_flight_window()):
            return "in_flight"  # another task is sending it right now (a duplicate from the stranded sweep)
        message.status, message.attempts, message.last_attempt_at = SmsStatus.SENDING, message.attempts + 1, now
        message.save(update_fields=["status", "attempts", "last_attempt_at"])
        return message


def sms_message_deliver(message_id: uuid.UUID | str) -> str:
    """Send one queued message unless it was already sent; record the attempt. Raises when the gateway failed, so
    the task is retried; after ``MAX_ATTEMPTS`` the message is marked failed and not tried again."""
    claimed = _claim(message_id)
    if isinstance(claimed, str):
        return claimed
    message = claimed
    backend_path = settings.SMS_BACKEND
    try:
        get_backend().send(decrypt_text(message.phone_encrypted), decrypt_text(message.body_encrypted),
                           message_id=str(message.pk))
    except Exception as exc:
        logger.exception("SMS %s to %s failed (backend %s)", message.pk, message.phone_masked, backend_path)
        with transaction.atomic():
            SmsLog.objects.create(message=message, phone_masked=message.phone_masked, text=message.log_text,
                                  sent_at=timezone.now(), backend=backend_path, ok=False)
            message.status = SmsStatus.FAILED if message.attempts >= MAX_ATTEMPTS else SmsStatus.QUEUED
            message.last_error = f"{type(exc).__name__}"[:200]
            message.backend = backend_path[:200]
            message.save(update_fields=["status", "last_error", "backend"])
        raise
    now = timezone.now()
    with transaction.atomic():
        SmsLog.objects.create(message=message, phone_masked=message.phone_masked, text=message.log_text,
                              sent_at=now, backend=backend_path, ok=True)
        message.status, message.sent_at, message.backend, message.last_error = SmsStatus.SENT, now, backend_path, ""
        fields = ["status", "sent_at", "backend", "last_error"]
        if message.sensitive:
            message.body_encrypted = ""  # a sign-in code is not kept once it has gone out
            fields.append("body_encrypted")
        message.save(update_fields=fields)
    return "sent"
