"""The legal aid case, from application to archive, and its event log (the source of KPIs and deadlines)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models

from fayuan.eligibility.models import CaseType


class Status(models.TextChoices):
    AT_STATION = "at_station", "工作站已接收，待转交"
    RECEIVED = "received", "已受理申请"
    SUPPLEMENT_REQUESTED = "supplement_requested", "待补充材料"
    UNDER_REVIEW = "under_review", "审查中"
    AID_FIRST = "aid_first", "先行提供援助"
    GRANTED = "granted", "决定给予援助"
    REFUSED = "refused", "决定不予援助"
    OBJECTION = "objection", "异议审查中"
    ASSIGNED = "assigned", "已指派"
    AGREEMENT_SIGNED = "agreement_signed", "已签订委托协议"
    IN_PROGRESS = "in_progress", "承办中"
    CLOSING_SUBMITTED = "closing_submitted", "已提交结案材料"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    WITHDRAWN = "withdrawn", "已撤回"
    TERMINATED = "terminated", "已终止"


class Channel(models.TextChoices):
    COUNTER = "counter", "中心窗口"
    STATION = "station", "工作站"
    PHONE = "phone", "12348热线"
    ONLINE = "online", "网上申请"
    LETTER = "letter", "信函"
    CUSTODY = "custody", "羁押场所转交"
    ORGAN_NOTICE = "organ_notice", "办案机关通知"


class CriminalStage(models.TextChoices):
    INVESTIGATION = "investigation", "侦查阶段"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉阶段"
    TRIAL = "trial", "审判阶段"
    DEATH_REVIEW = "death_review", "死刑复核"


class AgentRelationship(models.TextChoices):
    LEGAL_GUARDIAN = "legal_guardian", "法定代理人"
    CLOSE_RELATIVE = "close_relative", "近亲属"


class IncomeSource(models.TextChoices):
    SELF_DECLARED = "self_declared", "个人诚信承诺（法律援助法第四十一条）"
    SHARED_DATA = "shared_data", "部门共享数据核查"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("受理编号", max_length=40, unique=True)
    center = models.ForeignKey("org.Center", verbose_name="受理中心", on_delete=models.PROTECT, related_name="cases")
    receiving_station = models.ForeignKey(
        "org.Station", verbose_name="接收工作站", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.RECEIVED, db_index=True)

    applicant = models.ForeignKey("people.Person", verbose_name="申请人", on_delete=models.PROTECT,
                                  related_name="cases")
    agent = models.ForeignKey("people.Person", verbose_name="代理申请人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="cases_as_agent")
    agent_relationship = models.CharField("代理关系", max_length=20, choices=AgentRelationship.choices, blank=True)

    case_type = models.CharField("案件类型", max_length=30, choices=CaseType.choices)
    criminal_stage = models.CharField("诉讼阶段", max_length=30, choices=CriminalStage.choices, blank=True)
    criminal_ground = models.CharField("刑事援助情形", max_length=40, blank=True)
    in_custody = models.BooleanField("在押", default=False)
    matter = models.CharField("援助事项", max_length=40, blank=True)
    matter_summary = models.CharField("案由", max_length=200)
    opposing_party = models.CharField("对方当事人", max_length=200, blank=True)
    opposing_party_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    handling_organ = models.CharField("办案机关/争议处理机关", max_length=120, blank=True)
    # With the handling organ it identifies one criminal case across the legal aid cases of its co-defendants
    # (one lawyer may not defend two of them). Empty when not known; stored normalised (see services).
    organ_case_number = models.CharField("办案机关案号", max_length=60, blank=True, db_index=True)
    facts = models.TextField("案情摘要", blank=True)

    household_size = models.PositiveSmallIntegerField("家庭人口", default=1, validators=[MinValueValidator(1)])
    household_monthly_income = models.DecimalField(
        "家庭月收入（元）", max_digits=10, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    income_source = models.CharField("收入核查方式", max_length=20, choices=IncomeSource.choices,
                                     default=IncomeSource.SELF_DECLARED)
    groups = models.JSONField("所属人群", default=list, blank=True)
    special_facts = models.JSONField("特殊情形", default=list, blank=True)

    green_channel = models.BooleanField("绿色通道", default=False)
    aid_first = models.BooleanField("先行提供", default=False)
    provider = models.ForeignKey("org.Provider", verbose_name="承办人员", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    received_at = models.DateTimeField("收到申请时间")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    retention_until = models.DateField("档案保管期限至", null=True, blank=True)
    # The earliest due date of the case's open deadlines, kept by the deadlines service (``_keep_next_due``): the
    # work queue sorts by it with an index instead of a subquery per case.
    next_due = models.DateField("最近期限", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The statutory deadlines of the case (no column: the deadline names its subject by content type and id). Lets a
    # query of deadlines join their case (``case__center_id``) instead of looking it up row by row: the rollup
    # rebuild at ten million cases (stats/measures.py).
    deadlines = GenericRelation("deadlines.Deadline", content_type_field="subject_type", object_id_field="subject_id",
                                related_query_name="case")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "法律援助案件"
        verbose_name_plural = "法律援助案件"
        indexes = [
            models.Index(fields=["center", "status"]), models.Index(fields=["provider", "status"]),
            # The work queue in its own order (next due first, nulls last: PostgreSQL's default for ascending), so
            # the first page is read off the index and the statuses are filtered on the way, however many cases a
            # center has: sorting the 25,000 to-dos of a center at a million cases took 200 ms.
            models.Index(fields=["center", "next_due", "-green_channel", "received_at", "id"],
                         name="case_queue_center"),
            models.Index(fields=["provider", "next_due", "-green_channel", "received_at", "id"],
                         name="case_queue_provider"),
            # "All cases", newest first, by keyset: a center's, and the city bureau's.
            models.Index(fields=["center", "received_at", "id"], name="case_all_center"),
            models.Index(fields=["received_at", "id"], name="case_all_city"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(household_size__gte=1), name="case_household_positive"),
            models.CheckConstraint(condition=models.Q(household_monthly_income__gte=0), name="case_income_nonneg"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """Append-only history of a case: every transition and every recorded fact, with who and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField("时间", db_index=True)
    note = models.TextField("说明", blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "案件事件"
        verbose_name_plural = "案件事件"
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class EligibilityAssessment(models.Model):
    """The engine's result as the reviewer saw it: kept so the decision can always be explained later."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    result = models.JSONField()
    eligible = models.BooleanField()
    engine_version = models.CharField(max_length=20)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = "受援条件审查结果"
        verbose_name_plural = "受援条件审查结果"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.eligible}"
