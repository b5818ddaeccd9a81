"""Consultations (counted per person-time; the caller may stay anonymous). An application is a ``cases.Case``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ConsultationChannel(models.TextChoices):
    COUNTER = "counter", "窗口来访"
    PHONE = "phone", "12348热线"
    ONLINE = "online", "网上咨询"
    STATION = "station", "工作站"
    LETTER = "letter", "来信"


class Consultation(models.Model):
    """One consultation (counted per person-time). The person may stay anonymous."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField("渠道", max_length=20, choices=ConsultationChannel.choices)
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT,
                               related_name="consultations")
    station = models.ForeignKey("org.Station", verbose_name="工作站", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="consultations")
    person = models.ForeignKey("people.Person", verbose_name="咨询人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="consultations")
    caller_name = models.CharField("称呼（匿名时）", max_length=40, blank=True)
    matter = models.CharField("事项", max_length=40, blank=True)
    question = models.TextField("咨询问题")
    advice = models.TextField("解答意见")
    referred_to_application = models.BooleanField("引导申请法律援助", default=False)
    case = models.ForeignKey("cases.Case", verbose_name="转为申请", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="consultations")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("咨询时间")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "咨询"
        verbose_name_plural = "咨询"
        # The list reads a center's consultations newest first, ties by id: with id in the index the page is the
        # index's first rows; without it every consultation sharing a time was fetched and sorted (incremental sort).
        # A city bureau's list has no center to narrow by: it reads the newest of every center, which without its own
        # index meant sorting every consultation for each page (1.3 s at 800,000 over a country's 3,000 centers).
        indexes = [models.Index(fields=["center", "occurred_at", "id"], name="consultation_center_time"),
                   models.Index(fields=["occurred_at", "id"], name="consultation_time")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"
