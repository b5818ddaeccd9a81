"""The excellent-lawyer team (名优律师团, 2018 work plan point 9: 继续深入实施法律援助“名优工程”……举办名优律师
“坐堂”咨询，开展名优律师办理案例的系列宣传): who is in it and since when, their public profile, the consultation
sessions they hold at a center or station, and what the public site may say about them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q


class Member(models.Model):
    """A provider's membership, dated (``left_on`` exclusive). One open membership per provider;
    ``org.Provider.excellent_team`` mirrors "has an open membership" and only this app's services write it."""

    provider = models.ForeignKey("org.Provider", verbose_name="法律援助人员", on_delete=models.PROTECT,
                                 related_name="team_memberships")
    admitted_on = models.DateField("入团日期")
    left_on = models.DateField("退出日期", null=True, blank=True, help_text="不含当日")
    profile = models.TextField("个人简介（对外公开）", help_text="执业经历、擅长领域、代表性工作；不得写入受援人信息。")
    leave_reason = models.CharField("退出原因", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["provider__home_center", "provider__name", "-admitted_on"]
        verbose_name = "名优律师团成员"
        verbose_name_plural = "名优律师团成员"
        constraints = [
            models.UniqueConstraint(fields=["provider"], condition=Q(left_on__isnull=True),
                                    name="lawyer_team_one_open_membership"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=F("admitted_on")),
                                   name="lawyer_team_left_after_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.admitted_on}"

    @property
    def is_open(self) -> bool:
        return self.left_on is None


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已举办"
    CANCELLED = "cancelled", "已取消"


class Session(models.Model):
    """A 坐堂咨询 session: one or more team lawyers sit at a center or one of its stations on a day."""

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("org.Station", verbose_name="工作站", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", help_text="在中心举办的留空")
    held_on = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    topic = models.CharField("主题", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    consultations_given = models.PositiveSmallIntegerField("解答咨询人次", null=True, blank=True,
                                                           validators=[MaxValueValidator(500)])
    summary = models.TextField("情况记录", blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    # The link to a consultation is not a database constraint: consultations are partitioned by year on
    # PostgreSQL (fayuan.core.partitions) and nothing can reference a partitioned table.
    consultations = models.ManyToManyField("intake.Consultation", verbose_name="关联的咨询记录", blank=True,
                                           related_name="+", db_constraint=False)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-held_on", "-starts_at", "-id"]
        verbose_name = "坐堂咨询"
        verbose_name_plural = "坐堂咨询"
        indexes = [models.Index(fields=["center", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="lawyer_team_session_times"),
            models.CheckConstraint(condition=~Q(status="held") | Q(consultations_given__isnull=False),
                                   name="lawyer_team_held_has_count"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def place(self) -> str:
        return self.station.name if self.station_id and self.station else self.center.name


class Attendance(models.Model):
    """A lawyer booked for a session; whether they came is recorded with the session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    attended = models.BooleanField("到场", null=True, blank=True)

    class Meta:
        ordering = ["session", "member__provider__name"]
        verbose_name = "坐堂律师"
        verbose_name_plural = "坐堂律师"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="lawyer_team_one_booking")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.member_id}"
