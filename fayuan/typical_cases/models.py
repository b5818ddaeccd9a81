"""The typical-case library (2018 work plan, point 20): each district center reports 1-2 typical cases a month from
its closed cases, anonymized; the city bureau accepts or returns them; accepted ones go into the annual compilation
and on the public site, and the year's excellent-case review scores nominees on a rubric."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fayuan.core.dated import SourcedRule
from fayuan.eligibility.models import CaseType


class MonthlyQuota(SourcedRule):
    """How many typical cases a district center reports a month (the plan: 1-2), and from which day of the month
    the reminder goes out when none has been submitted yet."""

    minimum = models.PositiveSmallIntegerField("每月至少报送（件）")
    maximum = models.PositiveSmallIntegerField("每月至多报送（件）")
    remind_from_day = models.PositiveSmallIntegerField("提醒起始日", validators=[MinValueValidator(1),
                                                                            MaxValueValidator(28)])

    class Meta:
        ordering = ["effective_from"]
        verbose_name = "典型案例报送要求"
        verbose_name_plural = "典型案例报送要求"
        constraints = [models.CheckConstraint(condition=Q(minimum__lte=models.F("maximum")),
                                              name="typical_quota_min_le_max")]

    def __str__(self) -> str:
        return f"每月 {self.minimum}-{self.maximum} 件（{self.effective_from} 起）"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送，待市局审核"
    RETURNED = "returned", "市局退回修改"
    ACCEPTED = "accepted", "市局已采用"


class TypicalCase(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    center = models.ForeignKey("org.Center", verbose_name="报送中心", on_delete=models.PROTECT,
                               related_name="typical_cases")
    # One write-up per case: the same case is not reported twice.
    case = models.OneToOneField("cases.Case", verbose_name="来源案件", on_delete=models.PROTECT,
                                related_name="typical_case")
    period = models.DateField("报送月份", help_text="所报送月份的第一天")
    category = models.CharField("案件类别", max_length=30, choices=CaseType.choices)
    title = models.CharField("标题", max_length=120)
    facts = models.TextField("基本案情", blank=True)
    handling = models.TextField("办理过程", blank=True)
    result = models.TextField("办理结果", blank=True)
    significance = models.TextField("典型意义", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    accepted_at = models.DateTimeField("采用时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "center", "pk"]
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        indexes = [models.Index(fields=["center", "period"])]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    def parts(self) -> dict[str, str]:
        return {"title": self.title, "facts": self.facts, "handling": self.handling, "result": self.result,
                "significance": self.significance}


PART_LABELS = {"title": "标题", "facts": "基本案情", "handling": "办理过程", "result": "办理结果",
               "significance": "典型意义"}


class ReviewDecision(models.TextChoices):
    SUBMIT = "submit", "报送"
    ACCEPT = "accept", "采用"
    RETURN = "return", "退回修改"


class TypicalCaseEvent(models.Model):
    """Each submission and each review of the bureau, with its comments: the history a resubmission answers."""

    typical_case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="events")
    decision = models.CharField("事项", max_length=10, choices=ReviewDecision.choices)
    comments = models.TextField("意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "典型案例报送与审核记录"
        verbose_name_plural = "典型案例报送与审核记录"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.at:%Y-%m-%d}"


class ReminderSent(models.Model):
    """A center was reminded for a month (once: the job runs daily)."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "period"], name="typical_reminder_once")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.period:%Y-%m}"


# --- The annual excellent-case review ------------------------------------------------------------------------------

class ExcellenceCriterion(SourcedRule):
    """An item of the excellent-case review's rubric, with its maximum points (a sample the bureau edits)."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("评分项目", max_length=60)
    description = models.CharField("评分要点", max_length=300, blank=True)
    max_points = models.PositiveSmallIntegerField("满分", validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "优秀案件评分项目"
        verbose_name_plural = "优秀案件评分项目"

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points} 分）"


class ExcellenceReview(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    closed = models.BooleanField("评审结束", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "年度优秀案件评审"
        verbose_name_plural = "年度优秀案件评审"

    def __str__(self) -> str:
        return f"{self.year}年度法律援助优秀案件评审"


class PanelMember(models.Model):
    review = models.ForeignKey(ExcellenceReview, on_delete=models.CASCADE, related_name="panel")
    name = models.CharField("评审人", max_length=40)
    affiliation = models.CharField("单位与职务", max_length=100)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["review", "name"], name="panel_member_once")]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    review = models.ForeignKey(ExcellenceReview, on_delete=models.CASCADE, related_name="nominations")
    typical_case = models.ForeignKey(TypicalCase, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["review", "typical_case"], name="nomination_once")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.typical_case_id}"


class Score(models.Model):
    """One panel member's points for one nominee on one rubric item (entered from the signed score sheet)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ExcellenceCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField("得分")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "member", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.criterion_id}: {self.points}"
