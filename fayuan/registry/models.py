"""The recipient registry (受援对象信息库, plan points 5-6): city-wide reference data about people that other agencies
send as files (civil affairs, the disabled persons' federation, HR and unions, rural revitalization, veterans).

A record is NOT a ``people.Person``: an imported person must not block intake at any center. Records are keyed by
the keyed hash of the ID number (``core.crypto.lookup_hash``) per source and category, with the ciphertext and the
masked number beside it. Each import is a full snapshot of its source: rows add or update records, records missing
from the file expire; the state a change replaced is kept as a ``RegistryRecordVersion``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class RegistrySource(models.Model):
    """One agency's file: its own column headers (``column_map``: our field → their header), how its category column
    maps to the eligibility engine's group codes, and the date formats it writes."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("数据名称", max_length=80)
    agency = models.CharField("提供部门", max_length=80)
    # our field name -> the agency's header. Fields: id_number, name, category, household_key, place_code, address,
    # valid_from, valid_to. A mapped header must be present in the file.
    column_map = models.JSONField("列对应关系", default=dict)
    # the agency's value in the category column -> group code; empty when the source has one category only
    category_map = models.JSONField("类别对应关系", default=dict, blank=True)
    default_category = models.CharField("固定类别", max_length=40, blank=True)
    date_formats = models.JSONField("日期格式", default=list)
    # The disabled persons' certificate number (残疾证号) is the ID number followed by two digits.
    id_in_certificate = models.BooleanField("证号前18位为身份证号", default=False)
    sample_layout = models.BooleanField("示例格式（待部门确认）", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "信息库数据来源"
        verbose_name_plural = "信息库数据来源"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.agency}·{self.name}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "等待导入"
    RUNNING = "running", "导入中"
    SUCCEEDED = "succeeded", "已完成"
    REJECTED = "rejected", "文件被拒绝（未作任何更改）"
    CANCELLED = "cancelled", "已取消"
    FAILED = "failed", "出错"


class RegistryBatch(models.Model):
    """One imported file of one source: counts, the file's digest, and why it was rejected when it was."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(RegistrySource, verbose_name="数据来源", on_delete=models.PROTECT,
                               related_name="batches")
    file = models.FileField("文件", upload_to="registry/%Y/%m/", max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.BigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    message = models.CharField("说明", max_length=300, blank=True)
    progress_id = models.UUIDField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    effective_on = models.DateField("导入日期", null=True, blank=True)
    rows_total = models.PositiveIntegerField("数据行", default=0)
    rows_invalid = models.PositiveIntegerField("错误行", default=0)
    added = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    expired = models.PositiveIntegerField("失效", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)

    class Meta:
        verbose_name = "信息库导入批次"
        verbose_name_plural = "信息库导入批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source.name} {self.original_name}"


class RegistryRowError(models.Model):
    """One bad row of a batch (its number in the file, counting the header as row 1), for the error report."""

    batch = models.ForeignKey(RegistryBatch, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField("行号")
    column = models.CharField("列", max_length=60)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "导入错误行"
        verbose_name_plural = "导入错误行"
        ordering = ["row", "pk"]


class RegistryRecord(models.Model):
    """What one source says about one person in one category, as of its latest file. Outreach and contact cards
    read these fields by name."""

    SENSITIVE_FIELDS = ("id_number_encrypted", "id_hash")

    source = models.ForeignKey(RegistrySource, verbose_name="数据来源", on_delete=models.PROTECT,
                               related_name="records")
    id_hash = models.CharField(max_length=64, editable=False)
    id_number_encrypted = models.TextField("身份证号（密文）", editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, editable=False)
    category = models.CharField("类别", max_length=40)  # an eligibility engine group code
    name = models.CharField("姓名", max_length=60)
    household_key = models.CharField("家庭/户编号", max_length=60, blank=True)
    place_code = models.CharField("村（社区）区划代码", max_length=12, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)  # null: open
    # False once a later file of the source no longer listed the person (valid_to was then set).
    present = models.BooleanField("在最新数据中", default=True)
    content_hash = models.CharField(max_length=32, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_batch = models.ForeignKey(RegistryBatch, on_delete=models.PROTECT, related_name="+")
    changed_batch = models.ForeignKey(RegistryBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "受援对象信息"
        verbose_name_plural = "受援对象信息"
        constraints = [models.UniqueConstraint(fields=["source", "id_hash", "category"],
                                               name="registry_record_one_per_source_person_category")]
        indexes = [models.Index(fields=["id_hash"], name="registry_record_id_hash"),
                   models.Index(fields=["household_key"], name="registry_record_household")]

    def __str__(self) -> str:
        return f"{self.name}（{self.category}）"


class ChangeKind(models.TextChoices):
    UPDATED = "updated", "更新"
    EXPIRED = "expired", "失效（新文件中已无此人）"


class RegistryRecordVersion(models.Model):
    """The state of a record that a batch replaced (updated) or ended (expired): with the record's current row,
    the full history of what each batch changed."""

    record = models.ForeignKey(RegistryRecord, on_delete=models.CASCADE, related_name="versions")
    batch = models.ForeignKey(RegistryBatch, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField("变化", max_length=20, choices=ChangeKind.choices)
    version = models.PositiveIntegerField("被替换的版本")
    name = models.CharField("姓名", max_length=60)
    household_key = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=12, blank=True)
    address = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "受援对象信息历史"
        verbose_name_plural = "受援对象信息历史"
        ordering = ["record", "version"]

