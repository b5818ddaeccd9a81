"""In-app notifications, SMS contact preferences and the SMS log.

Nothing here holds personal data of applicants: notification links are bare paths and SMS texts carry case
references only (see ``sms.send_sms``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from fayuan.core.crypto import ProtectedPhone

mobile_number = RegexValidator(r"^1[3-9]\d{9}$", "请输入 11 位手机号码。")


def validate_path_only(value: str) -> None:
    """A link is a path inside the site: no scheme, host or query string, which could carry personal data."""
    if value and (not value.startswith("/") or value.startswith("//") or "?" in value or "#" in value):
        raise ValidationError("链接只能是站内路径（以 / 开头，不含查询参数）。")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=200, blank=True, validators=[validate_path_only])
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ContactPreference(ProtectedPhone, models.Model):
    """Where a staff account (or an applicant) wants SMS reminders. Accounts have no phone of their own, so it lives
    here, encrypted with a keyed hash for lookup (``ProtectedPhone``); ``services`` validates it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="contact_preference"
    )
    phone_encrypted = models.TextField("手机号码（密文）", blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号码", max_length=24, blank=True, editable=False)
    sms_enabled = models.BooleanField("接收短信提醒", default=True)

    class Meta:
        verbose_name = "通知方式"
        verbose_name_plural = "通知方式"

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def sms_phone(self) -> str:
        """The number to text, or "" when SMS is off or no number is set."""
        return self.phone if self.sms_enabled and self.phone else ""


class SmsStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class SmsDelivery(models.TextChoices):
    """What the operator's network reported after the gateway took the message (delivery receipts, pulled by
    ``notifications.tasks.sms_fetch_receipts``). Blank: not sent yet, or a backend without receipts."""

    PENDING = "pending", "等待回执"
    DELIVERED = "delivered", "已送达"
    UNDELIVERED = "undelivered", "未送达"
    UNKNOWN = "unknown", "状态未知"


class SmsMessage(models.Model):
    """One text to send, written in the caller's transaction before anything is sent (``sms.send_sms``), then
    delivered by a background task. Its id goes to the gateway with the text, so a resend after a crash is
    recognisable as the same message. The number and the text are encrypted at rest; ``log_text`` is what screens
    and logs show (a sign-in code is never in it, and its encrypted text is emptied once sent)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone_encrypted = models.TextField()
    # Keyed hash of the number: a person's data export finds the texts sent to them without decrypting every row.
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号码（已脱敏）", max_length=20)
    body_encrypted = models.TextField(blank=True)
    log_text = models.CharField("内容（记录用）", max_length=500)
    sensitive = models.BooleanField("内容不记录", default=False)
    status = models.CharField("状态", max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_attempt_at = models.DateTimeField("最近发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送成功时间", null=True, blank=True)
    backend = models.CharField("发送通道", max_length=200, blank=True)
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    # The approved template (``sms_templates``) and its parameters, encrypted like the text (a sign-in code is one);
    # a gateway that sends only registered templates gets these, the log and the development backend the text.
    template = models.CharField("短信模板", max_length=64, blank=True)
    params_encrypted = models.TextField(blank=True)
    provider_id = models.CharField("网关流水号", max_length=64, blank=True)  # Aliyun's BizId: receipts are found by it
    delivery = models.CharField("送达状态", max_length=12, choices=SmsDelivery.choices, blank=True)
    delivered_at = models.DateTimeField("回执时间", null=True, blank=True)
    delivery_error = models.CharField("回执错误码", max_length=64, blank=True)
    delivery_checked_at = models.DateTimeField("最近查询回执时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "短信"
        verbose_name_plural = "短信"
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["delivery", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.get_status_display()}"


class SmsLog(models.Model):
    """One row per SMS attempt. The phone is stored masked; the text never holds an ID number (``send_sms``)."""

    message = models.ForeignKey(SmsMessage, verbose_name="短信", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="log")
    phone_masked = models.CharField("手机号码（已脱敏）", max_length=20)
    text = models.CharField("内容", max_length=500)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    backend = models.CharField("发送通道", max_length=200)
    ok = models.BooleanField("成功")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "短信记录"
        verbose_name_plural = "短信记录"

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.sent_at:%Y-%m-%d %H:%M}"
