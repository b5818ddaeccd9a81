"""Applications from custody forwarded to the legal aid center (Legal Aid Law art. 39; police rules art. 47) and the
police's record that a suspect was told of the right to apply (Legal Aid Law art. 35; police rules art. 43: at the
first interrogation or the first compulsory measure, "告知的情形应当记录在案"; plan point 1)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Forwarding(models.Model):
    """A detained person's application received by an organ (or the duty lawyer at its station) and forwarded to
    the center. The case it became carries the 24-hour clock; ``due_at`` is that clock's end, copied when the
    clock started, so the breach report reads one table."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organ = models.ForeignKey("org.Organ", verbose_name="转交机关", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="forwardings")
    provider = models.ForeignKey("org.Provider", verbose_name="转交的值班律师", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="forwardings")
    center = models.ForeignKey("org.Center", verbose_name="接收中心", on_delete=models.PROTECT,
                               related_name="forwardings")
    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.PROTECT,
                                related_name="custody_forwarding")
    received_at = models.DateTimeField("收到申请时间")
    due_at = models.DateTimeField("应转交时限", null=True, blank=True,
                                  help_text="收到申请后24小时（法律援助法第三十九条）")
    forwarded_at = models.DateTimeField("转交时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "羁押人员申请转交"
        verbose_name_plural = "羁押人员申请转交"
        constraints = [
            # Exactly one forwarding body: an organ, or a duty lawyer.
            models.CheckConstraint(
                condition=(Q(organ__isnull=False) & Q(provider__isnull=True))
                | (Q(organ__isnull=True) & Q(provider__isnull=False)),
                name="forwarding_one_body",
            ),
            models.CheckConstraint(
                condition=Q(forwarded_at__isnull=True) | Q(forwarded_at__gte=models.F("received_at")),
                name="forwarding_after_receipt",
            ),
        ]
        indexes = [models.Index(fields=["center", "received_at"])]

    def __str__(self) -> str:
        return f"转交#{self.pk}"

    @property
    def body_name(self) -> str:
        return self.organ.name if self.organ_id else f"值班律师 {self.provider.name}"  # type: ignore[union-attr]


class NotificationOccasion(models.TextChoices):
    FIRST_INTERROGATION = "first_interrogation", "第一次讯问"
    FIRST_COMPULSORY_MEASURE = "first_compulsory_measure", "首次采取强制措施"


class NotificationMethod(models.TextChoices):
    WRITTEN = "written", "书面告知"
    ORAL_SIGNED = "oral_signed", "口头告知并由本人签名确认"
    ORAL = "oral", "口头告知（未签名确认）"


# What leaves a trace the suspect acknowledged: the coverage report counts these as evidenced.
EVIDENCED_METHODS = (NotificationMethod.WRITTEN, NotificationMethod.ORAL_SIGNED)


class RightsNotification(models.Model):
    """The police told a suspect of the right to apply for legal aid. The ID number is optional; when given it is
    kept as the people app keeps one (ciphertext, keyed hash, masked form), never in clear."""

    SENSITIVE_FIELDS = ("id_number_encrypted", "id_number_hash")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organ = models.ForeignKey("org.Organ", verbose_name="公安机关", on_delete=models.PROTECT,
                              related_name="rights_notifications")
    suspect_name = models.CharField("犯罪嫌疑人姓名", max_length=60)
    id_number_encrypted = models.TextField("身份证号（密文）", blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    organ_case_number = models.CharField("办案机关案号", max_length=60, db_index=True)
    occasion = models.CharField("告知时机", max_length=30, choices=NotificationOccasion.choices)
    method = models.CharField("告知方式", max_length=20, choices=NotificationMethod.choices)
    notified_at = models.DateTimeField("告知时间")
    applied = models.BooleanField("犯罪嫌疑人申请法律援助", default=False)
    # The person record with the same ID number, when one exists (never registered from here: a notification alone
    # is not a reason to file a person); and the later case of that person (a notice or an application), linked
    # when it arrives so both records show each other (issue 11 follow-up).
    person = models.ForeignKey("people.Person", verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="rights_notifications")
    case = models.ForeignKey("cases.Case", verbose_name="其后的法律援助案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="rights_notifications")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-notified_at", "-id"]
        verbose_name = "法律援助权利告知"
        verbose_name_plural = "法律援助权利告知"
        indexes = [models.Index(fields=["organ", "organ_case_number"])]

    def __str__(self) -> str:
        return f"告知#{self.pk}"
