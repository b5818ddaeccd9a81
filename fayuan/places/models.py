"""Villages and communities (行政村、社区): where people live, with coordinates, population and an urban/rural flag.

The station network's reach (plan point 14), outreach to registered households (plan point 5) and the contact cards
(plan point 6) are all counted per place. A place is identified by its 12-digit statistical division code
(统计用区划代码), the code the agencies' registry files carry, so a registry record finds its place without a join
on names.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

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
