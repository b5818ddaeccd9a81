"""The eligibility engine: pure, versioned, explainable. No database; ``ruleset.py`` loads the rows in force.

Order of reasoning (DOMAIN §3, law arts. 24-25, 31-32, 34, 41-44, plan point 14):
scope (a criminal ground, a catalogue matter, an art. 32 fact, or a group not limited to the catalogue) → whether
a means test is needed at all (a mandatory criminal ground or an art. 32 fact: no) → groups exempt on proof
(art. 42) and green-channel rows that waive the check → the means test itself (household monthly income against
the district's minimum wage × household size, compared exactly) → the green channel's fast track, kept apart from
the means test → aid first (art. 44).
Every step adds a criterion with pass/fail, the figures used, the article it rests on and whether that article's
text is confirmed or still pending.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ENGINE_VERSION = "2026.2"
CENT = Decimal("0.01")

CASE_TYPES = ("criminal", "civil", "administrative", "state_compensation", "non_litigation")
CRIMINAL_STAGES = ("investigation", "prosecution_review", "trial", "death_review")
STAGE_NAMES = {"investigation": "侦查阶段", "prosecution_review": "审查起诉阶段", "trial": "审判阶段",
               "death_review": "死刑复核阶段"}
GROUPS = (
    "minor", "elderly", "disabled", "no_fixed_income", "low_income_allowance", "extreme_poverty", "near_poverty",
    "registered_poor", "migrant_worker", "military_family", "judicial_assistance", "entitled_group", "low_income",
    "orphan", "blind_deaf_mute", "mental_incapacity",
)
FACTS = (
    "domestic_violence", "brave_act", "martyr_honour", "retrial_acquittal_compensation",
    "serious_family_rights_violation", "limitation_within_7_days", "urgent_preservation",
)
GROUP_NAMES = {
    "minor": "未成年人", "elderly": "老年人", "disabled": "残疾人", "no_fixed_income": "无固定生活来源",
    "low_income_allowance": "低保对象", "extreme_poverty": "特困供养人员", "near_poverty": "低保边缘家庭",
    "registered_poor": "建档立卡贫困户", "migrant_worker": "进城务工人员", "military_family": "军人军属",
    "judicial_assistance": "司法救助对象", "entitled_group": "优抚对象", "low_income": "低收入人口",
    "orphan": "孤儿", "blind_deaf_mute": "盲、聋、哑人（视力、听力、言语残疾人）",
    "mental_incapacity": "不能完全辨认或者控制自己行为的人",
}
# The ages the rules turn on, each a dated row (AgeRule): under ``minor_below`` a minor, from ``elderly_from``
# elderly.
MINOR_BELOW, ELDERLY_FROM = "minor_below", "elderly_from"
AGE_CODES = (MINOR_BELOW, ELDERLY_FROM)

NO_MEANS_TEST, AID_FIRST = "no_means_test", "aid_first"
MEANS_TEST_OUTCOMES = ("passed", "failed", "exempt", "not_required", "no_standard")
PENDING_NOTE = "（依据待确认：原文未收入本系统）"


@dataclass(frozen=True)
class MatterRule:
    code: str
    name: str
    basis: str
    pending: bool = False
    specialty: str = ""
    since: dt.date | None = None


@dataclass(frozen=True)
class GroundRule:
    code: str
    name: str
    mandatory: bool
    basis: str
    pending: bool = False
    stages: tuple[str, ...] = ()
    applies_to_groups: tuple[str, ...] = ()
    senior_defender: bool = False
    minor_specialist: bool = False
    specialty: str = "criminal"
    since: dt.date | None = None


@dataclass(frozen=True)
class ExemptionRule:
    code: str
    name: str
    basis: str
    matters: tuple[str, ...] = ()
    requires_groups: tuple[str, ...] = ()
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class FactRuleData:
    code: str
    name: str
    effect: str  # "no_means_test" | "aid_first"
    basis: str
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class GreenRule:
    code: str
    name: str
    basis: str
    groups: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    matters: tuple[str, ...] = ()
    min_age: int | None = None
    waives_means_test: bool = True
    fast_track: bool = True
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class AgeThreshold:
    code: str  # MINOR_BELOW | ELDERLY_FROM
    name: str
    age: int
    basis: str
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class OpenScopeRule:
    code: str
    name: str
    groups: tuple[str, ...]
    basis: str
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class MeansStandardRule:
    name: str
    basis: str
    pending: bool = False
    since: dt.date | None = None


@dataclass(frozen=True)
class WageStandard:
    monthly_amount: Decimal
    effective_from: dt.date
    basis: str


@dataclass(frozen=True)
class RuleSet:
    """Every rule in force on one date for one district. ``wage`` is None when no minimum-wage row covers the date:
    only an application that needs the means test is affected by that."""

    on: dt.date
    wage: WageStandard | None
    matters: tuple[MatterRule, ...]
    grounds: tuple[GroundRule, ...]
    exemptions: tuple[ExemptionRule, ...]
    facts: tuple[FactRuleData, ...]
    green: tuple[GreenRule, ...]
    ages: tuple[AgeThreshold, ...] = ()
    open_scope: tuple[OpenScopeRule, ...] = ()
    means_standard: MeansStandardRule | None = None


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
    # (group code, citation of the registry record that confirms it: source, category, validity, batch date), so
    # the decision names the record it rests on.
    registry_sources: tuple[tuple[str, str], ...] = ()
    criminal_stage: str | None = None  # None: not known (the self-check); rows limited to a stage then apply


@dataclass(frozen=True)
class Criterion:
    code: str
    passed: bool
    basis: str
    explanation: str
    basis_pending: bool = False


@dataclass(frozen=True)
class GreenApplied:
    """A green-channel row that matched, with what it did to this application."""

    code: str
    name: str
    since: dt.date | None
    waives_means_test: bool
    fast_track: bool
    waiver_applied: bool  # the row is why the means test was waived (not merely available)
    basis: str
    basis_pending: bool

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "since": self.since.isoformat() if self.since else None,
                "waives_means_test": self.waives_means_test, "fast_track": self.fast_track,
                "waiver_applied": self.waiver_applied, "basis": self.basis, "basis_pending": self.basis_pending}


@dataclass(frozen=True)
class Result:
    eligible: bool
    means_test: str  # one of MEANS_TEST_OUTCOMES
    green_channel: bool  # the fast track: faster internal deadlines and queue priority
    aid_first: bool
    criteria: tuple[Criterion, ...]
    standard: WageStandard | None
    per_capita_income: Decimal | None
    engine_version: str = ENGINE_VERSION
    derived_groups: frozenset[str] = field(default_factory=frozenset)
    grounds: tuple[str, ...] = ()  # the criminal grounds the case rests on (all of them)
    green_rules: tuple[GreenApplied, ...] = ()
    means_waived_by: tuple[str, ...] = ()  # codes of the criteria that waived the means test

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
            "grounds": list(self.grounds),
            "green_channel_rules": [g.as_dict() for g in self.green_rules],
            "means_test_waived_by": list(self.means_waived_by),
        }


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(codes: Iterable[str]) -> str:
    return "、".join(GROUP_NAMES.get(c, c) for c in sorted(codes))


def _cite(basis: str, pending: bool) -> str:
    """A citation as an explanation shows it: a row whose text is not confirmed says so."""
    return f"{basis}{PENDING_NOTE}" if pending and basis else basis


def _join_bases(items: Sequence[tuple[str, bool]]) -> tuple[str, bool]:
    """Distinct citations in order (each marked when pending), and whether any of them is pending."""
    seen: list[str] = []
    for basis, pending in items:
        cited = _cite(basis, pending)
        if cited and cited not in seen:
            seen.append(cited)
    return "；".join(seen), any(p for _, p in items)


_ARTICLE = re.compile(r"^(.*?第[一二三四五六七八九十百零〇\d]+[条点])")


def _article(basis: str) -> str:
    """The statute and article of a citation, without its paragraph and item: 法律援助法第三十一条."""
    found = _ARTICLE.match(basis)
    return found.group(1) if found else basis


def _derived_groups(applicant: Applicant, rules: RuleSet) -> tuple[frozenset[str], Criterion | None]:
    """Age groups follow from the birth date and the age rows in force; nobody has to tick 'minor' or 'elderly'."""
    if applicant.birth_date is None:
        return frozenset(), None
    age = age_on(applicant.birth_date, rules.on)
    derived: set[str] = set()
    used: list[AgeThreshold] = []
    for threshold in rules.ages:
        if threshold.code == MINOR_BELOW and age < threshold.age:
            derived.add("minor")
            used.append(threshold)
        elif threshold.code == ELDERLY_FROM and age >= threshold.age:
            derived.add("elderly")
            used.append(threshold)
    if not derived:
        return frozenset(), None
    basis, pending = _join_bases([(t.basis, t.pending) for t in used])
    limits = "，".join(f"{t.name}以{t.age}周岁为界" for t in used)
    return frozenset(derived), Criterion("age_group", True, basis,
                                         f"根据出生日期，申请人在{_cn_date(rules.on)}年满{age}周岁，属于{_names(derived)}"
                                         f"（{limits}）。", pending)


def _stage_fits(ground: GroundRule, stage: str | None) -> bool:
    return not ground.stages or stage is None or stage in ground.stages


def _criminal_scope(applicant: Applicant, rules: RuleSet, groups: frozenset[str]
                    ) -> tuple[Criterion, list[GroundRule]]:
    """Every ground the case rests on: the one chosen and those that follow from who the person is."""
    stage = applicant.criminal_stage
    chosen_code = applicant.criminal_ground or "none"
    by_code = {g.code: g for g in rules.grounds}
    notes: list[str] = []
    applicable: list[GroundRule] = []
    chosen = by_code.get(chosen_code)
    if chosen is None:
        notes.append(f"所选情形“{chosen_code}”在{_cn_date(rules.on)}不是现行规则中的刑事援助情形。")
    elif not _stage_fits(chosen, stage):
        where = "、".join(STAGE_NAMES.get(s, s) for s in chosen.stages)
        notes.append(f"“{chosen.name}”在{_cn_date(rules.on)}仅适用于{where}，本案处于"
                     f"{STAGE_NAMES.get(stage or '', stage)}。")
    else:
        applicable.append(chosen)
    derived_from: dict[str, str] = {}
    for ground in rules.grounds:
        hit = set(ground.applies_to_groups) & groups
        if ground in applicable or not hit or not _stage_fits(ground, stage):
            continue
        applicable.append(ground)
        derived_from[ground.code] = _names(hit)
    mandatory = [g for g in applicable if g.mandatory]
    if mandatory:
        parts = [f"“{g.name}”" + (f"（申请人属于{derived_from[g.code]}）" if g.code in derived_from else "")
                 for g in mandatory]
        basis, pending = _join_bases([(g.basis, g.pending) for g in mandatory])
        text = ("".join(notes) + f"属于{'、'.join(parts)}，办案机关应当通知法律援助机构指派律师担任辩护人，"
                "不受经济条件限制。")
        return Criterion("scope", True, basis, text, pending), mandatory
    hardship = next((g for g in applicable if not g.mandatory), None) or next(
        (g for g in rules.grounds if not g.mandatory and _stage_fits(g, stage)), None)
    if hardship is None:
        return Criterion("scope", False, "法律援助法第二十四条、第二十五条",
                         "".join(notes) + "没有可适用的刑事法律援助情形。"), []
    text = "".join(notes) + (f"按“{hardship.name}”审查：犯罪嫌疑人、被告人因经济困难没有委托辩护人的，"
                             "可以申请法律援助，须审查经济困难状况。")
    return Criterion("scope", True, _cite(hardship.basis, hardship.pending), text, hardship.pending), [hardship]


def _civil_scope(applicant: Applicant, rules: RuleSet, groups: frozenset[str],
                 no_test_facts: list[FactRuleData]) -> Criterion:
    matter = next((m for m in rules.matters if m.code == applicant.matter), None)
    if matter is not None:
        return Criterion("scope", True, _cite(matter.basis, matter.pending), f"“{matter.name}”属于法律援助事项范围。",
                         matter.pending)
    if no_test_facts:
        # Art. 32: these applicants are within scope whatever their matter; the catalogue is not asked.
        basis, pending = _join_bases([(f.basis, f.pending) for f in no_test_facts])
        names = "；".join(f.name for f in no_test_facts)
        return Criterion("scope", True, basis, f"{names}：依法可以申请法律援助，不以事项目录为限。", pending)
    open_groups = [o for o in rules.open_scope if set(o.groups) & groups]
    if open_groups:
        basis, pending = _join_bases([(o.basis, o.pending) for o in open_groups])
        names = "、".join(o.name for o in open_groups)
        return Criterion("scope", True, basis, f"申请人属于{names}，申请法律援助不受事项范围限制。", pending)
    if not rules.matters:
        return Criterion("scope", False, "法律援助事项范围", f"{_cn_date(rules.on)}没有现行的法律援助事项目录。")
    articles, _ = _join_bases([(_article(m.basis), False) for m in rules.matters])
    return Criterion("scope", False, articles,
                     "申请事项不在法律援助事项范围内（当日现行的事项目录），也不属于不受事项范围限制的情形。")


def _means(applicant: Applicant, rules: RuleSet) -> tuple[Criterion, Decimal]:
    """The means test, compared exactly: household income against the standard times the household size, so no
    rounding of the per-capita figure can move an applicant across the line."""
    size, income = applicant.household_size, applicant.household_monthly_income
    per_capita = (income / size).quantize(CENT, ROUND_HALF_UP)
    standard = rules.means_standard
    items = [(standard.basis, standard.pending)] if standard else []
    if rules.wage is None:
        basis, pending = _join_bases(items)
        return Criterion("means_test", False, basis or "经济困难标准",
                         f"{_cn_date(rules.on)}没有适用的月最低工资标准，无法进行经济困难审查；"
                         "请在基础数据中补录该行政区当日有效的最低工资标准后重新审查。", pending), per_capita
    limit = rules.wage.monthly_amount
    total_limit = limit * size
    passed = income <= total_limit
    word = "不高于" if passed else "高于"
    basis, pending = _join_bases([*items, (rules.wage.basis, False)])
    text = (
        f"家庭月收入 {income} 元 ÷ {size} 人 = 人均约 {per_capita} 元。按未经四舍五入的数额比较：家庭月收入 {income} 元"
        f"{word}当地月最低工资标准 {limit} 元（{_cn_date(rules.wage.effective_from)}起执行）× {size} 人 = "
        f"{total_limit} 元，即人均月收入{word}当地月最低工资标准。"
    )
    return Criterion("means_test", passed, basis, text, pending), per_capita


def _green_matches(rule: GreenRule, applicant: Applicant, groups: frozenset[str], age: int | None) -> bool:
    """Every condition the row sets must hold; a row that sets none never matches (no blanket waiver)."""
    if not (rule.groups or rule.facts or rule.matters or rule.min_age is not None):
        return False
    if rule.groups and not set(rule.groups) & groups:
        return False
    if rule.facts and not set(rule.facts) & applicant.facts:
        return False
    if rule.matters and applicant.matter not in rule.matters:
        return False
    return rule.min_age is None or (age is not None and age >= rule.min_age)


def _green_text(rule: GreenRule, means_test: str, waiver_applied: bool) -> str:
    since = f"{_cn_date(rule.since)}起执行的" if rule.since else ""
    effects: list[str] = []
    if rule.fast_track:
        effects.append("快速受理、指派、办理（适用绿色通道期限，队列优先）")
    if rule.waives_means_test:
        effects.append("免除经济困难审查" if waiver_applied else "免除经济困难审查（本案本不以经济困难为条件）")
    else:
        effects.append("但不免除经济困难审查，经济困难状况仍按规定审查")
    return f"{rule.name}：适用{since}绿色通道规则“{rule.code}”，{'；'.join(effects)}。"


def evaluate(applicant: Applicant, rules: RuleSet) -> Result:
    derived, age_criterion = _derived_groups(applicant, rules)
    groups = applicant.groups | applicant.registry_groups | derived
    criminal = applicant.case_type == "criminal"
    age = age_on(applicant.birth_date, rules.on) if applicant.birth_date else None

    # Art. 32 facts are about claims of the applicant's own (honour, bravery, compensation, abuse), not defense.
    no_test_facts = [] if criminal else [
        f for f in rules.facts if f.effect == NO_MEANS_TEST and f.code in applicant.facts]
    grounds: list[GroundRule] = []
    if criminal:
        scope, grounds = _criminal_scope(applicant, rules, groups)
    else:
        scope = _civil_scope(applicant, rules, groups, no_test_facts)
    mandatory = [g for g in grounds if g.mandatory]
    exemptions = [
        e for e in rules.exemptions
        if e.code in groups
        and (not e.matters or applicant.matter in e.matters)
        and all(g in groups for g in e.requires_groups)
    ]
    green = [g for g in rules.green if _green_matches(g, applicant, groups, age)] if scope.passed else []
    waivers = [g for g in green if g.waives_means_test]
    aid_first = [f for f in rules.facts if f.effect == AID_FIRST and f.code in applicant.facts]
    means_crit, per_capita = _means(applicant, rules)

    # Precedence: no test at all (mandatory criminal ground, art. 32 facts) > exempt (art. 42 on proof, a green
    # channel row that waives the check) > the test's own outcome (or no standard to test against).
    if mandatory or no_test_facts:
        means_test = "not_required"
    elif exemptions or waivers:
        means_test = "exempt"
    elif rules.wage is None:
        means_test = "no_standard"
    else:
        means_test = "passed" if means_crit.passed else "failed"

    criteria: list[Criterion] = []
    if age_criterion is not None:
        criteria.append(age_criterion)
    criteria.append(scope)
    if means_test in ("passed", "failed", "no_standard"):
        criteria.append(means_crit)
    elif means_test == "not_required":
        why: list[tuple[str, bool]] = [(g.basis, g.pending) for g in mandatory] or [
            (f.basis, f.pending) for f in no_test_facts]
        basis, pending = _join_bases(why)
        criteria.append(Criterion("means_test", True, basis, "本案不以经济困难为条件，无须审查经济困难状况。", pending))
    else:
        basis, pending = _join_bases([(e.basis, e.pending) for e in exemptions] +
                                     [(g.basis, g.pending) for g in waivers])
        criteria.append(Criterion("means_test", True, basis, "免予核查经济困难状况，依据见下列各项。", pending))
    criteria += [Criterion(f"fact:{f.code}", True, _cite(f.basis, f.pending), f"{f.name}，不受经济困难条件的限制。",
                           f.pending)
                 for f in no_test_facts]
    cited = dict(applicant.registry_sources)
    for e in exemptions:
        if e.code in cited:
            source = f"（{cited[e.code]}，部门共享数据已核实）"
        else:
            source = "（部门共享数据已核实）" if e.code in applicant.registry_groups else "（须提交证明材料）"
        criteria.append(Criterion(f"exemption:{e.code}", True, _cite(e.basis, e.pending),
                                  f"申请人属于{e.name}，免予核查经济困难状况{source}。", e.pending))
    waiver_applied = means_test == "exempt"
    applied = tuple(
        GreenApplied(g.code, g.name, g.since, g.waives_means_test, g.fast_track,
                     g.waives_means_test and waiver_applied, _cite(g.basis, g.pending), g.pending)
        for g in green
    )
    criteria += [Criterion(f"green_channel:{g.code}", True, _cite(g.basis, g.pending),
                           _green_text(g, means_test, waiver_applied), g.pending) for g in green]
    criteria += [Criterion(f"aid_first:{f.code}", True, _cite(f.basis, f.pending),
                           f"{f.name}：可以先行提供法律援助，再补办有关手续、补充材料。", f.pending) for f in aid_first]

    waived_by: tuple[str, ...] = ()
    if means_test == "exempt":
        waived_by = tuple([f"exemption:{e.code}" for e in exemptions] + [f"green_channel:{g.code}" for g in waivers])
    return Result(
        eligible=scope.passed and means_test in ("passed", "exempt", "not_required"),
        means_test=means_test,
        green_channel=any(g.fast_track for g in green),
        aid_first=bool(aid_first) and scope.passed,
        criteria=tuple(criteria),
        standard=rules.wage if means_test in ("passed", "failed") else None,
        per_capita_income=per_capita,
        derived_groups=derived,
        grounds=tuple(g.code for g in grounds),
        green_rules=applied,
        means_waived_by=waived_by,
    )
