from __future__ import annotations

from binascii import unhexlify
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role


class UserManager(DjangoUserManager["User"]):
    def create_superuser(self, username: str, email: str | None = None, password: str | None = None,
                         **extra_fields: Any) -> User:
        # The admin admits only the system administrator role, so the first account of a new install
        # (`manage.py createsuperuser`) must hold it, or nobody could set up the centers and their staff.
        extra_fields.setdefault("role", Role.SYSTEM_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):  # type: ignore[django-manager-missing]  # Authenticator's base (django-otp) is untyped
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
    # A liaison acts for one case-handling organ: its notices and forwarded applications, nobody else's.
    organ = models.ForeignKey(
        "org.Organ", verbose_name="所属办案机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="liaisons",
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
                condition=~Q(role="station_clerk") | Q(station__isnull=False),
                name="station_clerk_has_station",
            ),
            models.CheckConstraint(
                condition=~Q(role="organ_liaison") | Q(organ__isnull=False),
                name="organ_liaison_has_organ",
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


class GrantKind(models.TextChoices):
    GRANT = "grant", "授予"
    REVOKE = "revoke", "撤销"
    # On the server, by ``manage.py create_officer``: the only way to make or reset a security administrator or
    # an auditor. No actor: whoever holds the server's shell is accountable outside the application.
    BOOTSTRAP = "bootstrap", "初始化（服务器命令）"
    RESET = "reset", "重置密码（服务器命令）"
    DEACTIVATE = "deactivate", "停用（服务器命令）"


class RoleGrant(models.Model):
    """One change of an account's role or scope: who, to whom, from what to what, and why. Rows are only appended
    (by ``fayuan.accounts.services``), each with its entry in the audit chain; the auditor lists them."""

    kind = models.CharField("类型", max_length=12, choices=GrantKind.choices)
    user = models.ForeignKey(User, verbose_name="账户", on_delete=models.PROTECT, related_name="role_grants")
    actor = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    occurred_at = models.DateTimeField("时间", db_index=True)
    role_before = models.CharField("原角色", max_length=30, blank=True)
    role_after = models.CharField("新角色", max_length=30, blank=True)
    # {"center": [id, name], ...}: names as they were, so the record reads the same after a rename.
    scope_before = models.JSONField("原范围", default=dict, blank=True)
    scope_after = models.JSONField("新范围", default=dict, blank=True)
    reason = models.CharField("理由", max_length=300)

    class Meta:
        verbose_name = "角色授权记录"
        verbose_name_plural = "角色授权记录"
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user}: {self.role_before or '—'} → {self.role_after or '—'}"

    @property
    def role_before_label(self) -> str:
        return Role(self.role_before).label if self.role_before in Role.values else self.role_before

    @property
    def role_after_label(self) -> str:
        return Role(self.role_after).label if self.role_after in Role.values else self.role_after



def _new_encrypted_totp_key() -> str:
    from django_otp.plugins.otp_totp.models import default_key

    from fayuan.core.crypto import encrypt_text

    return encrypt_text(default_key())


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator app (the second factor of an office account) whose secret is encrypted at rest.

    django-otp's own ``TOTPDevice`` keeps the secret in clear hex, so whoever reads the table could mint codes for
    every account. This device keeps it as a Fernet token (``core.crypto``, rotated by ``reencrypt_fields``) and
    borrows django-otp's verification (drift, replay guard, throttling) unchanged: those methods read only
    ``bin_key`` and the fields below, which are the same as ``TOTPDevice``'s.
    """

    key_encrypted = models.TextField("密钥（加密）", default=_new_encrypted_totp_key, editable=False)  # type: ignore[var-annotated]
    step = models.PositiveSmallIntegerField(default=30)  # type: ignore[var-annotated]
    t0 = models.BigIntegerField(default=0)  # type: ignore[var-annotated]
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)  # type: ignore[var-annotated]
    tolerance = models.PositiveSmallIntegerField(default=1)  # type: ignore[var-annotated]
    drift = models.SmallIntegerField(default=0)  # type: ignore[var-annotated]
    last_t = models.BigIntegerField(default=-1)  # type: ignore[var-annotated]

    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = "身份验证器"
        verbose_name_plural = "身份验证器"

    @property
    def key(self) -> str:
        """The secret as hex (what ``TOTPDevice.key`` holds), decrypted on use and never stored in clear."""
        from fayuan.core.crypto import decrypt_text

        return decrypt_text(self.key_encrypted)

    @key.setter
    def key(self, value: str) -> None:
        from fayuan.core.crypto import encrypt_text

        self.key_encrypted = encrypt_text(value)

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())
