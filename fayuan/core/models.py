from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


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


# --- Background tasks -----------------------------------------------------------------------------------------


class TaskOutcome(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class TaskProgress(models.Model):
    """How far a long task has got, for the page that polls it, and whether its owner asked it to stop.

    Written by the task through ``core.progress`` (done/total, stage), read by ``/office/tasks/<id>/``; only the
    owner sees it. A scheduled run has no owner and no page.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    label = models.CharField("任务", max_length=120)
    stage = models.CharField("阶段", max_length=120, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    outcome = models.CharField("状态", max_length=20, choices=TaskOutcome.choices, default=TaskOutcome.PENDING)
    message = models.CharField("结果", max_length=300, blank=True)
    cancel_requested_at = models.DateTimeField("请求取消时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务进度"
        verbose_name_plural = "后台任务进度"
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_outcome_display()})"

    @property
    def is_finished(self) -> bool:
        return self.outcome in {TaskOutcome.SUCCEEDED, TaskOutcome.FAILED, TaskOutcome.CANCELLED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class TaskFailure(models.Model):
    """A task that failed its last allowed attempt (``core.background.retrying``): kept after the queue's own
    result rows are pruned, for the administrator to look into. Arguments are ids, never personal data."""

    task_path = models.CharField("任务", max_length=200)
    arguments = models.JSONField("参数", default=dict)
    attempts = models.PositiveSmallIntegerField("尝试次数")
    error = models.CharField("错误", max_length=300)
    failed_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = "失败的后台任务"
        verbose_name_plural = "失败的后台任务"

    def __str__(self) -> str:
        return f"{self.task_path} {self.failed_at:%Y-%m-%d %H:%M}"


class WorkerLease(models.Model):
    """A running ``db_worker``: renewed every few seconds while it lives. A RUNNING task whose worker's lease has
    lapsed was left behind by a worker that died (SIGKILL, power loss) and is put back in the queue
    (``core.worker.tasks_recover_orphans``); the queue library itself never re-claims such a task."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    renewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "后台进程租约"
        verbose_name_plural = "后台进程租约"

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.hostname}:{self.pid}"


class VerificationTrigger(models.TextChoices):
    SCHEDULED = "scheduled", "每日定时"
    AUDITOR = "auditor", "审计员发起"
    COMMAND = "command", "命令行"


class AuditVerification(models.Model):
    """One run of the chain check and its result; the auditor's page shows the latest (prominently when broken)."""

    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    checked = models.PositiveBigIntegerField("已校验条数")
    ok = models.BooleanField("完整")
    broken_seq = models.PositiveBigIntegerField("断裂位置", null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    trigger = models.CharField("发起方式", max_length=20, choices=VerificationTrigger.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = "审计链校验记录"
        verbose_name_plural = "审计链校验记录"

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} {'完整' if self.ok else '断裂'}"


class RuleStamp(models.Model):
    """One row whose token changes whenever master data or a rule row changes. Each process caches the rule rows
    (wages, matters, grounds, calendars, deadline rules) under the token it read; a new token empties the cache.
    A fresh UUID rather than a counter: a change rolled back must never leave a token another change reuses."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = "规则版本戳"
        verbose_name_plural = "规则版本戳"

    def __str__(self) -> str:
        return str(self.token)
