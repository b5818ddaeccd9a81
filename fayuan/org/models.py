"""Organisation master data: districts, population, minimum wage, centers, stations, staff, providers.

Figures that change over time are dated rows (population by year, minimum wage by effective date,
qualifications with validity), so that any past event is judged by the data of its own date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from fayuan.core.dated import DatedRule

six_digit_code = RegexValidator(r"^\d{6}$", "区划代码应为 6 位数字。")


class DistrictKind(models.TextChoices):
    DISTRICT = "district", "市辖区"
    COUNTY_CITY = "county_city", "县级市"
    FUNCTIONAL_AREA = "functional_area", "功能区"


class District(models.Model):
    code = models.CharField("区划代码", max_length=6, unique=True, validators=[six_digit_code])
    name = models.CharField("名称", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=DistrictKind.choices)
    code_is_official = models.BooleanField(
        "代码为国家行政区划代码", default=True,
        help_text="功能区（如镇江新区）没有国家行政区划代码，使用本市统计代码。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "行政区"
        verbose_name_plural = "行政区"

    def __str__(self) -> str:
        return self.name

    def population_in(self, year: int) -> DistrictPopulation | None:
        """The latest population figure for ``year`` or the closest earlier year."""
        return self.populations.filter(year__lte=year).order_by("-year").first()


class DistrictPopulation(models.Model):
    district = models.ForeignKey(District, verbose_name="行政区", on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField("年份")
    population = models.PositiveIntegerField("常住人口")
    is_estimate = models.BooleanField("估算值", default=False)
    source = models.CharField("来源", max_length=200)

    class Meta:
        ordering = ["district", "-year"]
        verbose_name = "常住人口"
        verbose_name_plural = "常住人口"
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="uniq_population_district_year")]

    def __str__(self) -> str:
        return f"{self.district} {self.year}: {self.population}"


class MinimumWage(DatedRule):
    """Monthly minimum wage of a district: the means-test standard in Jiangsu (per-capita household income)."""

    district = models.ForeignKey(
        District, verbose_name="行政区", on_delete=models.PROTECT, related_name="minimum_wages"
    )
    monthly_amount = models.DecimalField(
        "月最低工资标准（元）", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    tier = models.CharField("档次", max_length=20, blank=True)

    class Meta:
        ordering = ["district", "-effective_from"]
        verbose_name = "最低工资标准"
        verbose_name_plural = "最低工资标准"
        constraints = [
            models.UniqueConstraint(fields=["district", "effective_from"], name="uniq_minwage_district_from"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="minwage_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.monthly_amount} 元（{self.effective_from} 起）"


class CenterLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区（县级市）级"


class Center(models.Model):
    name = models.CharField("名称", max_length=80, unique=True)
    doc_prefix = models.CharField("文书字号前缀", max_length=20, help_text="如“镇法援”，用于文书编号")
    level = models.CharField("级别", max_length=10, choices=CenterLevel.choices)
    district = models.OneToOneField(
        District, verbose_name="所辖行政区", null=True, blank=True, on_delete=models.PROTECT, related_name="center",
        help_text="市中心留空",
    )
    seat_district = models.ForeignKey(
        District, verbose_name="所在地行政区", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="市中心所在的行政区；经济困难标准按中心所在地执行。区级中心可留空（即所辖行政区）。",
    )
    address = models.CharField("地址", max_length=200)
    phone = models.CharField("电话", max_length=40, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "法律援助中心"
        verbose_name_plural = "法律援助中心"
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city", district__isnull=True) | Q(level="district", district__isnull=False),
                name="center_level_matches_district",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def means_test_district(self) -> District | None:
        """Whose minimum wage applies to this center's applicants: its own district, or where it sits."""
        return self.district or self.seat_district


class StationType(models.TextChoices):
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"
    DETENTION_CENTER = "detention_center", "看守所"
    POLICE = "police", "公安机关"
    MILITARY = "military", "部队"
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "团委"
    WOMENS_FEDERATION = "womens_federation", "妇联"
    ELDERLY_ASSOCIATION = "elderly_association", "老龄委"
    DISABLED_FEDERATION = "disabled_federation", "残联"
    HR_BUREAU = "hr_bureau", "人社局"
    UNIVERSITY = "university", "高校"
    PRISON = "prison", "监狱"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    COMMUNITY_POINT = "community_point", "村（社区）联络点"


class StationKind(models.TextChoices):
    STATION = "station", "工作站"
    CONTACT_POINT = "contact_point", "联络点"


class Station(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    type = models.CharField("类型", max_length=30, choices=StationType.choices)
    kind = models.CharField("性质", max_length=20, choices=StationKind.choices, default=StationKind.STATION)
    center = models.ForeignKey(Center, verbose_name="上级中心", on_delete=models.PROTECT, related_name="stations")
    district = models.ForeignKey(District, verbose_name="所在行政区", on_delete=models.PROTECT, related_name="stations")
    address = models.CharField("地址", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    coordinates_approximate = models.BooleanField("坐标为近似值", default=False)
    opening_hours = models.CharField("开放时间", max_length=120, default="工作日 8:30-12:00，14:00-17:30")
    phone = models.CharField("电话", max_length=40, blank=True)
    has_duty_lawyer = models.BooleanField("设值班律师", default=False)
    active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["district__sort_order", "type", "name"]
        verbose_name = "工作站/联络点"
        verbose_name_plural = "工作站/联络点"

    def __str__(self) -> str:
        return self.name


class OrganKind(models.TextChoices):
    POLICE = "police", "公安机关"
    PROCURATORATE = "procuratorate", "人民检察院"
    COURT = "court", "人民法院"
    DETENTION_CENTER = "detention_center", "看守所"


class OrganLevel(models.TextChoices):
    BASIC = "basic", "区、县级"
    CITY = "city", "市级"


class Organ(models.Model):
    """A case-handling organ (办案机关) of the city: a police bureau, a procuratorate, a court or a detention center.
    Its liaison accounts act for it alone; its notices go to ``center``, the legal aid center of where it sits
    (a city-level organ to the city center)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=OrganKind.choices)
    level = models.CharField("级别", max_length=10, choices=OrganLevel.choices, default=OrganLevel.BASIC)
    district = models.ForeignKey(District, verbose_name="所在行政区", on_delete=models.PROTECT, related_name="organs")
    center = models.ForeignKey(Center, verbose_name="对口法律援助中心", on_delete=models.PROTECT, related_name="organs",
                               help_text="本机关的通知辩护、转交申请送达的中心")
    station = models.OneToOneField(
        Station, verbose_name="驻本机关的工作站", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organ",
        help_text="设在本机关的法律援助工作站或值班律师工作站",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["kind", "level", "name"]
        verbose_name = "办案机关"
        verbose_name_plural = "办案机关"

    def __str__(self) -> str:
        return self.name


class QualificationKind(models.TextChoices):
    LEGAL_PROFESSION = "legal_profession", "法律职业资格"
    LAWYER_LICENSE = "lawyer_license", "律师执业证"
    PUBLIC_LAWYER_LICENSE = "public_lawyer_license", "公职律师证"
    LEGAL_AID_PERMIT = "legal_aid_permit", "法律援助工作证"


class Staff(models.Model):
    name = models.CharField("姓名", max_length=40)
    center = models.ForeignKey(Center, verbose_name="所在中心", on_delete=models.PROTECT, related_name="staff")
    position = models.CharField("职务", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["center", "name"]
        verbose_name = "中心工作人员"
        verbose_name_plural = "中心工作人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.center}）"

    def holds(self, kind: str, on: dt.date) -> bool:
        return any(q.kind == kind and q.valid_on(on) for q in self.qualifications.all())


class QualificationQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> QualificationQuerySet:
        """The rows ``StaffQualification.valid_on`` holds valid on ``day``, as a query (a country's dashboard reads
        thousands of them)."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class StaffQualification(models.Model):
    staff = models.ForeignKey(Staff, verbose_name="工作人员", on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField("资格类型", max_length=30, choices=QualificationKind.choices)
    number = models.CharField("证书编号", max_length=40, blank=True)
    valid_from = models.DateField("取得日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="不含当日；留空表示长期有效")

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["staff", "kind"]
        verbose_name = "资格证书"
        verbose_name_plural = "资格证书"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class FirmKind(models.TextChoices):
    LAW_FIRM = "law_firm", "律师事务所"
    LEGAL_SERVICE_OFFICE = "legal_service_office", "基层法律服务所"


class Firm(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=30, choices=FirmKind.choices)
    district = models.ForeignKey(District, verbose_name="所在行政区", on_delete=models.PROTECT, related_name="firms")
    license_number = models.CharField("执业许可证号", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        ordering = ["district__sort_order", "name"]
        verbose_name = "执业机构"
        verbose_name_plural = "执业机构"

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = "业务专长"
        verbose_name_plural = "业务专长"

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = "语言/方言"
        verbose_name_plural = "语言/方言"

    def __str__(self) -> str:
        return self.name


class ProviderKind(models.TextChoices):
    LAWYER = "lawyer", "律师"
    GRASSROOTS_WORKER = "grassroots_worker", "基层法律服务工作者"
    VOLUNTEER = "volunteer", "法律援助志愿者"
    CENTER_STAFF = "center_staff", "中心具有资格的工作人员"


def _full_years(since: dt.date | None, on: dt.date) -> int:
    if since is None or since > on:
        return 0
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


class Provider(models.Model):
    name = models.CharField("姓名", max_length=40)
    kind = models.CharField("类型", max_length=30, choices=ProviderKind.choices)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")], blank=True)
    firm = models.ForeignKey(
        Firm, verbose_name="执业机构", null=True, blank=True, on_delete=models.PROTECT, related_name="providers"
    )
    staff = models.OneToOneField(
        Staff, verbose_name="对应中心工作人员", null=True, blank=True, on_delete=models.PROTECT, related_name="provider"
    )
    home_center = models.ForeignKey(
        Center, verbose_name="主要服务中心", on_delete=models.PROTECT, related_name="providers"
    )
    license_number = models.CharField("执业证号", max_length=40, blank=True)
    practice_since = models.DateField("执业起始日期", null=True, blank=True)
    criminal_defense_since = models.DateField("从事刑事辩护起始日期", null=True, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name="业务专长", blank=True, related_name="providers")
    languages = models.ManyToManyField(Language, verbose_name="语言/方言", blank=True, related_name="providers")
    familiar_with_minors = models.BooleanField("熟悉未成年人身心特点", default=False)
    excellent_team = models.BooleanField("名优律师团成员", default=False)
    criminal_pool = models.BooleanField("刑事辩护律师库成员", default=False)
    capacity = models.PositiveSmallIntegerField("最大在办案件数", default=8, validators=[MinValueValidator(1)])
    phone = models.CharField("联系电话", max_length=40, blank=True)
    active = models.BooleanField("在册", default=True)

    class Meta:
        ordering = ["home_center", "name"]
        verbose_name = "法律援助人员"
        verbose_name_plural = "法律援助人员"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="lawyer") | ~Q(license_number=""), name="lawyer_has_license_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def years_of_practice(self, on: dt.date) -> int:
        return _full_years(self.practice_since, on)

    def years_of_criminal_defense(self, on: dt.date) -> int:
        return _full_years(self.criminal_defense_since, on)


class DefensePoolCriterionCode(models.TextChoices):
    LAWYER = "lawyer", "须为执业律师"
    CRIMINAL_YEARS = "min_criminal_years", "最低刑事辩护执业年限"
    TRAINING_HOURS = "min_training_hours", "近一年刑事辩护培训学时"
    NO_RECENT_SANCTION = "no_recent_sanction", "近若干年无处分"


class DefensePoolCriterion(DatedRule):
    """One admission criterion of the criminal-defense pool (刑事辩护法律援助律师库, plan point 3) in force over its
    dates. ``threshold`` is in years or hours, as the code says. ``local_default``: the city's own practice
    (本地做法), not a statute; the bureau changes it by ending the row and adding another."""

    code = models.CharField("条件", max_length=30, choices=DefensePoolCriterionCode.choices)
    threshold = models.PositiveSmallIntegerField("标准（年或学时）", null=True, blank=True)
    local_default = models.BooleanField("本地做法（默认值）", default=False)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "刑事辩护律师库入库条件"
        verbose_name_plural = "刑事辩护律师库入库条件"
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="defense_pool_criterion_code_from"),
            models.CheckConstraint(condition=Q(code="lawyer") | Q(threshold__isnull=False),
                                   name="defense_pool_criterion_threshold_set"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}（{self.effective_from} 起）"

    @property
    def basis_label(self) -> str:
        return f"本地做法：{self.legal_basis}" if self.local_default else self.legal_basis


class DefensePoolMember(models.Model):
    """A lawyer in the criminal-defense pool from ``admitted_on`` up to (excluding) ``left_on``. A criminal case is
    assigned only to a member on the assignment day (``cases.assignment_rules``). ``Provider.criminal_pool`` mirrors
    whether an open membership exists; only the pool services write either."""

    provider = models.ForeignKey(Provider, verbose_name="律师", on_delete=models.PROTECT,
                                 related_name="defense_pool_memberships")
    admitted_on = models.DateField("入库日期")
    left_on = models.DateField("出库日期", null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField("近一年刑事辩护培训学时", default=0)
    last_sanction_on = models.DateField("最近一次处分日期", null=True, blank=True)
    criteria_check = models.TextField("入库条件审查", blank=True)
    # Empty only for memberships carried over from the former yes/no mark (migration 0006).
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准入库", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    left_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理出库", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    left_reason = models.CharField("出库原因", max_length=200, blank=True)

    class Meta:
        ordering = ["provider__name", "-admitted_on"]
        verbose_name = "刑事辩护律师库成员"
        verbose_name_plural = "刑事辩护律师库成员"
        constraints = [
            models.UniqueConstraint(fields=["provider"], condition=Q(left_on__isnull=True),
                                    name="defense_pool_one_open_membership"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=F("admitted_on")),
                                   name="defense_pool_left_after_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}（{self.admitted_on} 入库）"

    def member_on(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.left_on is None or day < self.left_on)
