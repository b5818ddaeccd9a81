"""Training of legal aid staff and lawyers (2018 work plan, point 11: 举办法律援助业务培训班和业务研讨会; point 18's
media work is publicity's). A training session is organised by a center or by a justice bureau; attendance is
recorded per person (a center's staff member or a legal aid provider), with the hours credited, so each person's
training hours per year can be counted."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class TrainingSession(models.Model):
    title = models.CharField("名称", max_length=200)
    held_on = models.DateField("日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))])
    topic = models.CharField("内容", max_length=300, blank=True)
    place = models.CharField("地点", max_length=200)
    # Organised by a center, or by a justice bureau (``organiser_district`` empty: the city bureau).
    organiser_center = models.ForeignKey("org.Center", verbose_name="主办中心", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="trainings")
    by_bureau = models.BooleanField("由司法局主办", default=False)
    organiser_district = models.ForeignKey("org.District", verbose_name="主办司法局所在行政区", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "业务培训"
        verbose_name_plural = "业务培训"
        constraints = [
            models.CheckConstraint(
                condition=(Q(by_bureau=False, organiser_center__isnull=False, organiser_district__isnull=True)
                           | Q(by_bureau=True, organiser_center__isnull=True)),
                name="training_one_organiser"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def organiser_label(self) -> str:
        if self.organiser_center is not None:
            return self.organiser_center.name
        district = self.organiser_district
        return f"{district.name}司法局" if district is not None else "市司法局"


class Attendance(models.Model):
    """One person's attendance: a center's staff member or a provider (lawyer, grassroots worker, volunteer)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey("org.Staff", verbose_name="中心工作人员", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="trainings")
    provider = models.ForeignKey("org.Provider", verbose_name="法律援助人员", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="trainings")
    attended = models.BooleanField("出席", default=True)
    hours_credited = models.DecimalField("认定学时", max_digits=4, decimal_places=1, default=Decimal(0))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = "培训出勤"
        verbose_name_plural = "培训出勤"
        constraints = [
            models.CheckConstraint(condition=(Q(staff__isnull=False, provider__isnull=True)
                                              | Q(staff__isnull=True, provider__isnull=False)),
                                   name="attendance_one_person"),
            models.CheckConstraint(condition=Q(attended=True) | Q(hours_credited=0),
                                   name="attendance_absent_no_hours"),
            models.UniqueConstraint(fields=["session", "staff"], name="attendance_once_per_staff"),
            models.UniqueConstraint(fields=["session", "provider"], name="attendance_once_per_provider"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def person(self) -> object:
        return self.staff or self.provider
