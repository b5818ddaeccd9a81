"""Decisions on an application, objections to them, and terminations (law arts. 43, 44, 48, 49)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .case import Case


class DecisionKind(models.TextChoices):
    GRANT = "grant", "给予法律援助"
    REFUSE = "refuse", "不予法律援助"
    AID_FIRST = "aid_first", "先行提供法律援助"


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("决定", max_length=20, choices=DecisionKind.choices)
    reasons = models.TextField("理由")
    eligibility = models.JSONField("审查依据", default=dict)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间")
    document_number = models.CharField("文书编号", max_length=40, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "审查决定"
        verbose_name_plural = "审查决定"

    def __str__(self) -> str:
        return f"{self.case}:{self.kind}"


class TerminationReason(models.TextChoices):
    FRAUD = "fraud", "以欺骗或者其他不正当手段获得法律援助（第四十八条第一项）"
    CONCEALMENT = "concealment", "故意隐瞒重要事实或者提供虚假证据（第四十八条第二项）"
    ILLEGAL_USE = "illegal_use", "利用法律援助从事违法活动（第四十八条第三项）"
    MEANS_CHANGED = "means_changed", "经济状况发生变化，不再符合法律援助条件（第四十八条第四项）"
    PROCEEDINGS_ENDED = "proceedings_ended", "案件终止审理或者已经被撤销（第四十八条第五项）"
    OWN_LAWYER = "own_lawyer", "受援人自行委托律师或者其他代理人（第四十八条第六项）"
    RECIPIENT_REQUEST = "recipient_request", "受援人有正当理由要求终止法律援助（第四十八条第七项）"
    OTHER_LAW = "other_law", "法律法规规定的其他情形（第四十八条第八项）"


class Termination(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="terminations")
    reason = models.CharField("终止理由", max_length=30, choices=TerminationReason.choices)
    provider_report = models.TextField("承办人员报告", blank=True)
    explanation = models.TextField("说明")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    resumed_status = models.CharField(max_length=30, blank=True, help_text="异议成立时恢复的状态")

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = "终止决定"
        verbose_name_plural = "终止决定"

    def __str__(self) -> str:
        return f"{self.case}:{self.reason}"


class ObjectionAgainst(models.TextChoices):
    REFUSAL = "refusal", "不予法律援助决定"
    TERMINATION = "termination", "终止法律援助决定"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待审查"
    UPHELD = "upheld", "维持原决定"
    OVERTURNED = "overturned", "责令改正（异议成立）"


class Objection(models.Model):
    """An objection to a refusal or termination, decided by the justice bureau within 5 days (art. 49)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="objections")
    against = models.CharField("异议对象", max_length=20, choices=ObjectionAgainst.choices)
    grounds = models.TextField("异议理由")
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    outcome = models.CharField("审查结果", max_length=20, choices=ObjectionOutcome.choices,
                               default=ObjectionOutcome.PENDING)
    decision_reasons = models.TextField("审查意见", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # The justice bureau that set up the center (art. 49 para. 1): the district bureau, or the city bureau.
    bureau_district = models.ForeignKey("org.District", verbose_name="受理异议的司法行政部门（区）", null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    bureau_name = models.CharField("受理异议的司法行政部门", max_length=60, blank=True)
    remedies = models.TextField("救济途径", blank=True, help_text="维持原决定后告知的救济途径（第四十九条第三款）")

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = "异议"
        verbose_name_plural = "异议"
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(outcome="pending"),
                                    name="one_pending_objection_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case}:{self.against}"


class SupplementRequest(models.Model):
    """The one request for missing materials (art. 43: 一次性告知), listing everything at once."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="supplement_request")
    items = models.JSONField("需补充的材料")
    note = models.TextField("说明", blank=True)
    requested_at = models.DateTimeField()
    due_on = models.DateField("补充期限")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "intake_supplementrequest"  # the table keeps the name it was created with
        verbose_name = "补充材料通知"
        verbose_name_plural = "补充材料通知"

    def __str__(self) -> str:
        return f"{self.case_id}: {len(self.items)} 项"
