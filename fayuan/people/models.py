"""People: applicants, recipients, relatives. The national ID number and the phone are protected (see
``fayuan.core.crypto``).

Sensitive fields, declared once: ``Person.SENSITIVE_FIELDS`` never appear in logs, URLs or audit details.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from fayuan.core.crypto import ProtectedPhone, decrypt_text


class PersonTag(models.Model):
    """A group a person can belong to (低保, 特困, 农民工 ...): data, so the bureau can add groups."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    description = models.CharField("说明", max_length=200, blank=True)
    legal_basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "人员标签"
        verbose_name_plural = "人员标签"

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Person(ProtectedPhone, models.Model):
    SENSITIVE_FIELDS = ("id_number_encrypted", "id_number_hash", "phone_encrypted", "phone_hash")

    public_id = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("姓名", max_length=60)
    id_number_encrypted = models.TextField("身份证号（密文）", blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    # The phone as the ID number: encrypted, keyed hash for lookup, masked for screens (``ProtectedPhone.phone``).
    phone_encrypted = models.TextField("联系电话（密文）", blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=24, blank=True, editable=False)
    address = models.CharField("住址", max_length=200, blank=True)
    household_registration = models.CharField("户籍地", max_length=200, blank=True)
    tags: models.ManyToManyField[PersonTag, PersonTagging] = models.ManyToManyField(
        PersonTag, through="PersonTagging", verbose_name="标签", related_name="persons"
    )
    intake_center = models.ForeignKey(
        "org.Center", verbose_name="登记中心", on_delete=models.PROTECT, related_name="persons"
    )
    intake_station = models.ForeignKey(
        "org.Station", verbose_name="登记工作站", null=True, blank=True, on_delete=models.PROTECT,
        related_name="persons",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="本人账户", null=True, blank=True, on_delete=models.PROTECT,
        related_name="person",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "人员"
        verbose_name_plural = "人员"
        indexes = [
            models.Index(fields=["intake_center", "name"]), models.Index(fields=["intake_station"]),
            # The people lists, newest first, per center, per station and city-wide (selectors.person_list_ids).
            models.Index(fields=["intake_center", "created_at", "id"], name="person_list_center"),
            models.Index(fields=["intake_station", "created_at", "id"], name="person_list_station"),
            models.Index(fields=["created_at", "id"], name="person_list_city"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_number_hash__isnull=True) | ~Q(id_number_encrypted=""), name="hash_has_ciphertext"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def decrypted_id_number(self) -> str:
        """Plaintext ID number. Call only from ``person_reveal_id_number`` and code that must print it."""
        return decrypt_text(self.id_number_encrypted) if self.id_number_encrypted else ""


class TagSource(models.TextChoices):
    SELF_DECLARED = "self_declared", "本人申报"
    DOCUMENT = "document", "凭证明材料核实"
    AGENCY = "agency", "部门数据共享"


class PersonTagging(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(PersonTag, verbose_name="标签", on_delete=models.PROTECT, related_name="taggings")
    source = models.CharField("来源", max_length=20, choices=TagSource.choices, default=TagSource.SELF_DECLARED)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)

    class Meta:
        verbose_name = "人员标签记录"
        verbose_name_plural = "人员标签记录"
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="uniq_person_tag")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.tag_id}"


class PersonRegistration(ProtectedPhone, models.Model):
    """A center's (or station's) own registration of a person whose ID number was registered elsewhere first.

    A person is one identity city-wide (one row per ID number), but what one center knows of them is not another's
    business: this row makes the person visible to this center's staff and keeps what its clerk typed, which is
    what they see and edit. The first registration's values, tags and cases are neither changed nor shown."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    center = models.ForeignKey("org.Center", verbose_name="登记中心", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("org.Station", verbose_name="登记工作站", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=60)
    phone_encrypted = models.TextField("联系电话（密文）", blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=24, blank=True, editable=False)
    address = models.CharField("住址", max_length=200, blank=True)
    household_registration = models.CharField("户籍地", max_length=200, blank=True)
    tag_codes = models.JSONField("人员类别（本次登记申报）", default=list, blank=True)
    tag_source = models.CharField("来源", max_length=20, choices=TagSource.choices, default=TagSource.SELF_DECLARED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                      related_name="+")
    registered_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "人员登记（其他中心已登记）"
        verbose_name_plural = "人员登记（其他中心已登记）"
        constraints = [
            models.UniqueConstraint(fields=["person", "center", "station"], name="uniq_person_registration_station"),
            models.UniqueConstraint(fields=["person", "center"], condition=Q(station__isnull=True),
                                    name="uniq_person_registration_center"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.center_id}"
