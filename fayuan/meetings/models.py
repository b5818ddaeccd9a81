"""Joint meetings (联席会议) of the legal aid center(s) with the police, procuratorate and court (2018 work plan,
part 1: 有条件的地方建立刑事法律援助联席会议制度，定期召开会议，及时沟通情况，协调解决问题): who met, what they
decided, and the follow-up actions each side took on, with due dates, so overdue ones show."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Meeting(models.Model):
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=200)
    topic = models.CharField("议题", max_length=200)
    summary = models.TextField("会议情况", blank=True)
    # Convened by a center, or by a justice bureau (``convener_district`` empty: the city bureau).
    convener_center = models.ForeignKey("org.Center", verbose_name="召集中心", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="convened_meetings")
    convened_by_bureau = models.BooleanField("由司法局召集", default=False)
    convener_district = models.ForeignKey("org.District", verbose_name="召集司法局所在行政区", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    centers = models.ManyToManyField("org.Center", verbose_name="参会法律援助中心", related_name="meetings")
    organs = models.ManyToManyField("org.Organ", verbose_name="参会办案机关", related_name="meetings")
    attendees = models.TextField("参会人员", blank=True, help_text="姓名与单位、职务，每行一人")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        constraints = [
            models.CheckConstraint(
                condition=(Q(convened_by_bureau=False, convener_center__isnull=False, convener_district__isnull=True)
                           | Q(convened_by_bureau=True, convener_center__isnull=True)),
                name="meeting_one_convener"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def convener_label(self) -> str:
        if self.convener_center is not None:
            return self.convener_center.name
        district = self.convener_district
        return f"{district.name}司法局" if district is not None else "市司法局"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    seq = models.PositiveSmallIntegerField("序号")
    text = models.TextField("议定事项")

    class Meta:
        ordering = ["meeting", "seq"]
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="meeting_decision_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:30]}"


class FollowUpAction(models.Model):
    """What one side (an organ or a center) took on at the meeting, by when; done when its owner reports it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("事项", max_length=300)
    owner_center = models.ForeignKey("org.Center", verbose_name="牵头中心", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    owner_organ = models.ForeignKey("org.Organ", verbose_name="牵头机关", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("完成情况", max_length=300, blank=True)
    done_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "会议落实事项"
        verbose_name_plural = "会议落实事项"
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_center__isnull=False, owner_organ__isnull=True)
                           | Q(owner_center__isnull=True, owner_organ__isnull=False)),
                name="follow_up_one_owner"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner(self) -> object:
        return self.owner_center or self.owner_organ
