"""An organ's notice to the legal aid center (通知辩护 / 通知代理) and the case it opened."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .grounds import NoticeGround, NoticeKind, NoticeStage


class Notice(models.Model):
    public_id = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    organ = models.ForeignKey("org.Organ", verbose_name="通知机关", on_delete=models.PROTECT, related_name="notices")
    liaison = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办联络人", on_delete=models.PROTECT,
                                related_name="+")
    kind = models.CharField("通知类别", max_length=20, choices=NoticeKind.choices)
    # Registered through the people services; the ID number may be unknown at first (身份待核实): the center
    # completes it on the person's record later.
    person = models.ForeignKey("people.Person", verbose_name="犯罪嫌疑人/被告人/被害人", on_delete=models.PROTECT,
                               related_name="notices")
    stage = models.CharField("诉讼阶段", max_length=30, choices=NoticeStage.choices)
    ground = models.CharField("通知理由", max_length=30, choices=NoticeGround.choices)
    charge = models.CharField("涉嫌罪名", max_length=100)
    custody_place = models.ForeignKey("org.Organ", verbose_name="羁押场所", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    custody_place_text = models.CharField("羁押场所（其他）", max_length=100, blank=True)
    organ_case_number = models.CharField("办案机关案号", max_length=60, blank=True, db_index=True)
    trial_date = models.DateField("开庭日期", null=True, blank=True)
    simplified_procedure = models.BooleanField("适用简易程序或速裁程序", default=False)
    contact = models.CharField("承办人及联系方式", max_length=100, blank=True)
    received_at = models.DateTimeField("收到通知时间")
    case = models.OneToOneField("cases.Case", verbose_name="法律援助案件", on_delete=models.PROTECT,
                                related_name="organ_notice")
    late = models.BooleanField("逾期通知（开庭前不足十五日）", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "办案机关通知"
        verbose_name_plural = "办案机关通知"
        indexes = [models.Index(fields=["organ", "received_at"])]

    def __str__(self) -> str:
        return f"{self.organ} {self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def in_custody(self) -> bool:
        return self.custody_place_id is not None or bool(self.custody_place_text)

    @property
    def custody_label(self) -> str:
        return str(self.custody_place) if self.custody_place_id else self.custody_place_text
