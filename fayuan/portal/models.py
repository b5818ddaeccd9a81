"""The public site's own records: phone sign-in, application drafts, consents, submissions, ratings, requests
for another lawyer, and each center's client-choice window (点援制).

Personal data kept here is the minimum and is protected like the people registry: phone numbers are stored as a
keyed hash for lookup (and encrypted where they must be read back), draft payloads and declared identities are
encrypted as a whole, and OTP codes are never stored, only their keyed hash.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fayuan.cases.models import FileKind


class PortalAccount(models.Model):
    """The phone behind an applicant account that signs in with a one-time SMS code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account")
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "网上申请账户"
        verbose_name_plural = "网上申请账户"

    def __str__(self) -> str:
        return f"portal:{self.user_id}"


class OtpChallenge(models.Model):
    """One SMS code sent. Only keyed hashes are stored: neither the phone nor the code can be read back."""

    phone_hash = models.CharField(max_length=64, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone_hash", "created_at"]), models.Index(fields=["ip", "created_at"])]

    def __str__(self) -> str:
        return f"otp:{self.pk}"


class OtpLock(models.Model):
    """One row per phone number with codes outstanding: requests and attempts for that number take its row lock and
    queue. A mutex only: wrong codes void the code they were tried against, they never lock the number."""

    phone_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "验证码锁定"
        verbose_name_plural = "验证码锁定"

    def __str__(self) -> str:
        return f"lock:{self.pk}"


class DraftStep(models.TextChoices):
    CONSENT = "consent", "同意处理个人信息"
    WHO = "who", "申请人"
    MATTER = "matter", "申请事项"
    WHERE = "where", "向哪里申请"
    MEANS = "means", "经济状况"
    FILES = "files", "上传材料"
    CONFIRM = "confirm", "核对并提交"


STEP_ORDER: tuple[str, ...] = tuple(DraftStep.values)


class ApplicationDraft(models.Model):
    """An online application in progress. The payload (names, ID numbers, facts) is encrypted as a whole."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_drafts")
    payload = models.TextField(blank=True, editable=False)
    step = models.CharField(max_length=20, choices=DraftStep.choices, default=DraftStep.CONSENT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "网上申请草稿"
        verbose_name_plural = "网上申请草稿"
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(submitted_at__isnull=True),
                                    name="portal_one_open_draft_per_account"),
        ]

    def __str__(self) -> str:
        return f"draft:{self.pk}"


class DraftFile(models.Model):
    """A photo or scan attached to a draft; copied to the case's files on submission, then deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("材料类型", max_length=30, choices=FileKind.choices)
    file = models.FileField(upload_to="portal_drafts/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "草稿材料"
        verbose_name_plural = "草稿材料"

    def __str__(self) -> str:
        return self.original_name


class ConsentSubject(models.TextChoices):
    SELF = "self", "本人"
    RELATIVE = "relative", "被代理的亲属"


class Consent(models.Model):
    """A separate consent to processing sensitive personal data (PIPL art. 29), with the exact text shown."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_consents")
    draft = models.ForeignKey(ApplicationDraft, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="consents")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("同意主体", max_length=20, choices=ConsentSubject.choices)
    purpose = models.CharField("用途", max_length=40)
    text_version = models.CharField("文本版本", max_length=20)
    text = models.TextField("同意文本")
    agreed_at = models.DateTimeField("同意时间")
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["agreed_at", "id"]
        verbose_name = "个人信息处理同意"
        verbose_name_plural = "个人信息处理同意"

    def __str__(self) -> str:
        return f"{self.purpose}:{self.text_version}"


class PortalSubmission(models.Model):
    """Which account submitted a case online, and what it declared. The submitter follows exactly this case."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="portal_submission")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="portal_submissions")
    draft = models.OneToOneField(ApplicationDraft, on_delete=models.PROTECT, related_name="submission")
    submitted_at = models.DateTimeField()
    # For staff only: the typed ID number matched a person already registered (never shown to the applicant).
    matched_existing_applicant = models.BooleanField(default=False)
    matched_existing_agent = models.BooleanField(default=False)
    declared = models.TextField("申报身份（密文）", blank=True, editable=False)
    routing = models.JSONField("受理中心的确定依据", default=dict)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"

    def __str__(self) -> str:
        return f"submission:{self.case_id}"


class RatingStage(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    ACCEPTANCE = "acceptance", "受理审查"
    HANDLING = "handling", "承办"
    CLOSING = "closing", "结案"


class Rating(models.Model):
    """The recipient's rating of one stage of the service (plan point 10: stage evaluations)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="portal_ratings")
    stage = models.CharField("阶段", max_length=20, choices=RatingStage.choices)
    score = models.PositiveSmallIntegerField("评分", validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField("意见", blank=True)
    provider = models.ForeignKey("org.Provider", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="portal_ratings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_ratings")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "by"], name="portal_one_rating_per_stage"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="portal_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["provider", "stage"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.stage}:{self.score}"
