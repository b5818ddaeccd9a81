"""Who handles a case: assignments (rotation, client choice, manual override, organ notice) and the agreement."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .case import Case


class AssignmentMethod(models.TextChoices):
    ROTATION = "rotation", "轮派"
    CLIENT_CHOICE = "client_choice", "受援人点援"
    MANUAL = "manual", "中心指定（须记录理由）"


class Assignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    provider = models.ForeignKey("org.Provider", on_delete=models.PROTECT, related_name="assignments")
    method = models.CharField("指派方式", max_length=20, choices=AssignmentMethod.choices)
    override_reason = models.TextField("指定理由", blank=True)
    ranking = models.JSONField("轮派评分", default=list, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        verbose_name = "指派"
        verbose_name_plural = "指派"
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(is_active=True),
                                    name="one_active_assignment_per_case"),
        ]
        indexes = [models.Index(fields=["provider", "is_active"]),
                   # A provider's cases in case order, with when each was assigned: "has this provider handled N cases
                   # this year" reads the first N matching entries of the provider's run (stats/dashboard.py), not
                   # every assignment the provider ever had.
                   models.Index(fields=["provider", "case", "assigned_at"], name="assignment_provider_case"),
                   # When a provider was last assigned (the rotation's tie-break): the first entry of their run.
                   models.Index(fields=["provider", "-assigned_at"], name="assignment_provider_latest")]

    def __str__(self) -> str:
        return f"{self.case}:{self.provider_id}"


class Agreement(models.Model):
    """委托协议 between recipient and provider, recorded within 5 days of assignment."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agreements")
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="agreement")
    signed_on = models.DateField("签订日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "委托协议"
        verbose_name_plural = "委托协议"

    def __str__(self) -> str:
        return f"{self.case}:{self.signed_on}"


class ProviderChangeRequest(models.Model):
    """The recipient asks for another provider; the center decides, and changing the provider closes the request
    in the same transaction (``case_change_provider``). Moved from the public site, which only files it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="change_requests")
    provider = models.ForeignKey("org.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_providerchangerequest"  # the table keeps the name it was created with
        ordering = ["-created_at", "-id"]
        verbose_name = "更换承办人员申请"
        verbose_name_plural = "更换承办人员申请"
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(handled_at__isnull=True),
                                    name="portal_one_open_change_request"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.created_at:%Y-%m-%d}"


# Art. 43: the center assigns within 3 days of the decision. The window closes the day before that deadline, so
# the rotation can still assign in time when nobody chose; a center may shorten it, never lengthen it.
MAX_CHOICE_WINDOW_DAYS = 2
DEFAULT_CHOICE_WINDOW_DAYS = MAX_CHOICE_WINDOW_DAYS


class ClientChoiceSettings(models.Model):
    """Per-center window in which the recipient may choose a provider (点援制); a center without a row uses the
    default. An assignment rule, so it lives with assignment (moved from the public site)."""

    center = models.OneToOneField("org.Center", verbose_name="中心", on_delete=models.PROTECT,
                                  related_name="client_choice_settings")
    choice_window_days = models.PositiveSmallIntegerField(
        "受援人选择律师期限（日）", default=DEFAULT_CHOICE_WINDOW_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHOICE_WINDOW_DAYS)],
        help_text="决定给予法律援助后，受援人可在此期限内网上选择承办律师（最长 2 日，且不晚于指派期限的前一日，"
                  "法律援助法第四十三条）；逾期由中心轮派。受理申请后即可预先选择。",
    )

    class Meta:
        db_table = "portal_centerportalsettings"  # the table keeps the name it was created with
        verbose_name = "受援人选择律师设置（中心）"
        verbose_name_plural = "受援人选择律师设置（中心）"

    def __str__(self) -> str:
        return f"{self.center}"


class ProviderPreference(models.Model):
    """The provider the recipient chose before the decision (点援制 from the moment of receipt). Granting aid then
    assigns this provider if the hard rules still allow it; otherwise the recipient chooses again in the window."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="provider_preference")
    provider = models.ForeignKey("org.Provider", on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()

    class Meta:
        verbose_name = "受援人预选律师"
        verbose_name_plural = "受援人预选律师"

    def __str__(self) -> str:
        return f"{self.case_id}→{self.provider_id}"
