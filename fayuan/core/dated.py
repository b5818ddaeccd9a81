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
