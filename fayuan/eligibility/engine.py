"""The eligibility engine: pure, versioned, explainable. No database; ``ruleset.py`` loads the rows in force.

Order of reasoning (DOMAIN §3, law arts. 24-25, 31-32, 41-44, plan point 14):
scope (catalogue matter or criminal ground) → means test (household per-capita monthly income at or below the
district's minimum wage in force on the application date) → facts that need no means test (art. 32) → groups
exempt on proof (art. 42) → the plan's green channel → aid first (art. 44).
Every step adds a criterion with pass/fail, the figures used and the article it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ENGINE_VERSION = "2026.1"
CENT = Decimal("0.01")

CASE_TYPES = ("criminal", "civil", "administrative", "state_compensation", "non_litigation")
GROUPS = (
    "minor", "elderly", "disabled", "no_fixed_income", "low_income_allowance", "extreme_poverty", "near_poverty",
    "registered_poor", "migrant_worker", "military_family", "judicial_assistance",
)
FACTS = (
    "domestic_violence", "brave_act", "martyr_honour", "retrial_acquittal_compensation",
    "serious_family_rights_violation", "limitation_within_7_days", "urgent_preservation",
)
GROUP_NAMES = {
    "minor": "未成年人", "elderly": "老年人", "disabled": "残疾人", "no_fixed_income": "无固定生活来源",
    "low_income_allowance": "低保对象", "extreme_poverty": "特困供养人员", "near_poverty": "低保边缘家庭",
    "registered_poor": "建档立卡贫困户", "migrant_worker": "进城务工人员", "military_family": "军人军属、优抚对象",
    "judicial_assistance": "司法救助对象",
}
ADULT_AGE, ELDERLY_AGE = 18, 60


@dataclass(frozen=True)
class MatterRule:
    code: str
    name: str
    basis: str


@dataclass(frozen=True)
class GroundRule:
    code: str
    name: str
    mandatory: bool
    basis: str


@dataclass(frozen=True)
class ExemptionRule:
    code: str
    name: str
    basis: str
    matters: tuple[str, ...] = ()
    requires_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactRuleData:
    code: str
    name: str
    effect: str  # "no_means_test" | "aid_first"
    basis: str


@dataclass(frozen=True)
class GreenRule:
    code: str
    name: str
    basis: str
    groups: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    matters: tuple[str, ...] = ()
    min_age: int | None = None


@dataclass(frozen=True)
class WageStandard:
    monthly_amount: Decimal
    effective_from: dt.date
    basis: str


@dataclass(frozen=True)
class RuleSet:
    """Every rule in force on one date for one district."""

    on: dt.date
    wage: WageStandard
    matters: tuple[MatterRule, ...]
    grounds: tuple[GroundRule, ...]
    exemptions: tuple[ExemptionRule, ...]
    facts: tuple[FactRuleData, ...]
    green: tuple[GreenRule, ...]


@dataclass(frozen=True)
class Applicant:
    case_type: str
    matter: str | None
    criminal_ground: str | None
    birth_date: dt.date | None
    household_size: int
    household_monthly_income: Decimal
    groups: frozenset[str] = frozenset()
    facts: frozenset[str] = frozenset()
    # Groups confirmed from agencies' data (the recipient registry), as opposed to self-declared groups.
    registry_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Criterion:
    code: str
    passed: bool
    basis: str
    explanation: str


@dataclass(frozen=True)
class Result:
    eligible: bool
    means_test: str  # passed | failed | exempt | not_required
    green_channel: bool
    aid_first: bool
    criteria: tuple[Criterion, ...]
    standard: WageStandard | None
    per_capita_income: Decimal | None
    engine_version: str = ENGINE_VERSION
    derived_groups: frozenset[str] = field(default_factory=frozenset)

    def as_dict(self) -> dict[str, object]:
        return {
            "eligible": self.eligible,
            "means_test": self.means_test,
            "green_channel": self.green_channel,
            "aid_first": self.aid_first,
            "criteria": [c.__dict__ for c in self.criteria],
            "standard": None if self.standard is None else {
                "monthly_limit_per_capita": str(self.standard.monthly_amount),
                "effective_from": self.standard.effective_from.isoformat(),
            },
            "per_capita_income": None if self.per_capita_income is None else str(self.per_capita_income),
            "engine_version": self.engine_version,
        }


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _derived_groups(applicant: Applicant, on: dt.date) -> frozenset[str]:
    """Age groups follow from the birth date; nobody has to tick 'minor' or 'elderly'."""
    if applicant.birth_date is None:
        return frozenset()
    age = age_on(applicant.birth_date, on)
    if age < ADULT_AGE:
        return frozenset({"minor"})
    if age >= ELDERLY_AGE:
        return frozenset({"elderly"})
    return frozenset()


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(codes: Iterable[str]) -> str:
    return "、".join(GROUP_NAMES.get(c, c) for c in sorted(codes))


def _scope(applicant: Applicant, rules: RuleSet) -> tuple[Criterion, GroundRule | None]:
    if applicant.case_type == "criminal":
        ground = next((g for g in rules.grounds if g.code == (applicant.criminal_ground or "none")), None)
        if ground is None:
            return Criterion("scope", False, "法律援助法第二十四条、第二十五条",
                             f"刑事案件情形“{applicant.criminal_ground}”不在现行规则中。"), None
        if ground.mandatory:
            text = f"属于“{ground.name}”，办案机关应当通知法律援助机构指派律师担任辩护人，不受经济条件限制。"
        else:
            text = "犯罪嫌疑人、被告人因经济困难没有委托辩护人，可以申请法律援助，须审查经济困难状况。"
        return Criterion("scope", True, ground.basis, text), ground
    matter = next((m for m in rules.matters if m.code == applicant.matter), None)
    if matter is None:
        return Criterion("scope", False, "法律援助法第三十一条",
                         "申请事项不在法律援助事项范围内（法律援助法第三十一条及本市补充事项目录）。"), None
    return Criterion("scope", True, matter.basis, f"“{matter.name}”属于法律援助事项范围。"), None


def _means(applicant: Applicant, rules: RuleSet) -> tuple[Criterion, Decimal]:
    per_capita = (applicant.household_monthly_income / applicant.household_size).quantize(CENT, ROUND_HALF_UP)
    limit = rules.wage.monthly_amount
    passed = per_capita <= limit
    since = _cn_date(rules.wage.effective_from)
    text = (
        f"家庭月收入 {applicant.household_monthly_income} 元 ÷ {applicant.household_size} 人 = 人均 {per_capita} 元，"
        f"{'不高于' if passed else '高于'}当地月最低工资标准 {limit} 元（{since}起执行）。"
    )
    return Criterion("means_test", passed, f"法律援助法第三十四条；{rules.wage.basis}", text), per_capita


def evaluate(applicant: Applicant, rules: RuleSet) -> Result:
    derived = _derived_groups(applicant, rules.on)
    groups = applicant.groups | applicant.registry_groups | derived
    scope, ground = _scope(applicant, rules)
    means_crit, per_capita = _means(applicant, rules)

    no_test_facts = [f for f in rules.facts if f.effect == "no_means_test" and f.code in applicant.facts]
    exemptions = [
        e for e in rules.exemptions
        if e.code in groups
        and (not e.matters or applicant.matter in e.matters)
        and all(g in groups for g in e.requires_groups)
    ]
    green = [g for g in rules.green if _green_matches(g, applicant, groups, rules.on)] if scope.passed else []
    aid_first = [f for f in rules.facts if f.effect == "aid_first" and f.code in applicant.facts]

    # Precedence: no test at all (mandatory criminal ground, art. 32 facts) > exempt (art. 42, green channel) >
    # the test's own outcome.
    if (ground is not None and ground.mandatory) or no_test_facts:
        means_test = "not_required"
    elif exemptions or green:
        means_test = "exempt"
    else:
        means_test = "passed" if means_crit.passed else "failed"

    criteria: list[Criterion] = []
    if derived:
        criteria.append(Criterion("age_group", True, "法律援助法第四十二条第一项",
                                  f"根据出生日期，申请人属于{_names(derived)}。"))
    criteria.append(scope)
    if means_test in ("passed", "failed"):
        criteria.append(means_crit)
    else:
        criteria.append(Criterion("means_test", True, means_crit.basis,
                                  means_crit.explanation + "本案不以经济困难为条件。"))
    criteria += [Criterion(f"fact:{f.code}", True, f.basis, f"{f.name}，不受经济困难条件的限制。")
                 for f in no_test_facts]
    for e in exemptions:
        source = "（部门共享数据已核实）" if e.code in applicant.registry_groups else "（须提交证明材料）"
        criteria.append(Criterion(f"exemption:{e.code}", True, e.basis,
                                  f"申请人属于{e.name}，免予核查经济困难状况{source}。"))
    criteria += [Criterion(f"green_channel:{g.code}", True, g.basis,
                           f"{g.name}：适用绿色通道，免于经济困难审查，优先受理、指派和办理。") for g in green]
    criteria += [Criterion(f"aid_first:{f.code}", True, f.basis,
                           f"{f.name}：可以先行提供法律援助，再补办有关手续、补充材料。") for f in aid_first]

    return Result(
        eligible=scope.passed and means_test != "failed",
        means_test=means_test,
        green_channel=bool(green),
        aid_first=bool(aid_first) and scope.passed,
        criteria=tuple(criteria),
        standard=rules.wage if means_test in ("passed", "failed") else None,
        per_capita_income=per_capita,
        derived_groups=derived,
    )


def _green_matches(rule: GreenRule, applicant: Applicant, groups: frozenset[str], on: dt.date) -> bool:
    if rule.matters and applicant.matter not in rule.matters:
        return False
    if rule.min_age is not None and (applicant.birth_date is None or age_on(applicant.birth_date, on) < rule.min_age):
        return False
    if not rule.groups and not rule.facts:
        return rule.min_age is not None
    return bool(set(rule.groups) & groups) or bool(set(rule.facts) & applicant.facts)
