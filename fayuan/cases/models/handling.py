"""Handling and closing: progress entries, files, the closing file and the center's review of it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .case import Case


class FileKind(models.TextChoices):
    ID_DOCUMENT = "id_document", "身份证明"
    MEANS_PROOF = "means_proof", "经济困难证明或承诺"
    GROUP_PROOF = "group_proof", "特定人群证明（低保证、残疾证等）"
    CASE_EVIDENCE = "case_evidence", "案件相关材料"
    AGENCY_PROOF = "agency_proof", "代理关系证明"
    APPLICATION_FORM = "application_form", "申请表"
    PROGRESS_DOCUMENT = "progress_document", "办案文书"
    JUDGMENT = "judgment", "判决书/调解书/裁定书"
    AGREEMENT = "agreement", "委托协议"
    CLOSING_REPORT = "closing_report", "结案报告"
    OTHER = "other", "其他"


class CaseFile(models.Model):
    """An uploaded file, stored outside the web root under MEDIA_ROOT and served only through a scoped view."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField("材料类型", max_length=30, choices=FileKind.choices)
    file = models.FileField(upload_to="case_files/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "案件材料"
        verbose_name_plural = "案件材料"

    def __str__(self) -> str:
        return self.original_name


class ProgressKind(models.TextChoices):
    MEETING = "meeting", "会见/约见受援人"
    FILE_READING = "file_reading", "阅卷"
    EVIDENCE = "evidence", "调查取证"
    HEARING = "hearing", "出庭"
    MEDIATION = "mediation", "调解"
    JUDGMENT = "judgment", "收到判决/裁定/调解书"
    OTHER = "other", "其他"


class ProgressEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="progress")
    kind = models.CharField("类型", max_length=20, choices=ProgressKind.choices)
    occurred_on = models.DateField("日期")
    court = models.CharField("法院/机关", max_length=120, blank=True)
    hearing_at = models.DateTimeField("开庭时间", null=True, blank=True)
    summary = models.TextField("情况")
    file = models.ForeignKey(CaseFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = "办案进展"
        verbose_name_plural = "办案进展"

    def __str__(self) -> str:
        return f"{self.case}:{self.kind}"


class Outcome(models.TextChoices):
    WON = "won", "胜诉/主张得到支持"
    PARTLY = "partly", "部分支持"
    LOST = "lost", "败诉/未获支持"
    MEDIATED = "mediated", "调解/和解结案"
    CRIMINAL_ADOPTED = "criminal_adopted", "辩护意见被采纳"
    CRIMINAL_PARTLY = "criminal_partly", "辩护意见部分采纳"
    CRIMINAL_NOT_ADOPTED = "criminal_not_adopted", "辩护意见未被采纳"
    OTHER = "other", "其他"


class ClosingFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closing_files")
    outcome = models.CharField("办理结果", max_length=30, choices=Outcome.choices)
    money_recovered = models.DecimalField("挽回经济损失（元）", max_digits=12, decimal_places=2,
                                          default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])
    money_saved = models.DecimalField("为受援人节省费用（元）", max_digits=12, decimal_places=2,
                                      default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])
    report = models.TextField("承办情况报告")
    judgment = models.ForeignKey(CaseFile, verbose_name="裁判文书/协议", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_notes = models.TextField("审查意见", blank=True)
    accepted = models.BooleanField(null=True, help_text="空：待审查；否：退回补正")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "结案材料"
        verbose_name_plural = "结案材料"

    def __str__(self) -> str:
        return f"{self.case}:{self.outcome}"
