"""Complaints about a legal aid provider (Legal Aid Law arts. 55-56): a recipient, or staff on a caller's behalf,
complains to the justice bureau; the bureau that set up the case's center handles it within the dated deadline,
records the outcome and the measures taken, and the complainant is told the result. Repeated complaints flag the
provider by a dated rule row (``RepeatRule``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fayuan.core.crypto import ProtectedPhone
from fayuan.core.dated import SourcedRule


class Channel(models.TextChoices):
    ONLINE = "online", "网上（受援人本人登录提交）"
    PHONE = "phone", "电话（含12348热线）"
    COUNTER = "counter", "来访"
    LETTER = "letter", "来信"


class ComplainantKind(models.TextChoices):
    RECIPIENT = "recipient", "受援人本人"
    AGENT = "agent", "代理人或近亲属"


class Category(models.TextChoices):
    # Art. 19-21 and 46 name the duties a complaint says were not met (art. 55: 未依法履行职责).
    NOT_DILIGENT = "not_diligent", "未及时、尽职提供服务（第十九条）"
    REFUSED_OR_DELAYED = "refused_or_delayed", "无正当理由拒绝、拖延或者终止服务（第四十六条）"
    TOOK_MONEY = "took_money", "收取受援人财物（第二十条）"
    BREACHED_CONFIDENCE = "breached_confidence", "泄露个人隐私等应保密的信息（第二十一条）"
    CONDUCT = "conduct", "服务态度、职业道德"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "已登记，处理中"
    DECIDED = "decided", "已作出处理，待告知投诉人"
    INFORMED = "informed", "已告知投诉人处理结果"


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "投诉成立"
    PARTLY = "partly", "投诉部分成立"
    UNSUBSTANTIATED = "unsubstantiated", "投诉不成立"


class Measure(models.TextChoices):
    EDUCATION = "education", "批评教育、约谈"
    CORRECTION = "correction", "责令改正"
    CHANGE_PROVIDER = "change_provider", "更换承办人员（在案件中办理）"
    SUBSIDY = "subsidy", "减发或者不发办案补贴"
    BAR_ASSOCIATION = "bar_association", "通报律师协会（第六十条）"
    SUSPEND_ASSIGNMENT = "suspend_assignment", "暂停指派"
    OTHER = "other", "其他措施"


class InformMethod(models.TextChoices):
    IN_APP = "in_app", "站内消息（网上投诉）"
    SMS = "sms", "短信"
    PHONE = "phone", "电话告知"
    LETTER = "letter", "书面告知"
    IN_PERSON = "in_person", "当面告知"


class Complaint(ProtectedPhone, models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="complaints")
    # The case's center, copied for the scope and the deadline (a case never changes center).
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("org.Provider", verbose_name="被投诉人员", on_delete=models.PROTECT,
                                 related_name="complaints")
    channel = models.CharField("投诉方式", max_length=20, choices=Channel.choices)
    complainant_kind = models.CharField("投诉人", max_length=20, choices=ComplainantKind.choices)
    # Personal data: shown to the staff handling it, never to the provider (selectors.provider_view).
    complainant_name = models.CharField("投诉人姓名", max_length=40)
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    complainant_account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="投诉人账户", null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField("投诉事项类别", max_length=30, choices=Category.choices)
    facts = models.TextField("投诉事实与请求")
    change_request = models.ForeignKey("cases.ProviderChangeRequest", verbose_name="同时提出的更换承办人员申请",
                                       null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("收到投诉时间")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # What the handler tells the provider (the points to answer), and the provider's answer (申辩).
    points_for_provider = models.TextField("告知承办人员的投诉要点", blank=True)
    provider_notified_at = models.DateTimeField("告知承办人员时间", null=True, blank=True)
    provider_response = models.TextField("承办人员的说明", blank=True)
    provider_responded_at = models.DateTimeField("说明时间", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, blank=True)
    findings = models.TextField("调查情况与处理意见", blank=True)
    measures = models.JSONField("采取的措施", default=list, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    informed_at = models.DateTimeField("告知投诉人时间", null=True, blank=True)
    inform_method = models.CharField("告知方式", max_length=20, choices=InformMethod.choices, blank=True)
    informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="告知人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        indexes = [models.Index(fields=["provider", "received_at"]), models.Index(fields=["center", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="received", outcome="", decided_at__isnull=True)
                           | Q(status__in=["decided", "informed"], decided_at__isnull=False) & ~Q(outcome="")),
                name="complaint_outcome_when_decided"),
            models.CheckConstraint(condition=~Q(status="informed") | Q(informed_at__isnull=False),
                                   name="complaint_informed_at"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The complaint's short number for lists, reminders and SMS: never a name."""
        return f"投诉第{self.pk}号"

    @property
    def measure_labels(self) -> list[str]:
        return [Measure(m).label for m in self.measures if m in Measure.values]

    @property
    def counts_for_flag(self) -> bool:
        return self.status == Status.RECEIVED or self.outcome in (Outcome.SUBSTANTIATED, Outcome.PARTLY)


class RepeatRule(SourcedRule):
    """When complaints about one provider are "repeated": at least ``threshold`` complaints received within the
    last ``window_months`` months that are still being handled or were found (partly) substantiated. The row in
    force on the day of looking applies. The flag is information for the staff who assign, never a bar."""

    threshold = models.PositiveSmallIntegerField("投诉件数", validators=[MinValueValidator(2),
                                                                       MaxValueValidator(50)])
    window_months = models.PositiveSmallIntegerField("统计期间（月）", validators=[MinValueValidator(1),
                                                                             MaxValueValidator(60)])

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "重复投诉提示规则"
        verbose_name_plural = "重复投诉提示规则"
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="uniq_complaint_repeat_rule_from"),
            models.CheckConstraint(condition=Q(threshold__gte=2), name="complaint_repeat_threshold_min"),
            models.CheckConstraint(condition=Q(window_months__gte=1), name="complaint_repeat_window_min"),
        ]

    def __str__(self) -> str:
        return f"{self.window_months}个月内{self.threshold}件（{self.effective_from} 起）"

    @property
    def explanation(self) -> str:
        return (f"{self.window_months}个月内收到{self.threshold}件以上尚在处理或经查成立（含部分成立）的投诉，"
                f"依据：{self.basis_label}")
