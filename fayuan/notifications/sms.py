"""Pluggable SMS sending, through the task queue.

``send_sms`` writes the message (``SmsMessage``, with its own id) in the caller's transaction and enqueues its
delivery when that commits; the task (``notifications.tasks.sms_deliver``) calls ``sms_message_deliver``, which
loads the backend named by ``settings.SMS_BACKEND`` and calls ``send(phone, text, message_id=...)``, recording each
attempt in ``SmsLog`` with the phone masked. Delivery is at least once: a worker killed after the gateway took a
message but before it was marked sent sends it again, with the same ``message_id``, so the gateway (or the
recipient's records) can tell the resend from a new message. Production sends through a gateway's backend
(``notifications.aliyun.AliyunSMSBackend``, or another subclass of ``BaseSMSBackend``); development and tests use
``LoggingSMSBackend``. A gateway that reports delivery has its receipts pulled hourly (``sms_receipts_fetch``).

Callers must keep personal data out of the text: a case reference (case number) and a deadline are fine; a name,
an ID number, an address or the facts of a case are not. As a last line of defence ``send_sms`` refuses any text
that looks like a national ID number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from fayuan.core.background import enqueue_on_commit
from fayuan.core.crypto import decrypt_text, encrypt_text, phone_lookup_hash
from fayuan.core.errors import ValidationFailed

from . import sms_templates
from .models import SmsDelivery, SmsLog, SmsMessage, SmsStatus

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


class SmsGatewayError(Exception):
    """The gateway refused or failed a request. ``reason`` is Chinese and safe to store and log: never the number,
    the text or a credential; ``code`` is the provider's error code."""

    def __init__(self, reason: str, *, code: str = "") -> None:
        super().__init__(f"{reason}（{code}）" if code else reason)
        self.reason, self.code = reason, code


class TransientSmsError(SmsGatewayError):
    """Worth trying again later: a timeout, a lost connection, a 5xx, the provider's flow control."""


class PermanentSmsError(SmsGatewayError):
    """Trying again cannot help (an invalid number, an unapproved template, bad credentials): fail at once."""


@dataclass(frozen=True)
class DeliveryReport:
    """A delivery receipt: ``status`` is one of ``SmsDelivery``'s values; ``at`` the receipt time (if final)."""

    status: str
    at: dt.datetime | None = None
    error: str = ""


class BaseSMSBackend:
    """Send one text message. Raise on failure (``PermanentSmsError`` when a retry cannot help; anything else is
    retried); ``sms_message_deliver`` records the outcome.

    ``message_id`` is the message's own UUID: pass it to the gateway (as its client message id / dedup key) so a
    resend of the same message after a crash is recognisable, and can be dropped, there. ``template`` and
    ``params`` are the approved template's key and values (``sms_templates``; empty for a free text): a gateway that
    sends templates only uses them, others send ``text``. Return the gateway's id for the message, if it gives one.
    """

    name = "base"
    # Whether ``delivery_report`` asks the gateway; messages sent by a backend without receipts are not tracked.
    supports_receipts = False

    def send(self, phone: str, text: str, *, message_id: str, template: str = "",
             params: Mapping[str, str] | None = None) -> str | None:
        raise NotImplementedError

    def delivery_report(self, phone: str, *, provider_id: str, message_id: str, since: dt.datetime,
                        until: dt.datetime) -> DeliveryReport:
        """The receipt of a message sent between ``since`` and ``until`` (found by the gateway's id, or by ours if
        the gateway gave none); ``SmsDelivery.PENDING`` while the operator has not reported."""
        raise NotImplementedError

    def find_sent(self, phone: str, *, message_id: str, since: dt.datetime) -> str | None:
        """Before a retry: whether the gateway already took this message (an attempt that timed out after the gateway
        accepted it, a worker that died before recording it). The gateway's id ("" if it has none to give), or None:
        not taken, or the gateway cannot tell, so the message is sent (again)."""
        return None


@dataclass(frozen=True)
class OutboxMessage:
    phone: str
    text: str
    message_id: str = ""
    template: str = ""
    params: Mapping[str, str] | None = None


class LoggingSMSBackend(BaseSMSBackend):
    """Writes the message to the log (phone masked) and keeps it in ``outbox`` for tests, like Django's mail
    outbox. Nothing leaves the machine."""

    name = "logging"
    outbox: ClassVar[list[OutboxMessage]] = []

    def send(self, phone: str, text: str, *, message_id: str, template: str = "",
             params: Mapping[str, str] | None = None) -> None:
        if getattr(settings, "IS_PRODUCTION", False):
            # In production this backend would write sign-in codes to the log and keep every message in memory:
            # refuse, so the failure is recorded (SmsLog.ok = False) and the missing gateway is noticed.
            raise ImproperlyConfigured("生产环境未配置短信网关（SMS_BACKEND），短信未发送。")
        logger.info("SMS to %s: %s", mask_phone(phone), text)
        LoggingSMSBackend.outbox.append(OutboxMessage(phone=phone, text=text, message_id=message_id,
                                                      template=template, params=params))


def get_backend() -> BaseSMSBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()


def send_sms(phone: str, text: str = "", *, template: str = "", params: Mapping[str, object] | None = None,
             log_text: str | None = None) -> SmsMessage:
    """Queue a text: the message row is written in the caller's transaction (so it commits, or not, with the work
    that caused it) and its delivery is enqueued once that commits. Gateway failures are retried by the task and
    never raised here. ``log_text`` replaces the text wherever it is shown or logged (a sign-in code): such a text is
    kept encrypted only until it is sent.

    Pass either ``template`` (a key of ``sms_templates.TEMPLATES``) and its ``params``, which a production gateway
    needs (Chinese providers send approved templates only) and which render the text, or a free ``text``, which such
    a gateway sends only through a generic template (``sms_templates.CONTENT_KEY``) if one is configured.
    """
    from .tasks import sms_deliver  # the task module imports this one

    values: dict[str, str] = {}
    if template:
        if text:
            raise ValueError("send_sms takes a template or a text, not both")
        text, values = sms_templates.render(template, params or {})
    elif not text:
        raise ValueError("send_sms needs a template or a text")
    if contains_id_number(text):
        # Programming error in the caller: never send, never log the text itself.
        raise ValidationFailed("短信内容不得包含身份证号码。")
    text = text[:MAX_TEXT]
    message = SmsMessage.objects.create(
        phone_encrypted=encrypt_text(phone), phone_hash=phone_lookup_hash(phone), phone_masked=mask_phone(phone),
        body_encrypted=encrypt_text(text), template=template,
        params_encrypted=encrypt_text(json.dumps(values, ensure_ascii=False)) if template else "",
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


def _failure(message: SmsMessage, exc: Exception, backend_path: str, *, permanent: bool) -> None:
    with transaction.atomic():
        SmsLog.objects.create(message=message, phone_masked=message.phone_masked, text=message.log_text,
                              sent_at=timezone.now(), backend=backend_path, ok=False)
        give_up = permanent or message.attempts >= MAX_ATTEMPTS
        message.status = SmsStatus.FAILED if give_up else SmsStatus.QUEUED
        message.last_error = (exc.reason if isinstance(exc, SmsGatewayError) else type(exc).__name__)[:200]
        message.backend = backend_path[:200]
        fields = ["status", "last_error", "backend"]
        if give_up and message.sensitive:
            message.body_encrypted = message.params_encrypted = ""  # a sign-in code is never sent later
            fields += ["body_encrypted", "params_encrypted"]
        message.save(update_fields=fields)


def sms_message_deliver(message_id: uuid.UUID | str) -> str:
    """Send one queued message unless it was already sent; record the attempt. Raises when the gateway failed in a
    way worth retrying, so the task is retried; after ``MAX_ATTEMPTS`` the message is marked failed and not tried
    again. A permanent refusal (``PermanentSmsError``) marks it failed at once, with the reason, and returns."""
    claimed = _claim(message_id)
    if isinstance(claimed, str):
        return claimed
    message = claimed
    backend_path = settings.SMS_BACKEND
    try:
        backend = get_backend()
        phone = decrypt_text(message.phone_encrypted)
        # A retry first asks whether an earlier attempt reached the gateway after all: our id went with it (OutId).
        provider_id = (backend.find_sent(phone, message_id=str(message.pk), since=message.created_at)
                       if message.attempts > 1 else None)
        if provider_id is not None:
            logger.info("SMS %s to %s: taken by the gateway at an earlier attempt, not sent again",
                        message.pk, message.phone_masked)
        else:
            params = json.loads(decrypt_text(message.params_encrypted)) if message.params_encrypted else {}
            provider_id = backend.send(phone, decrypt_text(message.body_encrypted), message_id=str(message.pk),
                                       template=message.template, params=params)
    except PermanentSmsError as exc:
        logger.warning("SMS %s to %s refused for good (backend %s): %s", message.pk, message.phone_masked,
                       backend_path, exc)
        _failure(message, exc, backend_path, permanent=True)
        return str(SmsStatus.FAILED)
    except Exception as exc:
        logger.exception("SMS %s to %s failed (backend %s)", message.pk, message.phone_masked, backend_path)
        _failure(message, exc, backend_path, permanent=False)
        raise
    now = timezone.now()
    with transaction.atomic():
        SmsLog.objects.create(message=message, phone_masked=message.phone_masked, text=message.log_text,
                              sent_at=now, backend=backend_path, ok=True)
        message.status, message.sent_at, message.backend, message.last_error = SmsStatus.SENT, now, backend_path, ""
        message.provider_id = (provider_id or "")[:64]
        message.delivery = SmsDelivery.PENDING if backend.supports_receipts else ""
        fields = ["status", "sent_at", "backend", "last_error", "provider_id", "delivery"]
        if message.sensitive:
            message.body_encrypted = message.params_encrypted = ""  # a sign-in code is not kept once it has gone out
            fields += ["body_encrypted", "params_encrypted"]
        message.save(update_fields=fields)
    return "sent"


# A message the operator has not reported on within this time is given up as unknown (Aliyun keeps the details
# for 30 days; operators report within minutes, hours at worst when the phone is off).
RECEIPT_GIVE_UP = dt.timedelta(hours=72)
RECEIPTS_PER_RUN = 500


def sms_receipts_fetch(*, now: dt.datetime | None = None, limit: int = RECEIPTS_PER_RUN) -> dict[str, int]:
    """Ask the gateway for the receipts of sent messages still pending; record delivered / undelivered with the
    receipt time, and give up as unknown what is still pending after ``RECEIPT_GIVE_UP``. Pulled, so the system
    needs no public callback URL. A transient gateway failure ends the run early: the next run goes on."""
    now = now or timezone.now()
    counts = {"delivered": 0, "undelivered": 0, "unknown": 0, "pending": 0, "errors": 0}
    backend_path = settings.SMS_BACKEND
    pending = list(SmsMessage.objects.filter(status=SmsStatus.SENT, delivery=SmsDelivery.PENDING)
                   .order_by(F("delivery_checked_at").asc(nulls_first=True), "sent_at")[:limit])
    if not pending:
        return counts
    backend = get_backend()
    for message in pending:
        report: DeliveryReport | None = None
        if message.backend == backend_path and backend.supports_receipts:
            try:
                report = backend.delivery_report(decrypt_text(message.phone_encrypted),
                                                 provider_id=message.provider_id, message_id=str(message.pk),
                                                 since=message.created_at, until=message.sent_at or now)
            except TransientSmsError as exc:
                logger.warning("SMS receipts: gateway unavailable (%s); the next run goes on", exc)
                counts["errors"] += 1
                break
            except PermanentSmsError as exc:
                logger.warning("SMS receipts: query for %s refused (%s)", message.pk, exc)
                counts["errors"] += 1
        counts[_record_receipt(message.pk, report, now=now)] += 1
    return counts


def _record_receipt(message_id: uuid.UUID, report: DeliveryReport | None, *, now: dt.datetime) -> str:
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().get(pk=message_id)
        if message.delivery != SmsDelivery.PENDING:
            return str(message.delivery)  # another run recorded it meanwhile
        message.delivery_checked_at = now
        fields = ["delivery_checked_at"]
        if report is not None and report.status in (SmsDelivery.DELIVERED, SmsDelivery.UNDELIVERED):
            message.delivery, message.delivered_at = report.status, report.at or now
            message.delivery_error = report.error[:64]
            fields += ["delivery", "delivered_at", "delivery_error"]
        elif message.sent_at is None or message.sent_at < now - RECEIPT_GIVE_UP:
            message.delivery = SmsDelivery.UNKNOWN
            fields.append("delivery")
        message.save(update_fields=fields)
        return "pending" if message.delivery == SmsDelivery.PENDING else str(message.delivery)
