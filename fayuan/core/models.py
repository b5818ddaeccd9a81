from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    READ = "read", "查看"
    REVEAL = "reveal", "查看完整证件号"
    EXPORT = "export", "导出"
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit log.

    ``entry_hash`` = SHA-256 over the canonical form of this entry's fields and ``prev_hash``. Editing or deleting
    any stored entry breaks every later link, which ``manage.py verify_audit`` detects. Database triggers (see the
    migration) refuse UPDATE and DELETE; ``seq`` is unique so two writers can never both extend the same link.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间(UTC)")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField("用户名", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=40, blank=True)
    action = models.CharField("动作", max_length=20, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    # Names of changed fields and other non-sensitive detail; never values of protected fields.
    detail = models.JSONField("详情", default=dict, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """Single row holding the chain's tip. Writers lock it (SELECT ... FOR UPDATE) to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"
