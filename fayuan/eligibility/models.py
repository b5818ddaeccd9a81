"""The eligibility rules as dated data (law arts. 24-25, 31-32, 42, 44 and the plan's green channel).

Each row says from when to when it holds, what it rests on (citation, the quoted words, and whether that text is
confirmed or pending); the engine (``engine.py``) reads the rows in force on the application date, so an old case
is judged by the rules of its own date.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from fayuan.core.dated import SourcedRule

from . import engine


class CaseType(models.TextChoices):
    CRIMINAL = "criminal", "刑事"
    CIVIL = "civil", "民事"
    ADMINISTRATIVE = "administrative", "行政"
    STATE_COMPENSATION = "state_compensation", "国家赔偿"
    NON_LITIGATION = "non_litigation", "非诉讼"


def _check_codes(field: str, values: object, known: Iterable[str], what: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError({field: "请填写代码列表，如 [\"migrant_worker\"]。"})
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValidationError({field: f"未知的{what}代码：{'、'.join(unknown)}"})


GROUP_HELP = "人群代码：" + "、".join(f"{c}（{n}）" for c, n in engine.GROUP_NAMES.items())
FACT_HELP = "事实代码：" + "、".join(engine.FACTS)


class Matter(SourcedRule):
    """A civil/administrative matter for which aid may be given (art. 31), or one the province or city added."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    is_supplementary = models.BooleanField("本市补充事项", default=False)
    specialty = models.SlugField(
        "对应业务专长", max_length=40, blank=True,
        help_text="轮派时优先指派具有该专长的承办人员（承办人员专长代码，如 labour）；留空表示不限",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code", "-effective_from"]
        verbose_name = "援助事项"
        verbose_name_plural = "援助事项目录"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_matter_from")]

    def __str__(self) -> str:
        return self.name


class CriminalGround(SourcedRule):
    """Why a suspect or defendant gets a lawyer: a mandatory ground (law art. 25; before 2022 the Criminal Procedure
    Law and the 2003 Regulation) or a hardship application (art. 24). A ground may follow from who the person is
    (``applies_to_groups``: a minor, a blind, deaf or mute person), so one case can rest on several grounds."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=80)
    mandatory = models.BooleanField("应当通知辩护（无须经济困难审查）", default=True)
    stages = models.JSONField(
        "适用诉讼阶段", default=list, blank=True,
        help_text="诉讼阶段代码列表（investigation、prosecution_review、trial、death_review）；留空表示各阶段均适用",
    )
    applies_to_groups = models.JSONField(
        "申请人属于下列人群时自动适用", default=list, blank=True, help_text=GROUP_HELP,
    )
    requires_senior_defender = models.BooleanField("须三年以上相关执业经历的律师（法律援助法第二十六条）",
                                                   default=False)
    requires_minor_specialist = models.BooleanField(
        "须熟悉未成年人身心特点的律师（最高人民法院刑诉法解释第五百六十四条）", default=False)
    specialty = models.SlugField("对应业务专长", max_length=40, blank=True, default="criminal")

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "刑事援助情形"
        verbose_name_plural = "刑事援助情形"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_ground_from")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_codes("applies_to_groups", self.applies_to_groups, engine.GROUPS, "人群")
        _check_codes("stages", self.stages, engine.CRIMINAL_STAGES, "诉讼阶段")


class ExemptionGroup(SourcedRule):
    """A group exempt from the means test on proof (art. 42), possibly only for some matters or with other groups."""

    code = models.SlugField("人群代码", max_length=40, help_text=GROUP_HELP)
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

    def clean(self) -> None:
        _check_codes("code", [self.code], engine.GROUPS, "人群")
        _check_codes("requires_groups", self.requires_groups, engine.GROUPS, "人群")


class FactEffect(models.TextChoices):
    NO_MEANS_TEST = "no_means_test", "不受经济困难条件限制（第三十二条）"
    AID_FIRST = "aid_first", "先行提供法律援助（第四十四条）"


class FactRule(SourcedRule):
    """A fact of the case that lifts the means test and brings the case within scope on its own (art. 32), or calls
    for aid first (art. 44)."""

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

    def clean(self) -> None:
        _check_codes("code", [self.code], engine.FACTS, "事实")


class GreenChannelRule(SourcedRule):
    """One group of the plan's green channel (point 14), with its conditions and its two separate effects.

    A row matches only when every condition it sets holds: the applicant belongs to any of ``groups``, has any of
    ``facts``, the matter is one of ``matters``, and is at least ``min_age``; a row that sets no condition never
    matches. ``waives_means_test`` lifts the economic check; ``fast_track`` puts the case on the faster internal
    deadlines and first in the queues. A case can be fast-tracked without being exempted.
    """

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=80)
    groups = models.JSONField("人群（任一）", default=list, blank=True, help_text=GROUP_HELP)
    facts = models.JSONField("事实（任一）", default=list, blank=True, help_text=FACT_HELP)
    matters = models.JSONField("限于事项", default=list, blank=True, help_text="事项代码列表；留空表示不限")
    min_age = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    waives_means_test = models.BooleanField("免除经济困难审查", default=False)
    fast_track = models.BooleanField("快速受理、指派、办理（绿色通道期限，队列优先）", default=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "绿色通道规则"
        verbose_name_plural = "绿色通道规则"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_green_from")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_codes("groups", self.groups, engine.GROUPS, "人群")
        _check_codes("facts", self.facts, engine.FACTS, "事实")
        if not (self.groups or self.facts or self.matters or self.min_age is not None):
            raise ValidationError("请至少设定一个条件（人群、事实、事项或最低年龄）；绿色通道不是对所有人的豁免。")
        if not (self.waives_means_test or self.fast_track):
            raise ValidationError("请至少选择一种效果（免除经济困难审查或快速办理）。")


class AgeRule(SourcedRule):
    """An age the rules turn on: under ``minor_below`` a person is a minor, from ``elderly_from`` elderly."""

    code = models.SlugField("代码", max_length=40, help_text=f"代码：{'、'.join(engine.AGE_CODES)}")
    name = models.CharField("名称", max_length=60)
    age = models.PositiveSmallIntegerField("年龄（周岁）")

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "年龄标准"
        verbose_name_plural = "年龄标准"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_age_from")]

    def __str__(self) -> str:
        return f"{self.name}（{self.age}周岁）"

    def clean(self) -> None:
        _check_codes("code", [self.code], engine.AGE_CODES, "年龄标准")


class OpenScopeGroup(SourcedRule):
    """A group whose applications are not limited to the matter catalogue (Jiangsu regulation 2024: six special
    groups, among them low-income people and orphans)."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=80)
    groups = models.JSONField("人群（任一）", default=list, help_text=GROUP_HELP)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "不受事项范围限制的人群"
        verbose_name_plural = "不受事项范围限制的人群"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_open_scope_from")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_codes("groups", self.groups, engine.GROUPS, "人群")
        if not self.groups:
            raise ValidationError({"groups": "请至少填写一个人群代码。"})


class MeansStandard(SourcedRule):
    """What the economic-hardship standard is and what sets it (law art. 34: the province; Jiangsu: the local
    monthly minimum wage). The amounts themselves are the district minimum-wage rows."""

    code = models.SlugField("代码", max_length=40, default="minimum_wage")
    name = models.CharField("名称", max_length=80)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "经济困难标准"
        verbose_name_plural = "经济困难标准"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_means_standard_from")]

    def __str__(self) -> str:
        return self.name
