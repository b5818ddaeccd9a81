"""Official documents and their numbers: 镇法援〔2026〕第123号 per center and year, no gaps, no duplicates."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .case import Case


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "法律援助申请表"
    RECEIPT = "receipt", "材料接收凭证"
    SUPPLEMENT_NOTICE = "supplement_notice", "补充材料通知书"
    GRANT_DECISION = "grant_decision", "给予法律援助决定书"
    REFUSAL_DECISION = "refusal_decision", "不予法律援助决定书"
    ASSIGNMENT_NOTICE = "assignment_notice", "指派通知书"
    ORGAN_LETTER = "organ_letter", "致办案机关函"
    TERMINATION_DECISION = "termination_decision", "终止法律援助决定书"


class DocumentCounter(models.Model):
    """The last number issued for a center and year; locked (SELECT … FOR UPDATE) while a number is taken."""

    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20, default="doc")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "文书编号计数器"
        constraints = [models.UniqueConstraint(fields=["center", "year", "series"], name="uniq_counter")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.year}/{self.series}: {self.last_number}"


class Document(models.Model):
    # The PDF is rendered from the stored data on first use and rendered again if its file is missing
    # (``cases.documents.render.document_file``): ``verify_uploads`` reports such a file as rebuilt, not lost.
    FILE_REBUILT_WHEN_MISSING = True

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书", max_length=30, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=40, blank=True)
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "法律文书"
        verbose_name_plural = "法律文书"
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="uniq_document_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
