"""The pure engine against hand-written rules: examples for each article, then properties over random input."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
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
                       matters=("support_elderly",), min_age=75)),
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


@given(applicants)
def test_every_result_explains_itself(a):
    r = e.evaluate(a, RULES)
    assert r.means_test in {"passed", "failed", "exempt", "not_required"}
    assert r.criteria and all(c.basis and c.explanation for c in r.criteria)
    scope = codes(r)["scope"]
    assert r.eligible == (scope.passed and r.means_test != "failed")
    assert (r.standard is not None) == (r.means_test in {"passed", "failed"})


@given(applicants, money)
def test_lower_income_never_makes_an_applicant_ineligible(a, lower):
    richer = e.evaluate(a, RULES)
    income = min(lower, a.household_monthly_income)
    poorer = e.evaluate(e.Applicant(**{**a.__dict__, "household_monthly_income": income}), RULES)
    assert poorer.eligible or not richer.eligible


@given(applicants, st.sampled_from(e.GROUPS))
def test_adding_a_group_never_makes_an_applicant_ineligible(a, group):
    before = e.evaluate(a, RULES)
    after = e.evaluate(e.Applicant(**{**a.__dict__, "groups": a.groups | {group}}), RULES)
    assert after.eligible or not before.eligible


@given(applicants)
def test_green_channel_implies_no_economic_check(a):
    r = e.evaluate(a, RULES)
    if r.green_channel:
        assert r.means_test in {"exempt", "not_required"}


@pytest.mark.parametrize("size", [1, 3, 7])
def test_per_capita_is_rounded_to_the_cent(size):
    r = e.evaluate(applicant(household_size=size, household_monthly_income=Decimal("1000.00")), RULES)
    assert r.per_capita_income == (Decimal("1000.00") / size).quantize(Decimal("0.01"))
