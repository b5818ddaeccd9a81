from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    """One periodic job for one period (a day, or an hour), enqueued once. The unique row is what makes the
    scheduler idempotent: a second scheduler, or a restarted one, finds the row and enqueues nothing."""

    job = models.CharField("任务", max_length=60)
    period = models.CharField("周期", max_length=20)  # 2026-11-29, or 2026-11-29T08 for hourly jobs
    enqueued_at = models.DateTimeField("入队时间", default=timezone.now)
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-id"]
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="uniq_job_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
