from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q

from .roles import Role


class UserManager(DjangoUserManager["User"]):
    def create_superuser(self, username: str, email: str | None = None, password: str | None = None,
                         **extra_fields: Any) -> User:
        # The admin admits only the system administrator role, so the first account of a new install
        # (`manage.py createsuperuser`) must hold it, or nobody could set up the centers and their staff.
        extra_fields.setdefault("role", Role.SYSTEM_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A sign-in account. The role decides what the account may do; the links decide which records it sees."""

    role = models.CharField("角色", max_length=30, choices=Role.choices)
    display_name = models.CharField("显示名称", max_length=60, blank=True)
    center = models.ForeignKey(
        "org.Center", verbose_name="所属中心", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    station = models.ForeignKey(
        "org.Station", verbose_name="所属工作站/机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    provider = models.OneToOneField(
        "org.Provider", verbose_name="对应法律援助人员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="user",
    )
    # For a justice-bureau account: the district (or county-level city) bureau it works for; empty for the city
    # bureau. Objections go to the bureau that set up the center (Legal Aid Law art. 49).
    district = models.ForeignKey(
        "org.District", verbose_name="所属司法行政部门（区、县级市）", null=True, blank=True, on_delete=models.PROTECT,
        related_name="bureau_users", help_text="区、县级市司法局的人员填写；市司法局留空。",
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["center_reviewer", "center_director"]) | Q(center__isnull=False),
                name="center_role_has_center",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["station_clerk", "organ_liaison"]) | Q(station__isnull=False),
                name="station_role_has_station",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["provider", "duty_lawyer"]) | Q(provider__isnull=False),
                name="provider_role_has_provider",
            ),
            models.CheckConstraint(
                condition=Q(role="bureau_supervisor") | Q(district__isnull=True),
                name="only_bureau_accounts_have_a_district",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""
