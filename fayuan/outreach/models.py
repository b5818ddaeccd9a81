"""Outreach to households in difficulty and their contact cards (plan points 5 and 6).

A ``Household`` lives in a place (village or community); it comes from the recipient registry (source code +
the agency's household number, unique together) or is registered by hand by a clerk who found it on a visit.
Visits are planned (``VisitPlan``) and recorded (``Visit``) with the legal needs found (``VisitNeed``, topics as
data: ``NeedTopic``); a need may open an early-intervention task (``Intervention``, 主动介入) followed until
closed. Contact cards are issued in batches per place (``CardBatch`` + ``CardIssue``), the card's text frozen at
issue so a reprint prints what was handed out. The household's file (精准扶贫法律档案) is these rows read together.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from fayuan.eligibility.engine import GROUP_NAMES

from .masking import mask_name


class NeedTopic(models.Model):
    """A kind of legal need found on a visit (赡养、婚姻家庭、继承、土地流转……): a catalogue row, not code."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "法律需求类别"
        verbose_name_plural = "法律需求类别"

    def __str__(self) -> str:
        return self.name


class HouseholdOrigin(models.TextChoices):
    REGISTRY = "registry", "信息库导入"
    MANUAL = "manual", "走访登记"


class Household(models.Model):
    place = models.ForeignKey("places.Place", verbose_name="村（社区）", on_delete=models.PROTECT,
                              related_name="households")
    address = models.CharField("住址", max_length=200, blank=True)
    head_name = models.CharField("户主姓名", max_length=60)
    origin = models.CharField("来源", max_length=20, choices=HouseholdOrigin.choices)
    # The registry link: the source's code and the agency's household number. Empty for a household found on a visit.
    registry_source = models.CharField("信息库来源", max_length=40, blank=True)
    registry_key = models.CharField("部门户编号", max_length=60, blank=True)
    synced_on = models.DateField("最近同步日期", null=True, blank=True)
    active = models.BooleanField("在册", default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["place", "pk"]
        verbose_name = "困难家庭"
        verbose_name_plural = "困难家庭"
        constraints = [
            models.UniqueConstraint(fields=["registry_source", "registry_key"], condition=~Q(registry_key=""),
                                    name="outreach_household_one_per_registry_key"),
            models.CheckConstraint(condition=Q(origin="manual") | ~Q(registry_key=""),
                                   name="outreach_registry_household_has_key"),
        ]

    def __str__(self) -> str:
        return f"{self.place}·{self.head_masked}户"

    @property
    def head_masked(self) -> str:
        return mask_name(self.head_name)


class HouseholdMember(models.Model):
    SENSITIVE_FIELDS = ("id_number_encrypted", "id_hash")

    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=60)
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    category = models.CharField("困难群体类别", max_length=40, blank=True)  # an eligibility group code
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_encrypted = models.TextField("身份证号（密文）", blank=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        constraints = [models.UniqueConstraint(fields=["household", "id_hash"], condition=~Q(id_hash=""),
                                               name="outreach_member_once_per_household")]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def category_name(self) -> str:
        """The group's name for screens (低保对象), not its code."""
        return GROUP_NAMES.get(self.category, self.category)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class VisitPlan(models.Model):
    """Who visits which households in a period, for a center or one of its stations."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("org.Station", verbose_name="工作站", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("org.District", verbose_name="行政区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=100)
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    households = models.ManyToManyField(Household, verbose_name="走访家庭", related_name="plans")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="走访人员", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="outreach_plan_period_ordered")]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(VisitPlan, verbose_name="走访计划", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="visits")
    visited_on = models.DateField("走访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT,
                                related_name="+")
    people_met = models.CharField("见到的人", max_length=200)
    notes = models.TextField("走访情况", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"

    def __str__(self) -> str:
        return f"{self.visited_on} {self.household}"


class VisitNeed(models.Model):
    visit = models.ForeignKey(Visit, verbose_name="走访", on_delete=models.CASCADE, related_name="needs")
    topic = models.ForeignKey(NeedTopic, verbose_name="需求类别", on_delete=models.PROTECT, related_name="+")
    description = models.CharField("需求说明", max_length=300, blank=True)

    class Meta:
        ordering = ["visit", "topic__sort_order"]
        verbose_name = "法律需求"
        verbose_name_plural = "法律需求"
        constraints = [models.UniqueConstraint(fields=["visit", "topic"], name="outreach_need_topic_once_per_visit")]

    def __str__(self) -> str:
        return self.topic.name


class InterventionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    IN_PROGRESS = "in_progress", "处理中"
    CLOSED = "closed", "已办结"


class InterventionOutcome(models.TextChoices):
    CONSULTATION = "consultation", "已提供法律咨询"
    APPLICATION = "application", "已帮助申请法律援助"
    REFERRED = "referred", "已转介其他部门"
    EDUCATION = "education", "已开展法治宣传"
    NOT_NEEDED = "not_needed", "经核实无需介入"


class Intervention(models.Model):
    """An early-intervention task (法律援助早期介入, plan point 6): from a need found on a visit, assigned to a
    member of staff with a due date, followed until closed with an outcome."""

    need = models.OneToOneField(VisitNeed, verbose_name="法律需求", on_delete=models.PROTECT,
                                related_name="intervention")
    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="interventions")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", on_delete=models.PROTECT,
                                 related_name="+")
    opened_on = models.DateField("立项日期")
    due_on = models.DateField("办结期限")
    status = models.CharField("状态", max_length=20, choices=InterventionStatus.choices,
                              default=InterventionStatus.OPEN)
    started_on = models.DateField("开始处理日期", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=20, choices=InterventionOutcome.choices, blank=True)
    outcome_note = models.TextField("办理情况", blank=True)
    # Not a database constraint: consultations are partitioned by year on PostgreSQL (fayuan.core.partitions), and
    # no foreign key can point at a partitioned table. Django still refuses to delete a linked consultation.
    consultation = models.ForeignKey("intake.Consultation", verbose_name="咨询记录", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", db_constraint=False)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "早期介入任务"
        verbose_name_plural = "早期介入任务"
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opened_on")),
                                   name="outreach_intervention_due_after_opening"),
            models.CheckConstraint(
                condition=(Q(status="closed", closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(closed_on__isnull=True, outcome="")),
                name="outreach_intervention_closed_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.need.topic.name}（{self.household}）"


class CardKind(models.TextChoices):
    HOUSEHOLD = "household", "每户一张"
    PERSON = "person", "每人一张"


class CardBatch(models.Model):
    """Contact cards printed together for one place. The card's text (offices, phones, public address) is frozen
    here at issue, so a reprint gives the cards that were handed out."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey("places.Place", verbose_name="村（社区）", on_delete=models.PROTECT,
                              related_name="card_batches")
    kind = models.CharField("发放方式", max_length=20, choices=CardKind.choices)
    issued_on = models.DateField("发放日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发放人", on_delete=models.PROTECT,
                                  related_name="+")
    center_name = models.CharField("中心", max_length=80)
    center_phone = models.CharField("中心电话", max_length=40, blank=True)
    center_address = models.CharField("中心地址", max_length=200, blank=True)
    station_name = models.CharField("就近工作站", max_length=100, blank=True)
    station_phone = models.CharField("工作站电话", max_length=40, blank=True)
    station_address = models.CharField("工作站地址", max_length=200, blank=True)
    public_url = models.URLField("门户网址", max_length=200)
    prints = models.PositiveIntegerField("打印次数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "联系卡发放批次"
        verbose_name_plural = "联系卡发放批次"

    def __str__(self) -> str:
        return f"{self.place} {self.issued_on}"


class CardIssue(models.Model):
    """One card of a batch: to a household (its head) or to one member."""

    batch = models.ForeignKey(CardBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="cards")
    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="cards")
    member = models.ForeignKey(HouseholdMember, verbose_name="成员", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cards")
    name_masked = models.CharField("持卡人", max_length=60)

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = "联系卡"
        verbose_name_plural = "联系卡"

    def __str__(self) -> str:
        return self.name_masked
