"""Villages and communities (行政村、社区): where people live, with coordinates, population and an urban/rural flag.

The station network's reach (plan point 14), outreach to registered households (plan point 5) and the contact cards
(plan point 6) are all counted per place. A place is identified by its 12-digit statistical division code
(统计用区划代码), the code the agencies' registry files carry, so a registry record finds its place without a join
on names.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from fayuan.core.dated import SourcedRule

twelve_digit_code = RegexValidator(r"^\d{12}$", "区划代码应为12位数字。")


class PlaceKind(models.TextChoices):
    VILLAGE = "village", "行政村"
    COMMUNITY = "community", "社区"


class Place(models.Model):
    code = models.CharField("区划代码", max_length=12, unique=True, validators=[twelve_digit_code])
    name = models.CharField("名称", max_length=60)
    town = models.CharField("乡镇（街道）", max_length=60)
    district = models.ForeignKey("org.District", verbose_name="所在行政区", on_delete=models.PROTECT,
                                 related_name="places")
    kind = models.CharField("类型", max_length=20, choices=PlaceKind.choices)
    # Urban or rural decides the reach target: 15 minutes in town, 30 in the countryside (plan point 14).
    urban = models.BooleanField("城镇", default=False)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    population = models.PositiveIntegerField("常住人口")

    class Meta:
        ordering = ["district", "town", "code"]
        verbose_name = "村（社区）"
        verbose_name_plural = "村（社区）"
        indexes = [models.Index(fields=["district", "town"])]

    def __str__(self) -> str:
        return f"{self.town}{self.name}"


class Setting(models.TextChoices):
    """Town or countryside: the plan sets a different reach for each (城市一刻钟、农村半小时)."""

    URBAN = "urban", "城镇"
    RURAL = "rural", "农村"


class ReachTarget(SourcedRule):
    """How many minutes from home to the nearest legal aid service point the network should keep a resident within
    (plan point 14: 城市一刻钟、农村半小时). One row per setting; the row in force on the day of looking applies."""

    setting = models.CharField("区域", max_length=10, choices=Setting.choices)
    minutes = models.PositiveSmallIntegerField("目标时间（分钟）", validators=[MinValueValidator(1),
                                                                          MaxValueValidator(240)])

    class Meta:
        ordering = ["setting", "-effective_from"]
        verbose_name = "服务圈目标时间"
        verbose_name_plural = "服务圈目标时间"
        constraints = [
            models.UniqueConstraint(fields=["setting", "effective_from"], name="uniq_reach_target_setting_from"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="reach_target_minutes_min"),
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_display()}{self.minutes}分钟（{self.effective_from} 起）"


class TravelAssumption(SourcedRule):
    """How travel time is estimated where no road network is held: straight-line distance times a detour factor
    (roads do not run straight), at an average door-to-door speed. Assumptions of the bureau's own, not law: the
    shipped rows say so (依据待补) and the bureau tunes them in the admin."""

    setting = models.CharField("区域", max_length=10, choices=Setting.choices)
    speed_kmh = models.DecimalField("平均速度（公里/小时）", max_digits=5, decimal_places=1,
                                    validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("120"))])
    detour_factor = models.DecimalField("绕行系数", max_digits=4, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))],
                                        help_text="道路距离与直线距离之比，如1.30")

    class Meta:
        ordering = ["setting", "-effective_from"]
        verbose_name = "出行测算参数"
        verbose_name_plural = "出行测算参数"
        constraints = [
            models.UniqueConstraint(fields=["setting", "effective_from"], name="uniq_travel_setting_from"),
            models.CheckConstraint(condition=Q(speed_kmh__gt=0), name="travel_speed_positive"),
            models.CheckConstraint(condition=Q(detour_factor__gte=1), name="travel_detour_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_display()}{self.speed_kmh}公里/小时×{self.detour_factor}（{self.effective_from} 起）"
