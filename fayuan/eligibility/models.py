"""The eligibility rules as dated data (law arts. 24-25, 31-32, 42, 44 and the plan's green channel).

Each row says from when to when it holds and what it rests on; the engine (``engine.py``) reads the rows in force
on the application date, so an old case is judged by the rules of its own date.
"""

from __future__ import annotations

from django.db import models

from fayuan.core.dated import DatedRule


class CaseType(models.TextChoices):
    CRIMINAL = "criminal", "刑事"
    CIVIL = "civil", "民事"
    ADMINISTRATIVE = "administrative", "行政"
    STATE_COMPENSATION = "state_compensation", "国家赔偿"
    NON_LITIGATION = "non_litigation", "非诉讼"


class Matter(DatedRule):
    """A civil/administrative matter for which aid may be given (art. 31), or one the city added (plan point 4)."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    is_supplementary = models.BooleanField("本市补充事项", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code", "-effective_from"]
        verbose_name = "援助事项"
        verbose_name_plural = "援助事项目录"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_matter_from")]

    def __str__(self) -> str:
        return self.name


class CriminalGround(DatedRule):
    """Why a suspect or defendant gets a lawyer: a mandatory ground (art. 25) or a hardship application (art. 24)."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    mandatory = models.BooleanField("应当通知辩护（无须经济困难审查）", default=True)
    requires_senior_defender = models.BooleanField("须三年以上刑事辩护经历的律师（第二十六条）", default=False)
    requires_minor_specialist = models.BooleanField("须熟悉未成年人身心特点的律师", default=False)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "刑事援助情形"
        verbose_name_plural = "刑事援助情形"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_ground_from")]

    def __str__(self) -> str:
        return self.name


class ExemptionGroup(DatedRule):
    """A group exempt from the means test on proof (art. 42), possibly only for some matters or with other groups."""

    code = models.SlugField("人群代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    matters = models.JSONField("限于事项", default=list, blank=True, help_text="事项代码列表；留空表示不限")
    requires_groups = models.JSONField(
        "须同时属于", default=list, blank=True, help_text="如无固定生活来源的未成年人、老年人、残疾人"
    )

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "免予经济困难审查人群"
        verbose_name_plural = "免予经济困难审查人群"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_exemption_from")]

    def __str__(self) -> str:
        return self.name


class FactEffect(models.TextChoices):
    NO_MEANS_TEST = "no_means_test", "不受经济困难条件限制（第三十二条）"
    AID_FIRST = "aid_first", "先行提供法律援助（第四十四条）"


class FactRule(DatedRule):
    """A fact of the case that lifts the means test (art. 32) or calls for aid first (art. 44)."""

    code = models.SlugField("事实代码", max_length=40)
    name = models.CharField("名称", max_length=80)
    effect = models.CharField("效果", max_length=20, choices=FactEffect.choices)

    class Meta:
        ordering = ["effect", "code", "-effective_from"]
        verbose_name = "特殊事实规则"
        verbose_name_plural = "特殊事实规则"
        constraints = [models.UniqueConstraint(fields=["code", "effect", "effective_from"], name="uniq_fact_from")]

    def __str__(self) -> str:
        return self.name


class GreenChannelRule(DatedRule):
    """The plan's green channel (point 14): no economic check, fast acceptance, assignment and handling.

    A rule matches when the applicant belongs to any of ``groups`` (or has any of ``facts``), is at least
    ``min_age`` years old when set, and the matter is one of ``matters`` when set.
    """

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=80)
    groups = models.JSONField("人群（任一）", default=list, blank=True)
    facts = models.JSONField("事实（任一）", default=list, blank=True)
    matters = models.JSONField("限于事项", default=list, blank=True)
    min_age = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "绿色通道规则"
        verbose_name_plural = "绿色通道规则"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_green_from")]

    def __str__(self) -> str:
        return self.name
