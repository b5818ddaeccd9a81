"""What the retention task has anonymized: one row per case and per person, so the task is idempotent and the
bureau can count what was erased. The rows hold ids and dates only."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Anonymization(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="anonymization")
    person = models.OneToOneField("people.Person", verbose_name="人员", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="anonymization")
    anonymized_at = models.DateTimeField("匿名化时间")
    retention_until = models.DateField("保管期限至", null=True, blank=True)
    files_deleted = models.PositiveIntegerField("删除的文件数", default=0)

    class Meta:
        ordering = ["-anonymized_at", "-id"]
        verbose_name = "匿名化记录"
        verbose_name_plural = "匿名化记录"
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False, person__isnull=True)
                                   | Q(case__isnull=True, person__isnull=False), name="anonymization_one_subject"),
        ]

    def __str__(self) -> str:
        return f"case:{self.case_id}" if self.case_id else f"person:{self.person_id}"
