"""Subsidies (办案补贴, Legal Aid Law art. 52): the tariff as dated rule rows, the provider's claim, the subsidy the
center computes when it accepts the closing file, the monthly payment batches for the finance office, and the
centers' budgets.

Money is ``Decimal`` with two places (yuan to the fen); amounts are quantized with ROUND_HALF_UP in ``tariff``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from fayuan.core.dated import SourcedRule
from fayuan.quality.models import QualityGrade


class Service(models.TextChoices):
    CRIMINAL_DEFENSE = "criminal_defense", "刑事辩护/代理（按诉讼阶段）"
    CIVIL = "civil", "民事诉讼代理"
    ADMINISTRATIVE = "administrative", "行政诉讼代理"
    STATE_COMPENSATION = "state_compensation", "国家赔偿代理"
    NON_LITIGATION = "non_litigation", "非诉讼代理（调解、仲裁等）"
    DUTY_HELP = "duty_help", "值班律师法律帮助"
    CONSULTATION = "consultation", "法律咨询"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"
    FAST_TRACK = "fast_track", "速裁程序"


class Unit(models.TextChoices):
    PER_CASE = "per_case", "每件"
    PER_STAGE = "per_stage", "每个诉讼阶段"
    PER_DAY = "per_day", "每日"
    PER_PERSON = "per_person", "每人次"


class CostItem(models.TextChoices):
    TRAVEL_LOCAL = "travel_local", "差旅费（市内）"
    TRAVEL_OUTSIDE = "travel_outside", "差旅费（市外）"
    COPYING = "copying", "复印费"
    EVIDENCE = "evidence", "调查取证费"
    TRANSLATION = "translation", "翻译费"
    NOTARY = "notary", "公证费"
    APPRAISAL = "appraisal", "鉴定费"


class Tariff(SourcedRule):
    """One rate of the subsidy standard (补贴标准): a service, optionally a procedure (blank: any) and a district
    (empty: city-wide; a district's row overrides the city's), the amount per unit."""

    service = models.CharField("服务类型", max_length=30, choices=Service.choices)
    procedure = models.CharField("适用程序", max_length=20, choices=Procedure.choices, blank=True,
                                 help_text="留空表示不区分程序")
    district = models.ForeignKey("org.District", verbose_name="适用行政区", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", help_text="留空表示全市通用")
    amount = models.DecimalField("补贴金额（元）", validators=[MinValueValidator(0)], max_digits=12, decimal_places=2)
    unit = models.CharField("计算单位", max_length=20, choices=Unit.choices)
    is_sample = models.BooleanField("系统示例", default=False,
                                    help_text="示例标准，须由市局按省司法厅、财政厅标准核定后取消此标记")

    class Meta:
        ordering = ["service", "procedure", "district", "effective_from"]
        verbose_name = "补贴标准"
        verbose_name_plural = "补贴标准"
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_tariff_amount_nonneg")]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.amount}元/{self.get_unit_display()}"


class CostLimit(SourcedRule):
    """The most a case's direct cost of one kind is refunded (per case)."""

    item = models.CharField("费用项目", max_length=30, choices=CostItem.choices)
    cap = models.DecimalField("每案上限（元）", validators=[MinValueValidator(0)], max_digits=12, decimal_places=2)
    is_sample = models.BooleanField("系统示例", default=False)

    class Meta:
        ordering = ["item", "effective_from"]
        verbose_name = "直接费用报销上限"
        verbose_name_plural = "直接费用报销上限"
        constraints = [models.CheckConstraint(condition=Q(cap__gte=0), name="subsidy_costlimit_cap_nonneg")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ≤ {self.cap}元"


class QualityAdjustment(SourcedRule):
    """The share of the base subsidy added (positive) or taken off (negative) for a quality grade."""

    grade = models.CharField("质量等级", max_length=20)  # quality.QualityGrade codes; quality is on the floor below
    percent = models.DecimalField("调整比例（%）", max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(-100)])
    is_sample = models.BooleanField("系统示例", default=False)

    class Meta:
        ordering = ["grade", "effective_from"]
        verbose_name = "质量等级补贴调整"
        verbose_name_plural = "质量等级补贴调整"
        constraints = [models.CheckConstraint(condition=Q(percent__gte=-100), name="subsidy_adjust_not_below_all")]

    def __str__(self) -> str:
        return f"{self.grade} {self.percent:+}%"


class PaymentTerm(SourcedRule):
    """Within how many days of closing a subsidy counts as paid on time (the plan: 及时足额支付办案补贴)."""

    days = models.PositiveSmallIntegerField("及时支付天数")

    class Meta:
        ordering = ["effective_from"]
        verbose_name = "补贴及时支付期限"
        verbose_name_plural = "补贴及时支付期限"

    def __str__(self) -> str:
        return f"结案后 {self.days} 日内支付"


class Claim(models.Model):
    """What the assigned provider claims for a case: the procedure applied and the direct costs (lines below)."""

    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.PROTECT,
                                related_name="subsidy_claim")
    provider = models.ForeignKey("org.Provider", verbose_name="承办人员", on_delete=models.PROTECT, related_name="+")
    procedure = models.CharField("适用程序", max_length=20, choices=Procedure.choices)
    units = models.PositiveSmallIntegerField("计算数量", default=1, validators=[MinValueValidator(1)],
                                             help_text="按件、按阶段计算的为 1；按日、按人次计算的填天数或人次")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "补贴申报"
        verbose_name_plural = "补贴申报"
        constraints = [models.CheckConstraint(condition=Q(units__gte=1), name="subsidy_claim_units_positive")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_procedure_display()}"


class ClaimCost(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="costs")
    item = models.CharField("费用项目", max_length=30, choices=CostItem.choices)
    amount = models.DecimalField("金额（元）", validators=[MinValueValidator(0)], max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "申报直接费用"
        verbose_name_plural = "申报直接费用"
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_cost_amount_nonneg")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount}"


class Status(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已审批，待支付"
    PAID = "paid", "已支付"


class Subsidy(models.Model):
    """The subsidy of one case (one per case: the OneToOne is the database's guarantee), computed when the closing
    file is accepted, recomputed on approval with the grade then known, paid in at most one batch (a foreign key)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="subsidy")
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="subsidies")
    provider = models.ForeignKey("org.Provider", verbose_name="承办人员", on_delete=models.PROTECT,
                                 related_name="subsidies")
    service = models.CharField("服务类型", max_length=30, choices=Service.choices)
    procedure = models.CharField("适用程序", max_length=20, choices=Procedure.choices)
    grade = models.CharField("计算时质量等级", max_length=20, blank=True)
    base = models.DecimalField("基本补贴", max_digits=12, decimal_places=2)
    costs = models.DecimalField("直接费用", max_digits=12, decimal_places=2)
    adjustment = models.DecimalField("质量调整", max_digits=12, decimal_places=2)
    total = models.DecimalField("合计", max_digits=12, decimal_places=2)
    lines = models.JSONField("计算明细", default=list)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    closed_on = models.DateField("结案日期")
    computed_at = models.DateTimeField("计算时间")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    batch = models.ForeignKey("PaymentBatch", verbose_name="支付批次", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="subsidies")
    paid_on = models.DateField("支付日期", null=True, blank=True)

    class Meta:
        ordering = ["-closed_on", "-pk"]
        verbose_name = "办案补贴"
        verbose_name_plural = "办案补贴"
        indexes = [models.Index(fields=["center", "status"]), models.Index(fields=["provider", "closed_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="subsidy_total_nonneg"),
            models.CheckConstraint(condition=Q(total=models.F("base") + models.F("costs") + models.F("adjustment")),
                                   name="subsidy_total_is_sum"),
            models.CheckConstraint(condition=Q(status="paid", paid_on__isnull=False) | ~Q(status="paid"),
                                   name="subsidy_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.total}元"

    @property
    def grade_label(self) -> str:
        """The grade used in the computation as a reader says it (良好), not its code."""
        return QualityGrade(self.grade).label if self.grade in QualityGrade.values else self.grade

    @property
    def days_to_payment(self) -> int | None:
        return (self.paid_on - self.closed_on).days if self.paid_on else None


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送财务"
    PAID = "paid", "已支付"


class PaymentBatch(models.Model):
    """A center's payment batch of a month (one a month), numbered per center per year, for the finance office."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("所属月份", help_text="该月第一天")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveSmallIntegerField("年度序号")
    number = models.CharField("批次编号", max_length=40)
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    total = models.DecimalField("合计", default=0, max_digits=12, decimal_places=2)
    created_at = models.DateTimeField("生成时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True)

    class Meta:
        ordering = ["-month", "center"]
        verbose_name = "补贴支付批次"
        verbose_name_plural = "补贴支付批次"
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "seq"], name="subsidy_batch_seq_unique"),
            models.UniqueConstraint(fields=["center", "month"], name="subsidy_batch_month_unique"),
            models.CheckConstraint(condition=Q(status="paid", paid_on__isnull=False) | ~Q(status="paid"),
                                   name="subsidy_batch_paid_has_date"),
        ]

    def __str__(self) -> str:
        return self.number


class Budget(models.Model):
    """A center's legal aid budget for a year (the local finance's allocation, plan point 16)."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("预算金额（元）", validators=[MinValueValidator(0)], max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "center"]
        verbose_name = "法律援助经费预算"
        verbose_name_plural = "法律援助经费预算"
        constraints = [models.UniqueConstraint(fields=["center", "year"], name="subsidy_budget_unique"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_budget_nonneg")]

    def __str__(self) -> str:
        return f"{self.year} {self.amount}"


class ClosingSums(models.Model):
    """Cases closed in a year and their distinct recipients, per center, summed a few minutes ago: the funding
    page of a country's bureau (``selectors.funding``). Counting them means reading the year's accepted closings
    joined to their cases (272 ms a year at 400,000 cases over 3,000 centers, measured; about 20 times that at
    10 million); a scope of more than ``org.scale.LIVE_CENTERS`` centers reads these rows instead, stored by the
    stats job every few minutes for this year and the last, or by a view that found a year's rows stale."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    cases = models.PositiveIntegerField("结案件数")
    persons = models.PositiveIntegerField("受援人数")
    summed_at = models.DateTimeField("汇总时间")

    class Meta:
        verbose_name = "结案汇总"
        verbose_name_plural = "结案汇总"
        constraints = [models.UniqueConstraint(fields=["year", "center"], name="uniq_closing_sums")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.year}: {self.cases}"
