"""Duty lawyers (值班律师, plan point 2): pools per station, leave, the monthly rota and its duties, swaps,
inspections (督查) and the help a duty lawyer gives (法律帮助)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fayuan.core.dated import DatedRule

from . import rules

LOCAL_PRACTICE = "本地做法"


class CriterionCode(models.TextChoices):
    MIN_YEARS = rules.MIN_YEARS, "最低执业年限"
    ASSESSMENT = rules.ASSESSMENT, "入库考核通过"
    NO_SANCTIONS = rules.NO_SANCTIONS, "无处分记录"


class AdmissionCriterion(DatedRule):
    """One admission criterion in force over its dates. ``local_default``: the city's own practice (本地做法), not a
    statute; the bureau may change it by ending the row and adding another."""

    code = models.CharField("条件", max_length=30, choices=CriterionCode.choices)
    min_years = models.PositiveSmallIntegerField("最低执业年限", null=True, blank=True)
    local_default = models.BooleanField("本地做法（默认值）", default=False)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "值班律师入库条件"
        verbose_name_plural = "值班律师入库条件"
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="duty_criterion_code_from"),
            models.CheckConstraint(condition=~Q(code=rules.MIN_YEARS) | Q(min_years__isnull=False),
                                   name="duty_criterion_min_years_set"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}（{self.effective_from} 起）"

    def as_rule(self) -> rules.Criterion:
        basis = f"{LOCAL_PRACTICE}：{self.legal_basis}" if self.local_default else self.legal_basis
        return rules.Criterion(self.code, self.min_years, basis)


class AssessmentResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class DutyPoolMember(models.Model):
    """A lawyer in one station's pool, from ``admitted_on`` up to (excluding) ``left_on``."""

    station = models.ForeignKey("org.Station", verbose_name="值班站点", on_delete=models.PROTECT,
                                related_name="duty_pool")
    provider = models.ForeignKey("org.Provider", verbose_name="律师", on_delete=models.PROTECT,
                                 related_name="duty_pools")
    admitted_on = models.DateField("入库日期")
    left_on = models.DateField("出库日期", null=True, blank=True)
    assessment_result = models.CharField("考核结果", max_length=10, choices=AssessmentResult.choices)
    has_sanction = models.BooleanField("有处分记录", default=False)
    admission_explanation = models.TextField("入库审查说明", blank=True)
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    left_reason = models.CharField("出库原因", max_length=200, blank=True)

    class Meta:
        ordering = ["station", "provider__name"]
        verbose_name = "值班律师库成员"
        verbose_name_plural = "值班律师库成员"
        constraints = [
            models.UniqueConstraint(fields=["station", "provider"], condition=Q(left_on__isnull=True),
                                    name="duty_pool_one_open_membership"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=F("admitted_on")),
                                   name="duty_pool_left_after_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}（{self.station}）"


class Unavailability(models.Model):
    provider = models.ForeignKey("org.Provider", verbose_name="律师", on_delete=models.PROTECT,
                                 related_name="duty_unavailability")
    start_on = models.DateField("起始日期")
    end_on = models.DateField("截止日期（含）")
    reason = models.CharField("原因", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on"]
        verbose_name = "不能值班时段"
        verbose_name_plural = "不能值班时段"
        constraints = [models.CheckConstraint(condition=Q(end_on__gte=F("start_on")),
                                              name="duty_unavailability_period")]

    def __str__(self) -> str:
        return f"{self.provider} {self.start_on}—{self.end_on}"


class RotaStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class RotaMonth(models.Model):
    """One center's rota for one month: a draft may be regenerated; once published it changes only by swaps."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="rotas")
    month = models.DateField("月份（该月 1 日）")
    status = models.CharField("状态", max_length=10, choices=RotaStatus.choices, default=RotaStatus.DRAFT)
    provisional = models.BooleanField("节假日安排未录入（暂按周末）", default=False)
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    spread = models.PositiveSmallIntegerField("值班次数极差", default=0)

    class Meta:
        ordering = ["-month", "center"]
        verbose_name = "月度排班"
        verbose_name_plural = "月度排班"
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="duty_rota_center_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="duty_rota_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.month:%Y-%m}"


class Duty(models.Model):
    """One lawyer at one station on one working day. ``active`` is false once swapped away: the row stays as the
    record of what was published."""

    rota = models.ForeignKey(RotaMonth, on_delete=models.PROTECT, related_name="duties")
    station = models.ForeignKey("org.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="duties")
    provider = models.ForeignKey("org.Provider", verbose_name="值班律师", on_delete=models.PROTECT,
                                 related_name="duties")
    date = models.DateField("值班日期")
    active = models.BooleanField("有效", default=True)
    ended_reason = models.CharField("失效原因", max_length=200, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    no_show = models.BooleanField("缺勤", default=False)
    no_show_flagged_at = models.DateTimeField("缺勤标记时间", null=True, blank=True)

    class Meta:
        ordering = ["date", "station"]
        verbose_name = "值班"
        verbose_name_plural = "值班"
        constraints = [
            # Never one lawyer in two places on one day, whoever writes the row (a generation, a swap, the admin).
            models.UniqueConstraint(fields=["provider", "date"], condition=Q(active=True),
                                    name="duty_one_place_per_lawyer_day"),
            models.UniqueConstraint(fields=["station", "date"], condition=Q(active=True),
                                    name="duty_one_lawyer_per_station_day"),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                                   name="duty_check_out_after_check_in"),
        ]
        indexes = [models.Index(fields=["date", "active"], name="duty_date_active")]

    def __str__(self) -> str:
        return f"{self.date} {self.station} {self.provider}"


class RotaGap(models.Model):
    """A working day a station could not be covered, with the reason: reported, never silently dropped."""

    rota = models.ForeignKey(RotaMonth, on_delete=models.CASCADE, related_name="gaps")
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=300)

    class Meta:
        ordering = ["date", "station"]
        verbose_name = "排班缺口"
        verbose_name_plural = "排班缺口"

    def __str__(self) -> str:
        return self.reason


class SwapStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class SwapRequest(models.Model):
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="swap_requests")
    replacement = models.ForeignKey("org.Provider", verbose_name="替班律师", on_delete=models.PROTECT,
                                    related_name="+")
    reason = models.CharField("理由", max_length=200)
    status = models.CharField("状态", max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    new_duty = models.OneToOneField(Duty, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "换班申请"
        verbose_name_plural = "换班申请"
        constraints = [models.UniqueConstraint(fields=["duty"], condition=Q(status="pending"),
                                               name="duty_one_pending_swap")]

    def __str__(self) -> str:
        return f"{self.duty} → {self.replacement}"


class Inspection(models.Model):
    """督查: the bureau's and the center's visits to a station (plan point 2: a joint inspection each half-year)."""

    station = models.ForeignKey("org.Station", verbose_name="站点", on_delete=models.PROTECT,
                                related_name="duty_inspections")
    date = models.DateField("督查日期")
    inspector = models.CharField("督查人", max_length=100)
    findings = models.TextField("督查发现")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "值班督查"
        verbose_name_plural = "值班督查"

    def __str__(self) -> str:
        return f"{self.date} {self.station}"


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", "侦查"
    PROSECUTION = "prosecution", "审查起诉"
    TRIAL = "trial", "审判"


class HelpKind(models.TextChoices):
    CONSULTATION = "consultation", "法律咨询"
    PROCEDURAL_ADVICE = "procedural_advice", "程序选择建议"
    BAIL = "bail", "申请变更强制措施"
    MEETING = "meeting", "会见"
    PLEA_WITNESSED = "plea_witnessed", "认罪认罚具结书签署在场"


class HelpRecord(models.Model):
    """Legal help (法律帮助) given on a duty (Legal Aid Law art. 30; CPL art. 36). The person's ID number, when
    given, is kept only in the people app (encrypted, hashed, masked): this row links the person."""

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="help_records")
    provider = models.ForeignKey("org.Provider", on_delete=models.PROTECT, related_name="duty_help")
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, related_name="duty_help")
    person_name = models.CharField("受帮助人姓名", max_length=60)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="duty_help")
    stage = models.CharField("诉讼阶段", max_length=20, choices=Stage.choices)
    kind = models.CharField("帮助类型", max_length=30, choices=HelpKind.choices)
    organ_case_number = models.CharField("办案机关案号", max_length=60, blank=True, db_index=True)
    application_forwarded = models.BooleanField("已转交法律援助申请", default=False)
    forwarded_at = models.DateTimeField("转交时间", null=True, blank=True)
    notes = models.TextField("帮助内容", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = "法律帮助记录"
        verbose_name_plural = "法律帮助记录"
        constraints = [
            models.CheckConstraint(condition=Q(application_forwarded=False) | Q(forwarded_at__isnull=False),
                                   name="duty_help_forwarded_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.station}）"


class NoticeDutyStatus(models.TextChoices):
    STAFFED = "staffed", "已安排值班律师"
    UNSTAFFED = "unstaffed", "当日无值班律师"
    HELPED = "helped", "已提供法律帮助"


class NoticeAssignment(models.Model):
    """An organ's notice routed to a duty station (full coverage, simplified or fast-track procedure), put on the
    rota slot of the day it falls on: the first working day on or after its receipt. ``duty`` is None when nobody is
    on the published rota that day (unstaffed: on the coverage report until a published rota or a swap staffs it).
    The notice lives in criminal, which this app does not import: it is named by its public id and the rest is
    what the ``notice.duty_routed`` event carried (see ``criminal.dutylink``)."""

    notice_public_id = models.UUIDField("通知编号", unique=True)
    organ = models.ForeignKey("org.Organ", verbose_name="通知机关", on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("org.Center", verbose_name="法律援助中心", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", verbose_name="犯罪嫌疑人/被告人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("收到通知时间")
    date = models.DateField("值班日期")
    station = models.ForeignKey("org.Station", verbose_name="值班站点", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="notice_assignments")
    duty = models.ForeignKey(Duty, verbose_name="排班", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="notice_assignments")
    status = models.CharField("状态", max_length=10, choices=NoticeDutyStatus.choices)
    reason = models.CharField("说明", max_length=300)
    help_record = models.OneToOneField(HelpRecord, verbose_name="法律帮助记录", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="notice_assignment")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "值班律师通知安排"
        verbose_name_plural = "值班律师通知安排"
        indexes = [models.Index(fields=["status", "date"], name="duty_notice_status_date")]
        constraints = [
            models.CheckConstraint(condition=Q(status="unstaffed", duty__isnull=True)
                                   | Q(status__in=["staffed", "helped"], duty__isnull=False),
                                   name="duty_notice_staffed_has_duty"),
            models.CheckConstraint(condition=~Q(status="helped") | Q(help_record__isnull=False),
                                   name="duty_notice_helped_has_record"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.date} {self.get_status_display()}"
