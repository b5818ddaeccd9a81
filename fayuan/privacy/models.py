"""What the retention task has anonymized: one row per case, per person, per rights notification and per duty help
record, so the task is idempotent and the bureau can count what was erased. The rows hold ids and dates only."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

# The subjects an Anonymization row can stand for; exactly one is set.
SUBJECTS = ("case", "person", "rights_notification", "help_record")


def _exactly_one() -> Q:
    condition = Q()
    for subject in SUBJECTS:
        only = Q(**{f"{subject}__isnull": False})
        for other in SUBJECTS:
            if other != subject:
                only &= Q(**{f"{other}__isnull": True})
        condition |= only
    return condition


class Anonymization(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="anonymization")
    person = models.OneToOneField("people.Person", verbose_name="人员", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="anonymization")
    # Criminal legal aid's own free-text personal data (issue 11): the police's record of telling a suspect of the
    # right to apply, and a duty lawyer's help record.
    rights_notification = models.OneToOneField("custody.RightsNotification", verbose_name="权利告知登记", null=True,
                                               blank=True, on_delete=models.PROTECT, related_name="anonymization")
    help_record = models.OneToOneField("duty.HelpRecord", verbose_name="值班律师法律帮助记录", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="anonymization")
    anonymized_at = models.DateTimeField("匿名化时间")
    retention_until = models.DateField("保管期限至", null=True, blank=True)
    files_deleted = models.PositiveIntegerField("删除的文件数", default=0)

    class Meta:
        ordering = ["-anonymized_at", "-id"]
        verbose_name = "匿名化记录"
        verbose_name_plural = "匿名化记录"
        constraints = [
            models.CheckConstraint(condition=_exactly_one(), name="anonymization_exactly_one_subject"),
        ]

    def __str__(self) -> str:
        for subject in SUBJECTS:
            value = getattr(self, f"{subject}_id")
            if value:
                return f"{subject}:{value}"
        return "anonymization"
