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
    """One entry of the append-only audit log.

    ``seq`` is the database's own identity sequence: appends take no lock and never wait for one another
    (``core.audit``). ``digest`` is SHA-256 over the entry's canonical fields, so an edit that leaves it alone is
    found at once; the sealer (``audit_seal``) then covers committed entries, in ``seq`` order, with a chain of
    keyed seals (``AuditSeal``), so an edit that recomputes the digest, a deleted or an inserted entry is found too.
    Database triggers (see the migrations) refuse UPDATE and DELETE.

    ``prev_hash`` is set only on entries written before the seals (the old hash chain): their digest is the old
    chain hash, which covers ``seq`` and ``prev_hash`` as well.
    """

    seq = models.BigAutoField("序号", primary_key=True)
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
    prev_hash = models.CharField("旧链前一哈希", max_length=64, blank=True, default="")
    digest = models.CharField("摘要", max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"


class AuditSeal(models.Model):
    """One batch of committed entries, sealed: the entries ``first_seq``..``last_seq`` (every id in the range,
    the ones never committed included, so consecutive seals leave no gap), the SHA-256 over their ``seq`` and
    digest in order, and an HMAC-SHA256 with a key kept outside the database (``AUDIT_SEAL_KEY``) over that digest,
    the range and the previous seal's MAC. Whoever can write the tables but lacks the key cannot make a changed
    batch, or a rewritten chain of seals, verify. Append-only like the entries (triggers refuse UPDATE and DELETE).
    """

    first_seq = models.PositiveBigIntegerField("起始序号", unique=True)
    last_seq = models.PositiveBigIntegerField("截止序号", unique=True)
    entries = models.PositiveIntegerField("记录数")
    batch_digest = models.CharField("批次摘要", max_length=64)
    prev_mac = models.CharField("前一封存 MAC", max_length=64, unique=True)
    mac = models.CharField("MAC", max_length=64, unique=True)
    key_id = models.CharField("密钥标识", max_length=16)
    sealed_at = models.DateTimeField("封存时间")

    class Meta:
        ordering = ["id"]
        verbose_name = "审计封存"
        verbose_name_plural = "审计封存"
        constraints = [
            models.CheckConstraint(condition=models.Q(last_seq__gte=models.F("first_seq")),
                                   name="auditseal_range_ordered"),
        ]

    def __str__(self) -> str:
        return f"封存 #{self.pk}: {self.first_seq}–{self.last_seq}"


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
    # How far the seals reached when the check ran: entries after ``sealed_through`` were not yet sealed (the
    # window in which an edit is not provable), and how many seals of the auditor's export file were compared.
    sealed_through = models.PositiveBigIntegerField("已封存至", default=0)
    unsealed = models.PositiveBigIntegerField("未封存条数", default=0)
    exports_checked = models.PositiveIntegerField("比对导出封存数", default=0)
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


class FrozenPartition(models.Model):
    """A closed year of a partitioned table, frozen (``fayuan.core.partitions.partition_freeze``): a trigger refuses
    every write to it, its rows are in the archive file named here (checked by its SHA-256 and row count when loaded
    back), and the nightly dump leaves its rows out (deploy/backup/fayuan-pg-dump.sh reads this table)."""

    table = models.CharField("表", max_length=63)
    partition = models.CharField("分区", max_length=63, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    rows = models.PositiveBigIntegerField("行数")
    columns = models.JSONField("列", default=list)
    file_name = models.CharField("归档文件", max_length=120)
    file_bytes = models.PositiveBigIntegerField("文件大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    frozen_by = models.CharField("操作人", max_length=150, blank=True)
    frozen_at = models.DateTimeField("封存时间")
    # Set by the frozen trigger when retention's anonymization changed rows of the year: the nightly dump takes the
    # rows again until a new archive file is written (``partition_rearchive``), which clears it.
    changed_at = models.DateTimeField("归档后被修改时间", null=True, blank=True)
    rearchived_at = models.DateTimeField("重新归档时间", null=True, blank=True)

    class Meta:
        ordering = ["table", "year"]
        verbose_name = "已封存分区"
        verbose_name_plural = "已封存分区"

    def __str__(self) -> str:
        return f"{self.partition}（{self.rows} 行）"
