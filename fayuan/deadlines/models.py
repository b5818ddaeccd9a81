"""Statutory and local deadlines: the holiday calendar, the rules (dated data with a legal basis) and the running
deadlines of any subject (an application, a case, an organ's notice) held through a generic relation, so that the
apps owning those subjects depend on this one and not the other way round."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fayuan.accounts.roles import Role
from fayuan.core.dated import SourcedRule

from . import calendar as cal


class CalendarYear(models.Model):
    """One year's official holiday schedule (国务院办公厅关于部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    source = models.CharField("来源", max_length=200, help_text="如：国办发明电〔2025〕×号")
    complete = models.BooleanField(
        "已完整录入", default=False,
        help_text="该年全部节假日和调休上班日均已录入。未勾选的年份按周末计算，期限标为暂定。",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = "节假日安排（年度）"
        verbose_name_plural = "节假日安排（年度）"

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a public holiday (is_workday False) or a make-up workday on a
    weekend (is_workday True, 调休). Ordinary weekdays and weekends are not stored."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False, help_text="勾选：周末调休上班；不勾选：放假")
    name = models.CharField("节日", max_length=40)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"

    def __str__(self) -> str:
        return f"{self.date} {self.name}{'（调休上班）' if self.is_workday else '（放假）'}"

    def _parent_year(self) -> int | None:
        # In the admin's add form the year is not saved yet, so it is reached through the cached instance.
        try:
            return self.calendar_year.year
        except CalendarYear.DoesNotExist:
            return None

    def clean(self) -> None:
        year = self._parent_year()
        if self.date and year is not None and self.date.year != year:
            raise ValidationError({"date": "日期不在该年度内。"})
        if self.date and self.is_workday and self.date.weekday() < 5:
            raise ValidationError({"is_workday": "调休上班日应为周六或周日；工作日本来就上班。"})


class DayKind(models.TextChoices):
    CALENDAR = cal.CALENDAR_DAYS, "自然日"
    WORKING = cal.WORKING_DAYS, "工作日"
    HOURS = cal.HOURS, "小时（时刻到时刻，不因节假日延长）"


class Track(models.TextChoices):
    STANDARD = "standard", "一般程序"
    GREEN_CHANNEL = "green_channel", "绿色通道"


class CustodyCondition(models.TextChoices):
    ANY = "any", "不限"
    IN_CUSTODY = "in_custody", "仅适用于在押人员"
    NOT_IN_CUSTODY = "not_in_custody", "仅适用于非在押人员"


class DeadlineRule(SourcedRule):
    """A period that starts on one event and is satisfied by another, e.g. "decide within 7 days of receiving the
    application" (Legal Aid Law art. 43). The row in force on the start date, for the subject's track, applies.

    A period in hours runs from the instant of the start event to the same instant ``length`` hours later. A period
    in days may stop running while something the applicant owes is awaited (``pause_events``) and go on with the
    days left when it arrives (``resume_events``)."""

    code = models.SlugField("代码", max_length=60)
    name = models.CharField("名称", max_length=100)
    start_event = models.CharField("起算事件", max_length=60, db_index=True)
    stop_events = models.JSONField("完成事件", default=list, help_text="满足该期限的事件代码列表")
    pause_events = models.JSONField(
        "暂停事件", default=list, blank=True,
        help_text="期间暂停计算的事件（如 supplement_requested：补充材料的时间不计入审查期限）")
    resume_events = models.JSONField(
        "恢复事件", default=list, blank=True, help_text="以剩余日数恢复计算的事件（如 supplement_received）")
    length = models.PositiveSmallIntegerField("期间长度", validators=[MinValueValidator(1)])
    day_kind = models.CharField("计算方式", max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    custody = models.BooleanField(
        "在押期间", default=False, help_text="涉及在押人员的期间不因节假日延长（《刑事诉讼法》第一百零五条）"
    )
    custody_condition = models.CharField(
        "适用对象", max_length=20, choices=CustodyCondition.choices, default=CustodyCondition.ANY,
        help_text="同一起算事件对在押与非在押人员期限不同时使用（如工作站转交申请）",
    )
    track = models.CharField("程序", max_length=20, choices=Track.choices, default=Track.STANDARD)
    responsible_role = models.CharField("责任角色", max_length=30, help_text="角色代码，如 center_reviewer")

    class Meta:
        ordering = ["track", "start_event", "code", "-effective_from"]
        verbose_name = "期限规则"
        verbose_name_plural = "期限规则"
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_deadline_rule_code_from"),
            models.CheckConstraint(condition=Q(length__gte=1), name="deadline_rule_length_positive"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="deadline_rule_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from} 起）"

    def clean(self) -> None:
        if not isinstance(self.stop_events, list) or not all(
            isinstance(e, str) and e.strip() for e in self.stop_events
        ) or not self.stop_events:
            raise ValidationError({"stop_events": "请填写至少一个完成事件代码（字符串列表）。"})
        if self.responsible_role and self.responsible_role not in Role.values:
            raise ValidationError({"responsible_role": "未知的角色代码。"})
        for name in ("pause_events", "resume_events"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(e, str) and e.strip() for e in value):
                raise ValidationError({name: "请填写事件代码列表（字符串列表）。"})
        if bool(self.pause_events) != bool(self.resume_events):
            raise ValidationError({"resume_events": "暂停事件与恢复事件须同时填写。"})
        if self.pause_events and self.day_kind == DayKind.HOURS:
            raise ValidationError({"pause_events": "以小时计算的期限不能暂停。"})

    @property
    def length_label(self) -> str:
        unit = {DayKind.WORKING: "个工作日", DayKind.HOURS: "小时"}.get(DayKind(self.day_kind), "日")
        return f"{self.length}{unit}"

    @property
    def in_hours(self) -> bool:
        return self.day_kind == DayKind.HOURS

    @property
    def basis_with_status(self) -> str:
        return self.basis_label  # core.dated marks a pending basis once


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "进行中"
    MET = "met", "已完成"
    CANCELLED = "cancelled", "已取消"


# A running deadline: open (neither met nor cancelled) and not paused. A paused one (awaiting the applicant's
# supplementary materials) is neither due nor overdue: the queues, the dashboard and ``Case.next_due`` count these.
RUNNING = Q(met_at__isnull=True, cancelled_at__isnull=True, paused_at__isnull=True)


class Deadline(models.Model):
    """A running period of one subject under one rule. It is open until met (a stop event happened) or cancelled
    (the subject was withdrawn or terminated); the due date and its explanation are fixed at start."""

    subject_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("对象编号")
    subject = GenericForeignKey("subject_type", "subject_id")
    reference = models.CharField(
        "案件编号", max_length=60, blank=True,
        help_text="用于提醒和短信的简短编号（如案号）；不得包含姓名、身份证号等个人信息",
    )
    rule = models.ForeignKey(DeadlineRule, verbose_name="规则", on_delete=models.PROTECT, related_name="deadlines")
    center = models.ForeignKey(
        "org.Center", verbose_name="所属中心", on_delete=models.PROTECT, related_name="deadlines"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="deadlines",
    )
    custody = models.BooleanField("在押期间", default=False)
    started_on = models.DateField("起算日")
    started_at = models.DateTimeField("起算时刻", null=True, blank=True)
    due_on = models.DateField("期满日")
    due_at = models.DateTimeField("期满时刻", null=True, blank=True, help_text="以小时计算的期限届满的时刻")
    paused_at = models.DateTimeField("暂停时间", null=True, blank=True, help_text="暂停计算期间（如待补充材料）")
    days_left = models.PositiveSmallIntegerField("暂停时剩余日数", null=True, blank=True)
    resumed_on = models.DateField("恢复计算日", null=True, blank=True)
    pause_note = models.TextField("暂停与恢复记录", blank=True)
    provisional = models.BooleanField("暂定", default=False, help_text="涉及尚未录入节假日安排的年份")
    explanation = models.TextField("计算说明")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    met_event = models.CharField("完成事件", max_length=60, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "期限"
        verbose_name_plural = "期限"
        indexes = [
            models.Index(fields=["center", "due_on"]),
            models.Index(fields=["subject_type", "subject_id"]),
            # Due today and overdue, per center: only the running deadlines (open, not paused), a small part of a
            # center's history, in the lists' order (due_on, id). With the id in it a tab's count reads the index
            # alone: at 1,000,000 cases the overdue count fetched 4,600 heap pages to test paused_at (14 ms).
            models.Index(fields=["center", "due_on", "id"], name="deadline_running_center_due",
                         condition=RUNNING),
            # The same across every center, for the bureau's queue: without it the oldest 25 overdue of a country
            # were found by sorting all of them (55 ms at 1,000,000 cases, 1.2 s at 10,000,000).
            models.Index(fields=["due_on", "id"], name="deadline_running_due", condition=RUNNING),
        ]
        constraints = [
            # At most one open deadline per subject and rule, even when two requests race (idempotent start).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="uniq_open_deadline_subject_rule",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("started_on")), name="deadline_due_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.short_reference} {self.rule.name} {self.due_on}"

    @property
    def short_reference(self) -> str:
        """A reference safe for SMS and notifications: the case number, or type#id. Never ``str(subject)``."""
        return self.reference or f"{self.subject_type.model}#{self.subject_id}"

    @property
    def status(self) -> DeadlineStatus:
        if self.cancelled_at is not None:
            return DeadlineStatus.CANCELLED
        if self.met_at is not None:
            return DeadlineStatus.MET
        return DeadlineStatus.OPEN

    def days_to_due(self, on: dt.date) -> int:
        """Negative when overdue."""
        return (self.due_on - on).days

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def met_late(self) -> bool | None:
        """Whether the deadline was met after it ran out (None while it is not met): instant against instant for
        a period in hours, day against day otherwise; a period met while paused had days left, so it is on time."""
        if self.met_at is None:
            return None
        if self.paused_at is not None and self.met_at >= self.paused_at:
            return False
        if self.due_at is not None:
            return self.met_at > self.due_at
        return timezone.localdate(self.met_at) > self.due_on


class ReminderChannel(models.TextChoices):
    IN_APP = "in_app", "站内通知"
    SMS = "sms", "短信"


class Reminder(models.Model):
    """One reminder of one deadline to one user on one day by one channel: the unique key makes sending
    idempotent, so the daily job may run any number of times."""

    deadline = models.ForeignKey(Deadline, verbose_name="期限", on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField("提醒日期")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                             related_name="+")
    channel = models.CharField("方式", max_length=10, choices=ReminderChannel.choices)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        constraints = [
            models.UniqueConstraint(fields=["deadline", "sent_on", "user", "channel"], name="uniq_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.sent_on} {self.channel}"
