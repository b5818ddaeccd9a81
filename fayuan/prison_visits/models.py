"""The legal aid station in a prison (2018 work plan, point 15: 驻监所法律援助工作站; “监狱会见系统”远程视频，预约律师为
服刑人员提供法律咨询; 定期开展法律咨询和法律讲座). A prison is an ``org.Station`` of type PRISON; it has video
consultation rooms; an inmate's appointment books one room and one lawyer for a time window; legal lectures held at
the prison are recorded. No lawyer and no room is booked twice at one time: on PostgreSQL two exclusion constraints
(migration 0002) refuse an overlapping row whatever the application does."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class VideoRoom(models.Model):
    station = models.ForeignKey("org.Station", verbose_name="监狱工作站", on_delete=models.PROTECT,
                                related_name="video_rooms")
    name = models.CharField("名称", max_length=60)
    active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["station", "name"]
        verbose_name = "视频会见室"
        verbose_name_plural = "视频会见室"
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="video_room_name_per_station")]

    def __str__(self) -> str:
        return self.name


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    HELD = "held", "已会见"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到场"


# A cancelled appointment frees its room and lawyer; every other status holds them (a no-show still took the time).
OCCUPYING = (AppointmentStatus.BOOKED, AppointmentStatus.HELD, AppointmentStatus.NO_SHOW)


class Appointment(models.Model):
    """A video consultation of one inmate with one lawyer in one room of the prison's station."""

    SENSITIVE_FIELDS = ("inmate_number_encrypted",)

    station = models.ForeignKey("org.Station", verbose_name="监狱工作站", on_delete=models.PROTECT,
                                related_name="prison_appointments")
    room = models.ForeignKey(VideoRoom, verbose_name="视频会见室", on_delete=models.PROTECT,
                             related_name="appointments")
    provider = models.ForeignKey("org.Provider", verbose_name="律师", on_delete=models.PROTECT,
                                 related_name="prison_appointments")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    inmate_name = models.CharField("服刑人员姓名", max_length=40)
    # The prison's number for the inmate identifies a person: kept encrypted, shown masked, never in a URL or log.
    inmate_number_encrypted = models.TextField("服刑人员编号（密文）", editable=False)
    inmate_number_masked = models.CharField("服刑人员编号", max_length=20, editable=False)
    matter = models.CharField("咨询事项", max_length=200)
    status = models.CharField("状态", max_length=20, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    outcome = models.TextField("会见情况", blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "视频会见预约"
        verbose_name_plural = "视频会见预约"
        indexes = [models.Index(fields=["station", "starts_at"]), models.Index(fields=["provider", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.room}"


class Lecture(models.Model):
    """A legal lecture held at the prison (增强服刑人员的法律和权利意识)."""

    station = models.ForeignKey("org.Station", verbose_name="监狱工作站", on_delete=models.PROTECT,
                                related_name="prison_lectures")
    held_on = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    speaker = models.CharField("主讲人", max_length=60)
    audience = models.PositiveIntegerField("听众人数")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "监狱法律讲座"
        verbose_name_plural = "监狱法律讲座"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"
