"""Base for rules kept as data: each row is in force from ``effective_from`` up to (excluding) ``effective_to``,
and names the legal basis it rests on. Rule code reads the row in force on the event's date."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class DatedQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> DatedQuerySet:
        return self.filter(Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gt=day))


class DatedRule(models.Model):
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="不含当日；留空表示现行有效")
    legal_basis = models.CharField("依据", max_length=300)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class BasisStatus(models.TextChoices):
    CONFIRMED = "confirmed", "已核对原文"
    PENDING = "pending", "待确认（原文未收入本系统）"


class SourcedRule(DatedRule):
    """A dated rule that also quotes the words it rests on.

    ``basis_text`` holds only words copied from a statute text the system holds (one quotation per line, each
    opened by its citation: ``《法律援助法》第四十二条：……``). Where the text a row rests on is not held (the
    Jiangsu regulation, the Ministry of Justice's procedure rules), nothing is quoted and the row is marked
    ``pending`` so the bureau completes the article in the admin; screens and explanations say so.
    """

    basis_text = models.TextField(
        "条文原文", blank=True,
        help_text="逐字摘录所依据的条文，每行一条，以“《法规名称》第×条：”开头；省略处用“……”。"
                  "未收入本系统的法规不得凭记忆摘录，请留空并标为待确认。",
    )
    basis_status = models.CharField(
        "依据状态", max_length=20, choices=BasisStatus.choices, default=BasisStatus.PENDING,
        help_text="“已核对原文”仅用于条文原文已逐字核对的规则；依据的法规原文未收入本系统的，保持“待确认”。",
    )

    class Meta:
        abstract = True

    @property
    def basis_pending(self) -> bool:
        return self.basis_status == BasisStatus.PENDING

    @property
    def basis_label(self) -> str:
        """The citation as screens show it, with the pending mark when the text is not confirmed (once: a basis
        written as "…依据待补" already says so)."""
        marked = self.basis_pending and PENDING_WORD not in self.legal_basis
        return f"{self.legal_basis}{PENDING_MARK if marked else ''}"


PENDING_MARK = "（依据待确认：原文未收入本系统，请市局核对补全）"
PENDING_WORD = "依据待补"  # how a row's own text says its basis is pending
