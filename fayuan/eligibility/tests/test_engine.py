"""The pure engine against hand-written rules: examples for each article, then properties over random input."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fayuan.eligibility import engine as e

ON = dt.date(2026, 3, 1)
RULES = e.RuleSet(
    on=ON,
    wage=e.WageStandard(Decimal("2660.00"), dt.date(2026, 1, 1), "江苏省最低工资标准（一类）"),
    matters=(e.MatterRule("wages", "请求支付劳动报酬", "法律援助法第三十一条第五项"),
             e.MatterRule("support_elderly", "请求给付赡养费", "法律援助法第三十一条第四项"),
             e.MatterRule("work_injury", "请求工伤事故人身损害赔偿", "法律援助法第三十一条第七项")),
    grounds=(e.GroundRule("minor", "未成年人", True, "法律援助法第二十五条第一款第一项"),
             e.GroundRule("none", "经济困难", False, "法律援助法第二十四条")),
    exemptions=(e.ExemptionRule("low_income_allowance", "低保对象", "法律援助法第四十二条第二项"),
                e.ExemptionRule("elderly", "无固定生活来源的老年人", "法律援助法第四十二条第一项", (),
                                ("no_fixed_income",)),
                e.ExemptionRule("migrant_worker", "进城务工人员", "法律援助法第四十二条第三项",
                                ("wages", "work_injury"))),
    facts=(e.FactRuleData("domestic_violence", "家庭暴力受害人", "no_means_test", "法律援助法第三十二条第四项"),
           e.FactRuleData("limitation_within_7_days", "时效不足七日", "aid_first", "法律援助法第四十四条")),
    green=(e.GreenRule("migrant_wages", "农民工讨薪", "工作要点第十四点", groups=("migrant_worker",),
                       matters=("wages", "work_injury")),
           e.GreenRule("elderly_support", "七十五岁以上老人追索赡养费", "工作要点第十四点",
                       matters=("support_elderly",), min_age=75),
           # A fast track without the waiver: the two effects are separate.
           e.GreenRule("disabled_fast", "残疾人优先办理", "本地规则", groups=("disabled",), waives_means_test=False)),
    ages=(e.AgeThreshold("minor_below", "未成年人", 18, "未成年人年龄"),
          e.AgeThreshold("elderly_from", "老年人", 60, "老年人年龄")),
)


def applicant(**kw):
    base = {"case_type": "civil", "matter": "wages", "criminal_ground": None, "birth_date": dt.date(1980, 1, 1),
            "household_size": 3, "household_monthly_income": Decimal("9000"), "groups": frozenset(),
            "facts": frozenset()}
    base.update(kw)
    return e.Applicant(**base)


def codes(result):
    return {c.code: c for c in result.criteria}


def test_means_test_passes_at_exactly_the_wage():
    r = e.evaluate(applicant(household_monthly_income=Decimal("7980.00")), RULES)  # 2660 × 3
    assert (r.eligible, r.means_test, r.per_capita_income) == (True, "passed", Decimal("2660.00"))
    assert r.standard == RULES.wage
    assert "2660.00 元" in codes(r)["means_test"].explanation


def test_means_test_fails_one_cent_above():
    r = e.evaluate(applicant(household_monthly_income=Decimal("7980.03")), RULES)
    assert (r.eligible, r.means_test) == (False, "failed")
    assert not codes(r)["means_test"].passed
    assert "江苏省最低工资标准" in codes(r)["means_test"].basis


def test_out_of_scope_matter_is_not_eligible_whatever_the_income():
    r = e.evaluate(applicant(matter="contract_dispute", household_monthly_income=Decimal("0")), RULES)
    assert not r.eligible and not codes(r)["scope"].passed
    assert "第三十一条" in codes(r)["scope"].basis


def test_low_income_allowance_is_exempt_on_proof():
    r = e.evaluate(applicant(groups=frozenset({"low_income_allowance"})), RULES)
    assert (r.eligible, r.means_test, r.standard) == (True, "exempt", None)
    assert "须提交证明材料" in codes(r)["exemption:low_income_allowance"].explanation


def test_registry_record_exempts_without_documents():
    r = e.evaluate(applicant(registry_groups=frozenset({"low_income_allowance"})), RULES)
    assert r.means_test == "exempt"
    assert "部门共享数据已核实" in codes(r)["exemption:low_income_allowance"].explanation


def test_elderly_exemption_needs_no_fixed_income_too():
    old = dt.date(1950, 1, 1)
    assert e.evaluate(applicant(birth_date=old), RULES).means_test == "failed"
    r = e.evaluate(applicant(birth_date=old, groups=frozenset({"no_fixed_income"})), RULES)
    assert r.means_test == "exempt" and "elderly" in r.derived_groups


def test_migrant_worker_exemption_only_for_wages_and_work_injury():
    assert e.evaluate(applicant(groups=frozenset({"migrant_worker"})), RULES).means_test == "exempt"
    r = e.evaluate(applicant(matter="support_elderly", groups=frozenset({"migrant_worker"})), RULES)
    assert r.means_test == "failed"


def test_migrant_worker_wages_take_the_green_channel():
    r = e.evaluate(applicant(groups=frozenset({"migrant_worker"})), RULES)
    assert r.green_channel and "green_channel:migrant_wages" in codes(r)


def test_elderly_support_green_channel_starts_at_75():
    young_old = e.evaluate(applicant(matter="support_elderly", birth_date=dt.date(1952, 3, 2)), RULES)  # 73
    assert not young_old.green_channel
    r = e.evaluate(applicant(matter="support_elderly", birth_date=dt.date(1951, 3, 1)), RULES)  # 75 today
    assert r.green_channel and r.means_test == "exempt" and r.eligible


def test_domestic_violence_needs_no_means_test():
    r = e.evaluate(applicant(facts=frozenset({"domestic_violence"})), RULES)
    assert (r.eligible, r.means_test) == (True, "not_required")


def test_mandatory_criminal_ground_needs_no_means_test():
    r = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="minor"), RULES)
    assert (r.eligible, r.means_test) == (True, "not_required")
    assert "第二十五条" in codes(r)["scope"].basis


def test_criminal_hardship_application_takes_the_means_test():
    r = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="none"), RULES)
    assert (r.eligible, r.means_test) == (False, "failed")


def test_limitation_within_7_days_means_aid_first():
    r = e.evaluate(applicant(facts=frozenset({"limitation_within_7_days"}), household_monthly_income=Decimal(0)),
                   RULES)
    assert r.aid_first and r.eligible


def test_minor_is_derived_from_birth_date():
    r = e.evaluate(applicant(birth_date=dt.date(2010, 3, 2)), RULES)  # 15 on ON
    assert "minor" in r.derived_groups and codes(r)["age_group"].passed


# --- properties -----------------------------------------------------------------------------------------------
money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
applicants = st.builds(
    applicant,
    case_type=st.sampled_from(["civil", "administrative", "criminal"]),
    matter=st.sampled_from(["wages", "support_elderly", "work_injury", "unknown", None]),
    criminal_ground=st.sampled_from(["minor", "none", "nonsense", None]),
    birth_date=st.one_of(st.none(), st.dates(min_value=dt.date(1920, 1, 1), max_value=ON)),
    household_size=st.integers(min_value=1, max_value=12),
    household_monthly_income=money,
    groups=st.frozensets(st.sampled_from(e.GROUPS)),
    facts=st.frozensets(st.sampled_from(e.FACTS)),
)


# Shared CI machines are slow at times: generation speed and per-example timing are not what these tests check.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@relaxed
@given(applicants)
def test_every_result_explains_itself(a):
    r = e.evaluate(a, RULES)
    assert r.means_test in set(e.MEANS_TEST_OUTCOMES)
    assert r.criteria and all(c.basis and c.explanation for c in r.criteria)
    scope = codes(r)["scope"]
    assert r.eligible == (scope.passed and r.means_test != "failed")
    assert (r.standard is not None) == (r.means_test in {"passed", "failed"})


@relaxed
@given(applicants, money)
def test_lower_income_never_makes_an_applicant_ineligible(a, lower):
    richer = e.evaluate(a, RULES)
    income = min(lower, a.household_monthly_income)
    poorer = e.evaluate(e.Applicant(**{**a.__dict__, "household_monthly_income": income}), RULES)
    assert poorer.eligible or not richer.eligible


@relaxed
@given(applicants, st.sampled_from(e.GROUPS))
def test_adding_a_group_never_makes_an_applicant_ineligible(a, group):
    before = e.evaluate(a, RULES)
    after = e.evaluate(e.Applicant(**{**a.__dict__, "groups": a.groups | {group}}), RULES)
    assert after.eligible or not before.eligible


@relaxed
@given(applicants)
def test_a_waiving_green_row_implies_no_economic_check_and_says_which(a):
    r = e.evaluate(a, RULES)
    if any(g.waives_means_test for g in r.green_rules):
        assert r.means_test in {"exempt", "not_required"}
    if r.means_test == "exempt":
        assert r.means_waived_by and all(code in codes(r) for code in r.means_waived_by)
    assert r.green_channel == any(g.fast_track for g in r.green_rules)


def test_fast_track_without_waiver_keeps_the_means_test():
    r = e.evaluate(applicant(matter="support_elderly", groups=frozenset({"disabled"})), RULES)
    assert r.green_channel and r.means_test == "failed" and not r.eligible
    assert "不免除经济困难审查" in codes(r)["green_channel:disabled_fast"].explanation
    assert r.green_rules[0].waiver_applied is False


def test_a_green_row_needs_every_condition_and_at_least_one():
    # A migrant worker claiming support is not in the wages row; a row without conditions never matches.
    assert not e.evaluate(applicant(matter="support_elderly", groups=frozenset({"migrant_worker"})),
                          RULES).green_channel
    blanket = e.GreenRule("everyone", "所有人", "无")
    rules = RuleSet_with(green=(blanket,))
    assert not e.evaluate(applicant(), rules).green_channel


def test_per_capita_is_compared_exactly_not_after_rounding():
    # 7980.01 / 3 = 2660.0033…, which rounds to 2660.00 but is above the standard.
    r = e.evaluate(applicant(household_monthly_income=Decimal("7980.01")), RULES)
    assert (r.eligible, r.means_test, r.per_capita_income) == (False, "failed", Decimal("2660.00"))
    assert "高于当地月最低工资标准 2660.00 元" in codes(r)["means_test"].explanation
    assert "7980.00 元" in codes(r)["means_test"].explanation


def test_no_wage_row_blocks_only_the_means_test():
    rules = RuleSet_with(wage=None)
    tested = e.evaluate(applicant(), rules)
    assert (tested.eligible, tested.means_test) == (False, "no_standard")
    assert "没有适用的月最低工资标准" in codes(tested)["means_test"].explanation
    minor = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="minor"), rules)
    assert (minor.eligible, minor.means_test) == (True, "not_required")
    violence = e.evaluate(applicant(facts=frozenset({"domestic_violence"})), rules)
    assert (violence.eligible, violence.means_test) == (True, "not_required")


def test_an_art_32_fact_is_within_scope_without_a_catalogue_matter():
    r = e.evaluate(applicant(matter="other", facts=frozenset({"domestic_violence"})), RULES)
    assert r.eligible and codes(r)["scope"].passed and "第三十二条" in codes(r)["scope"].basis


def test_a_minor_facing_a_life_sentence_rests_on_both_grounds():
    rules = RuleSet_with(grounds=(
        e.GroundRule("minor", "未成年人", True, "法律援助法第二十五条第一款第一项", applies_to_groups=("minor",),
                     minor_specialist=True),
        e.GroundRule("life_or_death", "可能被判处无期徒刑、死刑的人", True, "法律援助法第二十六条",
                     senior_defender=True),
        e.GroundRule("none", "经济困难", False, "法律援助法第二十四条")))
    r = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="life_or_death",
                             birth_date=dt.date(2009, 5, 1)), rules)
    assert r.grounds == ("life_or_death", "minor") and r.means_test == "not_required"
    assert "第二十六条" in codes(r)["scope"].basis and "第一项" in codes(r)["scope"].basis


def test_a_ground_limited_to_trial_falls_back_to_a_hardship_application():
    rules = RuleSet_with(grounds=(
        e.GroundRule("minor", "未成年被告人", True, "法律援助条例第十二条第二款", stages=("trial",),
                     applies_to_groups=("minor",)),
        e.GroundRule("none", "经济困难", False, "法律援助条例第十一条第一项")))
    early = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="minor",
                                 criminal_stage="investigation", birth_date=dt.date(2010, 5, 1)), rules)
    assert early.grounds == ("none",) and early.means_test == "failed"
    assert "仅适用于审判阶段" in codes(early)["scope"].explanation
    trial = e.evaluate(applicant(case_type="criminal", matter=None, criminal_ground="minor",
                                 criminal_stage="trial", birth_date=dt.date(2010, 5, 1)), rules)
    assert trial.means_test == "not_required"


def test_a_pending_row_says_so_in_the_explanation():
    rules = RuleSet_with(matters=(e.MatterRule("school_bullying", "校园欺凌", "江苏省法律援助条例", pending=True),))
    r = e.evaluate(applicant(matter="school_bullying"), rules)
    assert codes(r)["scope"].basis_pending and "依据待确认" in codes(r)["scope"].basis


def RuleSet_with(**changes):
    import dataclasses

    return dataclasses.replace(RULES, **changes)


@pytest.mark.parametrize("size", [1, 3, 7])
def test_per_capita_is_rounded_to_the_cent(size):
    r = e.evaluate(applicant(household_size=size, household_monthly_income=Decimal("1000.00")), RULES)
    assert r.per_capita_income == (Decimal("1000.00") / size).quantize(Decimal("0.01"))
