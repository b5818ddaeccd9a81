"""The rollups behind the dashboards and the statistical reports, and the plan's targets as dated rows.

A ``Tally`` row is one cell of a cube: a measure (cases aided, cases closed, deadlines met, ...) for one center, one
district the figure is attributed to, one calendar month (local time) and one key of dimensions (``criminal|trial|
notice``). Subscribers to the domain events add to it in the event's own transaction; ``manage.py stats_rebuild``
recomputes every cell from the raw records. A dashboard or a report reads a few hundred cells, whatever the number
of cases behind them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from fayuan.core.dated import SourcedRule


class Tally(models.Model):
    measure = models.CharField("指标", max_length=40)
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    # The district the figure counts for (a city center's case by the stated attribution rule, ``attribution.py``).
    district = models.ForeignKey("org.District", verbose_name="计入行政区", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份", help_text="当月一日（北京时间）")
    key = models.CharField("维度", max_length=120, blank=True)
    count = models.BigIntegerField("件数", default=0)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name = "统计汇总"
        verbose_name_plural = "统计汇总"
        # No unique constraint: a cell is found by UPDATE and created when missing, so two transactions that create
        # the same new cell at once leave two rows, and every reader sums. (A unique key over a nullable district
        # would need NULLS NOT DISTINCT, which SQLite lacks.)
        indexes = [models.Index(fields=["measure", "month", "center", "district", "key"], name="tally_cell")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.key}: {self.count}"


class TargetCode(models.TextChoices):
    AID_RATE = "aid_rate_per_10k", "每万人受援率（人/万人）"
    QUALIFIED_STAFF = "qualified_staff_percent", "具有法律职业（律师）资格人员比例（%）"
    CERTIFIED_CASES = "certified_staff_cases", "持工作证、公职律师证人员每年办案（件）"


class Target(SourcedRule):
    """A target of the work plan that a dashboard measures against, in force for the years it covers."""

    code = models.CharField("指标", max_length=40, choices=TargetCode.choices)
    value = models.DecimalField("目标值", max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["code", "effective_from"]
        verbose_name = "工作目标"
        verbose_name_plural = "工作目标"

    def __str__(self) -> str:
        return f"{self.get_code_display()} ≥ {self.value}（{self.effective_from} 起）"


class ScopeSums(models.Model):
    """A big scope's rollup cells already summed, for the dashboard (``stats/scope_cells.py``).

    A bureau over a country's ~3,000 centers would sum about a million cells for each view of its dashboard (about
    700 ms of SQL, measured); a scope with more centers than ``LIVE_CENTERS`` reads these sums instead, refreshed
    every few minutes by a job and summed again when a view finds them stale. A city's, a district's and a center's
    dashboards never use them: they sum their cells on each view."""

    scope_key = models.CharField("范围", max_length=40)  # "city:" or "district:<id>"
    year = models.PositiveSmallIntegerField("年度")
    until = models.DateField("统计至")
    summed_at = models.DateTimeField("汇总时间")
    by_key = models.JSONField("按指标、月份、维度", default=list)
    aided_by_district = models.JSONField("各区受援人次", default=list)
    quality_by_center = models.JSONField("各中心质量指标", default=list)
    overdue_open = models.PositiveIntegerField("目前逾期未完成的期限", default=0)

    class Meta:
        verbose_name = "范围汇总"
        verbose_name_plural = "范围汇总"
        constraints = [models.UniqueConstraint(fields=["scope_key", "year"], name="uniq_scope_sums")]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.year}（{self.summed_at:%Y-%m-%d %H:%M}）"


class ReportSums(models.Model):
    """A big scope's statistical report already summed, for the report page (``stats/report_sums.py``).

    The city bureau of a country's ~3,000 centers sums about 900,000 cells for a year's report (245 ms of SQL at
    400,000 cases, measured); its page reads these sums instead, refreshed by the job for the periods people ask
    for most and summed again when a view finds them stale. The exports always sum live: a document states the
    figures of the moment it was generated."""

    scope_key = models.CharField("范围", max_length=40)  # "city:"
    period = models.CharField("统计期间", max_length=7)  # "2026" or "2026-11"
    summed_at = models.DateTimeField("汇总时间")
    cells = models.JSONField("按指标、维度", default=list)  # [measure, key, count, amount as a string]

    class Meta:
        verbose_name = "报表汇总"
        verbose_name_plural = "报表汇总"
        constraints = [models.UniqueConstraint(fields=["scope_key", "period"], name="uniq_report_sums")]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.period}（{self.summed_at:%Y-%m-%d %H:%M}）"
