"""API credentials for system clients, and the stored first answers of idempotent requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A bearer token for a system client. Only the SHA-256 of the token is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账户", on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField("用途/客户端名称", max_length=80)
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first successful answer to a creating POST, replayed for a retry with the same key and body.

    The row is inserted before the work is done, inside the same transaction: a concurrent duplicate waits on the
    unique constraint and then finds the committed answer, so it can never create a second record.
    """

    key = models.CharField("幂等键", max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    request_hash = models.CharField("请求摘要（SHA-256）", max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "幂等请求记录"
        verbose_name_plural = "幂等请求记录"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
