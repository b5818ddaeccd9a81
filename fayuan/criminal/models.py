"""An organ's notice to the legal aid center (通知辩护 / 通知代理) and the case it opened."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from fayuan.cases.models import Status as CaseStatus
from fayuan.core.dated import DatedRule

from .grounds import DUTY_PROCEDURES, NoticeGround, NoticeKind, NoticeRoute, NoticeStage, Procedure

LOCAL_PRACTICE = "本地做法"


class CoverageStage(models.TextChoices):
    TRIAL = "trial", "审判阶段"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉阶段"


class CoverageSwitch(DatedRule):
    """Full defense coverage (刑事案件律师辩护全覆盖, plan point 3) switched on in one district for one stage over its
    dates. A ``full_coverage`` notice is accepted only while its organ's district has the stage's switch on.
    ``local_default``: the dates are the city's own default (本地做法) that the bureau corrects in the admin."""

    district = models.ForeignKey("org.District", verbose_name="行政区", on_delete=models.PROTECT,
                                 related_name="coverage_switches")
    stage = models.CharField("阶段", max_length=30, choices=CoverageStage.choices)
    local_default = models.BooleanField("本地做法（默认值，待市局核对）", default=False)

    class Meta:
        ordering = ["district__sort_order", "stage", "-effective_from"]
        verbose_name = "刑事案件律师辩护全覆盖开关"
        verbose_name_plural = "刑事案件律师辩护全覆盖开关"
        constraints = [models.UniqueConstraint(fields=["district", "stage", "effective_from"],
                                               name="criminal_switch_district_stage_from")]

    def __str__(self) -> str:
        return f"{self.district} {self.get_stage_display()}全覆盖（{self.effective_from} 起）"

    @property
    def basis_label(self) -> str:
        return f"{LOCAL_PRACTICE}：{self.legal_basis}" if self.local_default else self.legal_basis


class DutyStatus(models.TextChoices):
    """Where a duty-routed notice stands on the duty side, as the duty app reported it (``criminal.dutylink``)."""

    PENDING = "pending", "待安排值班律师"
    STAFFED = "staffed", "已安排值班律师"
    UNSTAFFED = "unstaffed", "当日无值班律师"
    HELPED = "helped", "值班律师已提供法律帮助"


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
    procedure = models.CharField("审理程序", max_length=20, choices=Procedure.choices, default=Procedure.ORDINARY)
    contact = models.CharField("承办人及联系方式", max_length=100, blank=True)
    received_at = models.DateTimeField("收到通知时间")
    # The center the notice went to (the organ's); the case's center when a case was opened.
    center = models.ForeignKey("org.Center", verbose_name="法律援助中心", on_delete=models.PROTECT,
                               related_name="organ_notices")
    # No case when the notice is routed to the duty station (full coverage, simplified or fast-track procedure).
    case = models.OneToOneField("cases.Case", verbose_name="法律援助案件", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="organ_notice")
    route = models.CharField("处理方式", max_length=10, choices=NoticeRoute.choices, default=NoticeRoute.LAWYER)
    coverage_switch = models.ForeignKey(CoverageSwitch, verbose_name="所依据的全覆盖开关", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="notices")
    duty_station = models.ForeignKey("org.Station", verbose_name="值班律师工作站", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Chosen by the center (the duty rota lives in the duty app, which this app does not read).
    duty_lawyer = models.ForeignKey("org.Provider", verbose_name="提供法律帮助的值班律师", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # What the duty app reported back (events ``duty_notice.*``): the lawyer on the rota of the station for the day
    # the notice falls on, or none on the rota (unstaffed). The organ reads it on the notice page and in the API.
    duty_status = models.CharField("值班律师安排情况", max_length=10, choices=DutyStatus.choices, blank=True)
    duty_assigned_lawyer = models.ForeignKey("org.Provider", verbose_name="排班值班律师", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    duty_assigned_for = models.DateField("值班日期", null=True, blank=True)
    duty_status_note = models.CharField("安排说明", max_length=300, blank=True)
    duty_helped_on = models.DateField("提供法律帮助日期", null=True, blank=True)
    duty_note = models.CharField("法律帮助情况", max_length=200, blank=True)
    duty_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期通知（开庭前不足十五日）", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "办案机关通知"
        verbose_name_plural = "办案机关通知"
        indexes = [models.Index(fields=["organ", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(route=NoticeRoute.LAWYER, case__isnull=False)
                                   | Q(route=NoticeRoute.DUTY, case__isnull=True), name="criminal_notice_route_case"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def simplified_procedure(self) -> bool:
        return self.procedure in DUTY_PROCEDURES

    @property
    def case_status_label(self) -> str:
        """The case's status as the organ should read it: a notice has no decision step (art. 35), so a granted case
        is one waiting for its lawyer, not a "decision to grant"."""
        if self.case is None:
            return ""
        return "待指派" if self.case.status == CaseStatus.GRANTED else self.case.get_status_display()

    @property
    def to_duty_station(self) -> bool:
        return self.route == NoticeRoute.DUTY

    @property
    def in_custody(self) -> bool:
        return self.custody_place_id is not None or bool(self.custody_place_text)

    @property
    def custody_label(self) -> str:
        return str(self.custody_place) if self.custody_place_id else self.custody_place_text


class CourtTrialReturn(models.Model):
    """A court's monthly figures (entered by its liaison or its center): defendants tried, and of them those who had
    counsel of their own. Full defense coverage of the month = (own counsel + the court's defense notices) ÷ tried."""

    organ = models.ForeignKey("org.Organ", verbose_name="人民法院", on_delete=models.PROTECT,
                              related_name="trial_returns")
    month = models.DateField("月份", help_text="当月第一日")
    defendants_tried = models.PositiveIntegerField("审结（审理）被告人数")
    with_own_counsel = models.PositiveIntegerField("其中自行委托辩护人的")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField("填报时间", auto_now=True)

    class Meta:
        ordering = ["-month", "organ"]
        verbose_name = "法院刑事被告人月报"
        verbose_name_plural = "法院刑事被告人月报"
        constraints = [
            models.UniqueConstraint(fields=["organ", "month"], name="criminal_return_organ_month"),
            models.CheckConstraint(condition=Q(with_own_counsel__lte=models.F("defendants_tried")),
                                   name="criminal_return_counsel_within_tried"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.month:%Y-%m}"
