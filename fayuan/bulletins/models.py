"""Quality bulletins (质量通报, issue 12 part 6): a period (a month or a year), a scope (one center, or the city
when ``center`` is empty), the figures, the problems found and the good practice, the named excellent cases.
A draft is edited; an issued bulletin carries its number and the figures frozen at issue, and never changes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    MONTHLY = "monthly", "月度通报"
    ANNUAL = "annual", "年度通报"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class Bulletin(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    period_start = models.DateField("通报期间", help_text="月度：当月第一天；年度：当年1月1日")
    center = models.ForeignKey("org.Center", verbose_name="通报范围（中心）", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", help_text="为空表示全市")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    problems = models.TextField("发现的问题", blank=True)
    good_practice = models.TextField("好的做法", blank=True)
    # Frozen at issue (figures.snapshot / excellent cases), so the document never changes afterwards.
    figures = models.JSONField("通报数据", default=dict, blank=True)
    excellent_cases = models.JSONField("优秀案例", default=list, blank=True)
    number = models.CharField("文号", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)

    class Meta:
        verbose_name = "质量通报"
        verbose_name_plural = "质量通报"
        ordering = ["-period_start", "kind", "center_id", "pk"]
        constraints = [
            # One bulletin per period and scope; the city's (no center) needs its own constraint (NULLs differ).
            models.UniqueConstraint(fields=["kind", "period_start", "center"], condition=Q(center__isnull=False),
                                    name="uniq_bulletin_center_period"),
            models.UniqueConstraint(fields=["kind", "period_start"], condition=Q(center__isnull=True),
                                    name="uniq_bulletin_city_period"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="uniq_bulletin_number"),
            models.CheckConstraint(condition=Q(status="draft") | ~Q(number=""), name="bulletin_issued_has_number"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.scope_label}{self.period_label}{self.get_kind_display()}（草稿）"

    @property
    def scope_label(self) -> str:
        return self.center.name if self.center is not None else "全市"

    @property
    def period_label(self) -> str:
        if self.kind == Kind.ANNUAL:
            return f"{self.period_start.year}年度"
        return f"{self.period_start.year}年{self.period_start.month}月"

    @property
    def title(self) -> str:
        return f"{self.scope_label}法律援助案件质量{'年度' if self.kind == Kind.ANNUAL else '月度'}通报"

    @property
    def issued(self) -> bool:
        return self.status == Status.ISSUED


class BulletinCounter(models.Model):
    """The last number issued for a prefix (镇法援质通, 京法援质通) and year; locked while a number is taken."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "通报编号计数器"
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="uniq_bulletin_counter")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_number}"
