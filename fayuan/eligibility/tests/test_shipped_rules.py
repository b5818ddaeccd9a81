"""The rule rows as the migrations ship them, through ``load_ruleset`` and the engine: one table of scenarios per
rule family (scope, means test, exemptions, green channel, criminal grounds, ages), each scenario's id naming the
article it rests on. Only the district and its minimum wages are made here (reference data of another app)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from fayuan.core.dated import BasisStatus
from fayuan.core.tests import lawtext
from fayuan.eligibility import engine
from fayuan.eligibility.models import (
    AgeRule,
    CriminalGround,
    ExemptionGroup,
    FactRule,
    GreenChannelRule,
    Matter,
    MeansStandard,
    OpenScopeGroup,
)
from fayuan.eligibility.ruleset import load_ruleset, specialty_for
from fayuan.org.models import District, MinimumWage

D = dt.date
DISTRICT = "321102"
# Zhenjiang's tier-1 monthly minimum wage (DOMAIN §3); none before 2018-08-01.
WAGES = [(D(2018, 8, 1), "2020.00"), (D(2021, 8, 1), "2280.00"), (D(2024, 1, 1), "2490.00"),
         (D(2026, 1, 1), "2660.00")]
RICH = Decimal("30000.00")  # household of one: far above any standard
ON = D(2026, 3, 2)


@pytest.fixture
def district(city: Any) -> District:
    district = District.objects.get(code=DISTRICT)
    for since, amount in WAGES:
        MinimumWage.objects.update_or_create(district=district, effective_from=since, defaults={
            "monthly_amount": Decimal(amount), "legal_basis": "江苏省最低工资标准（一类地区）"})
    return district


def evaluate(on: dt.date = ON, **kw: Any) -> engine.Result:
    data: dict[str, Any] = {"case_type": "civil", "matter": "wages", "criminal_ground": None,
                            "birth_date": D(1980, 1, 1), "household_size": 1, "household_monthly_income": RICH}
    data.update(kw)
    for key in ("groups", "facts"):
        data[key] = frozenset(data.get(key, ()))
    return engine.evaluate(engine.Applicant(**data), load_ruleset(district_code=DISTRICT, on=on))


def crit(result: engine.Result, code: str) -> engine.Criterion:
    return next(c for c in result.criteria if c.code == code)


def criminal(on: dt.date, ground: str, stage: str = "trial", **kw: Any) -> engine.Result:
    return evaluate(on, case_type="criminal", matter=None, criminal_ground=ground, criminal_stage=stage, **kw)


def born(on: dt.date, years: int) -> dt.date:
    return on.replace(year=on.year - years)


# --- scope ---------------------------------------------------------------------------------------------------
# (id naming the article, date, applicant fields, in scope, basis fragment, basis pending)
SCOPE = [
    ("LAL-art31(5)-wages", ON, {"matter": "wages"}, True, "法律援助法第三十一条第五项", False),
    ("REG2003-art10(1)(5)-wages-2021", D(2021, 6, 1), {"matter": "wages"}, True, "法律援助条例第十条第一款第五项",
     False),
    ("REG2003-art10(1)(6)-brave-act-matter-2021", D(2021, 6, 1), {"matter": "brave_act"}, True,
     "法律援助条例第十条第一款第六项", False),
    ("LAL-art32(1)-martyr-honour-needs-no-matter", ON, {"matter": "other", "facts": {"martyr_honour"}}, True,
     "法律援助法第三十二条第一项", False),
    ("LAL-art32(2)-brave-act-needs-no-matter", ON, {"matter": "other", "facts": {"brave_act"}}, True,
     "法律援助法第三十二条第二项", False),
    ("LAL-art32(3)-retrial-acquittal-needs-no-matter", ON,
     {"case_type": "state_compensation", "matter": "other", "facts": {"retrial_acquittal_compensation"}}, True,
     "法律援助法第三十二条第三项", False),
    ("LAL-art32(4)-abuse-victim-needs-no-matter", ON, {"matter": "other", "facts": {"domestic_violence"}}, True,
     "法律援助法第三十二条第四项", False),
    ("LAL-art31-contract-dispute-out-of-scope", ON, {"matter": "contract"}, False, "法律援助法第三十一条", False),
    ("JS2024-school-bullying-from-2025", D(2025, 3, 1), {"matter": "school_bullying"}, True, "江苏省法律援助条例",
     True),
    ("JS2024-school-bullying-not-before-2025", D(2024, 12, 31), {"matter": "school_bullying"}, False,
     "法律援助法第三十一条", False),
    ("JS2024-orphan-not-limited-to-catalogue", D(2025, 6, 1), {"matter": "other", "groups": {"orphan"}}, True,
     "江苏省法律援助条例", True),
    ("JS2024-low-income-not-limited-to-catalogue", D(2025, 6, 1), {"matter": "other", "groups": {"low_income"}},
     True, "江苏省法律援助条例", True),
    ("JS2024-orphan-catalogue-before-2025", D(2024, 6, 1), {"matter": "other", "groups": {"orphan"}}, False,
     "法律援助法第三十一条", False),
    ("JS-old-labour-relation-2021-pending", D(2021, 6, 1), {"matter": "labour_relation"}, True, "江苏省法律援助条例",
     True),
    ("plan-point4-city-supplementary-matter-pending", ON, {"matter": "marriage_family"}, True,
     "关于进一步扩大法律援助事项范围的通知", True),
]


@pytest.mark.parametrize(("on", "fields", "in_scope", "basis", "pending"), [s[1:] for s in SCOPE],
                         ids=[s[0] for s in SCOPE])
def test_scope(district, on, fields, in_scope, basis, pending):
    scope = crit(evaluate(on, household_monthly_income=Decimal("0"), **fields), "scope")
    assert scope.passed is in_scope
    assert basis in scope.basis
    assert scope.basis_pending is pending
    assert ("依据待确认" in scope.basis) is pending


# --- means test ----------------------------------------------------------------------------------------------
# (id, date, household size, household income, outcome, figure in the explanation)
MEANS = [
    ("LAL-art34-at-the-wage-passes", ON, 3, "7980.00", "passed", "2660.00 元"),
    ("LAL-art34-one-cent-above-fails-without-rounding", ON, 3, "7980.01", "failed", "7980.00 元"),
    ("LAL-art34-2024-wage", D(2024, 6, 1), 2, "4980.00", "passed", "2490.00 元"),
    ("REG2003-art13-2019-wage", D(2019, 6, 1), 1, "2020.01", "failed", "2020.00 元"),
    ("REG2003-art13-no-wage-row-before-2018-08", D(2017, 6, 1), 1, "100.00", "no_standard", "没有适用的月最低工资标准"),
]


@pytest.mark.parametrize(("on", "size", "income", "outcome", "figure"), [m[1:] for m in MEANS],
                         ids=[m[0] for m in MEANS])
def test_means_test(district, on, size, income, outcome, figure):
    result = evaluate(on, household_size=size, household_monthly_income=Decimal(income))
    assert result.means_test == outcome
    assert result.eligible is (outcome == "passed")
    means = crit(result, "means_test")
    assert figure in means.explanation
    # The standard rests on art. 34 / Regulation art. 13 and the province's choice, which is pending.
    assert ("第三十四条" if on >= D(2022, 1, 1) else "第十三条") in means.basis and means.basis_pending


# --- exemptions (art. 42) ------------------------------------------------------------------------------------
# (id, applicant fields, exempt, criterion that exempts)
EXEMPT = [
    ("LAL-art42(1)-elderly-with-income-not-exempt", {"birth_date": born(ON, 70)}, False, None),
    ("LAL-art42(1)-elderly-without-fixed-income", {"birth_date": born(ON, 70), "groups": {"no_fixed_income"}}, True,
     "exemption:elderly"),
    ("LAL-art42(1)-minor-without-fixed-income", {"birth_date": born(ON, 15), "matter": "traffic_injury",
                                                 "groups": {"no_fixed_income"}}, True, "exemption:minor"),
    ("LAL-art42(1)-disabled-with-income-not-exempt", {"groups": {"disabled"}}, False, None),
    ("LAL-art42(1)-disabled-without-fixed-income", {"groups": {"disabled", "no_fixed_income"}}, True,
     "exemption:disabled"),
    ("LAL-art42(2)-low-income-allowance", {"groups": {"low_income_allowance"}}, True,
     "exemption:low_income_allowance"),
    ("LAL-art42(2)-entitled-group", {"groups": {"entitled_group"}}, True, "exemption:entitled_group"),
    ("LAL-art42(2)-military-family-alone-not-exempt", {"groups": {"military_family"}}, False, None),
    ("LAL-art42(3)-migrant-worker-wages", {"groups": {"migrant_worker"}}, True, "exemption:migrant_worker"),
    ("LAL-art42(3)-migrant-worker-traffic-not-exempt", {"groups": {"migrant_worker"}, "matter": "traffic_injury"},
     False, None),
]


@pytest.mark.parametrize(("fields", "exempt", "by"), [e[1:] for e in EXEMPT], ids=[e[0] for e in EXEMPT])
def test_exemptions(district, fields, exempt, by):
    result = evaluate(**fields)
    assert result.means_test == ("exempt" if exempt else "failed")
    if exempt:
        assert by in result.means_waived_by and "第四十二条" in crit(result, by).basis


# --- green channel (plan point 14) ---------------------------------------------------------------------------
# (id, applicant fields, fast track, means test, the green row)
GREEN = [
    ("plan14-pensioner-with-high-income-not-exempt", {"birth_date": born(ON, 68), "matter": "support_elderly"},
     False, "failed", None),
    ("plan14-over-75-not-claiming-support-not-exempt", {"birth_date": born(ON, 80), "matter": "traffic_injury"},
     False, "failed", None),
    ("plan14-over-75-claiming-support", {"birth_date": born(ON, 76), "matter": "support_elderly"}, True, "exempt",
     "elderly_support"),
    ("plan14-exactly-75-claiming-support", {"birth_date": born(ON, 75), "matter": "support_elderly"}, True,
     "exempt", "elderly_support"),
    ("plan14-migrant-worker-wages", {"groups": {"migrant_worker"}}, True, "exempt", "migrant_wages"),
    ("plan14-migrant-worker-work-injury", {"groups": {"migrant_worker"}, "matter": "work_injury"}, True, "exempt",
     "migrant_wages"),
    ("plan14-migrant-worker-child-support-not-green", {"groups": {"migrant_worker"}, "matter": "support_child"},
     False, "failed", None),
    ("plan14-minor-with-income-not-green", {"birth_date": born(ON, 15), "matter": "traffic_injury"}, False,
     "failed", None),
    ("plan14-disabled-with-income-not-green", {"groups": {"disabled"}}, False, "failed", None),
    ("plan14-military-family-not-green", {"groups": {"military_family"}}, False, "failed", None),
    ("plan14-family-rights-violation", {"matter": "marriage_family",
                                        "facts": {"serious_family_rights_violation"}}, True, "exempt",
     "family_rights"),
    ("plan14-2017-before-the-plan-row", {"groups": {"migrant_worker"}, "on": D(2017, 6, 1)}, False, "no_standard",
     None),
]


@pytest.mark.parametrize(("fields", "fast", "means", "row"), [g[1:] for g in GREEN], ids=[g[0] for g in GREEN])
def test_green_channel(district, fields, fast, means, row):
    fields = dict(fields)
    on = fields.pop("on", ON)
    result = evaluate(on, **fields)
    assert (result.green_channel, result.means_test) == (fast, means)
    if row is not None:
        applied = next(g for g in result.green_rules if g.code == row)
        assert applied.waiver_applied and applied.fast_track and f"green_channel:{row}" in result.means_waived_by
        criterion = crit(result, f"green_channel:{row}")
        assert "第十四点" in criterion.basis and "免除经济困难审查" in criterion.explanation
        assert not criterion.basis_pending


def test_green_channel_provincial_groups_are_not_shipped_and_a_blanket_row_is_gone(db):
    assert not GreenChannelRule.objects.filter(code="special_groups").exists()
    assert set(GreenChannelRule.objects.values_list("code", flat=True)) == {
        "migrant_wages", "elderly_support", "family_rights"}


def test_a_fast_track_row_the_bureau_adds_does_not_waive_the_means_test(district):
    GreenChannelRule.objects.create(
        code="disabled_priority", name="残疾人优先办理", groups=["disabled"], waives_means_test=False,
        fast_track=True, effective_from=D(2026, 1, 1), legal_basis="本市规定（待补录）")
    result = evaluate(groups={"disabled"})
    assert result.green_channel and result.means_test == "failed"
    assert "不免除经济困难审查" in crit(result, "green_channel:disabled_priority").explanation


# --- criminal grounds ----------------------------------------------------------------------------------------
# (id, date, ground chosen, stage, applicant fields, grounds found, means test, basis fragment, pending)
GROUNDS = [
    ("CPL2018-art278-minor-2021-not-out-of-scope", D(2021, 6, 1), "minor", "investigation",
     {"birth_date": D(2005, 1, 1)}, ("minor",), "not_required", "刑事诉讼法第二百七十八条", False),
    ("CPL2018-art278-minor-derived-from-birth-date", D(2021, 6, 1), "none", "prosecution_review",
     {"birth_date": D(2005, 1, 1)}, ("minor",), "not_required", "刑事诉讼法第二百七十八条", False),
    ("LAL-art25(1)(1)-minor", ON, "minor", "investigation", {"birth_date": born(ON, 16)}, ("minor",),
     "not_required", "法律援助法第二十五条第一款第一项", False),
    ("REG2003-art12-minor-at-trial-2010", D(2010, 5, 1), "minor", "trial", {"birth_date": D(1994, 1, 1)},
     ("minor",), "not_required", "法律援助条例第十二条第二款", False),
    ("REG2003-art11-minor-before-trial-2010-hardship", D(2010, 5, 1), "minor", "investigation",
     {"birth_date": D(1994, 1, 1)}, ("none",), "no_standard", "法律援助条例第十一条第一项", False),
    ("REG2003-art12-possible-death-at-trial-2010", D(2010, 5, 1), "life_or_death", "trial", {},
     ("life_or_death",), "not_required", "法律援助条例第十二条第二款", False),
    ("CPL2012-art267-minor-2015-pending", D(2015, 5, 1), "minor", "investigation", {"birth_date": D(2000, 1, 1)},
     ("minor",), "not_required", "刑事诉讼法》（2012年修正）第二百六十七条", True),
    ("CPL2018-art35(2)-blind-deaf-mute-2019", D(2019, 6, 1), "none", "trial", {"groups": {"blind_deaf_mute"}},
     ("blind_deaf_mute",), "not_required", "刑事诉讼法第三十五条第二款", False),
    ("CPL2018-art35(2)-mental-incapacity-2019", D(2019, 6, 1), "mental_incapacity", "investigation", {},
     ("mental_incapacity",), "not_required", "刑事诉讼法第三十五条第二款", False),
    ("CPL2018-art35(3)-life-or-death-2019", D(2019, 6, 1), "life_or_death", "investigation", {},
     ("life_or_death",), "not_required", "刑事诉讼法第三十五条第三款", False),
    ("CPL2018-art293-absentia-2019", D(2019, 6, 1), "absentia", "trial", {}, ("absentia",), "not_required",
     "刑事诉讼法第二百九十三条", False),
    ("LAL-art25(1)(5)-death-review", ON, "death_review", "death_review", {}, ("death_review",), "not_required",
     "法律援助法第二十五条第一款第五项", False),
    ("LAL-art25(1)(6)-absentia", ON, "absentia", "trial", {}, ("absentia",), "not_required",
     "法律援助法第二十五条第一款第六项", False),
    ("LAL-art24-hardship-with-income-fails", ON, "none", "trial", {}, ("none",), "failed", "法律援助法第二十四条",
     False),
    ("LAL-art25(1)(1)+(4)-minor-facing-life-sentence", ON, "life_or_death", "trial", {"birth_date": born(ON, 17)},
     ("life_or_death", "minor"), "not_required", "法律援助法第二十五条第一款第四项、第二十六条", False),
]


@pytest.mark.parametrize(("on", "ground", "stage", "fields", "found", "means", "basis", "pending"),
                         [g[1:] for g in GROUNDS], ids=[g[0] for g in GROUNDS])
def test_criminal_grounds(district, on, ground, stage, fields, found, means, basis, pending):
    result = criminal(on, ground, stage, **fields)
    assert result.grounds == found
    assert result.means_test == means
    scope = crit(result, "scope")
    assert scope.passed and basis in scope.basis and scope.basis_pending is pending


def test_a_minor_facing_a_life_sentence_needs_both_lawyers_qualities(district):
    result = criminal(ON, "life_or_death", birth_date=born(ON, 17))
    rows = {g.code: g for g in CriminalGround.objects.in_force_on(ON).filter(code__in=result.grounds)}
    assert rows["life_or_death"].requires_senior_defender and rows["minor"].requires_minor_specialist
    assert "第五百六十四条" in rows["minor"].legal_basis and "第二百七十八条" not in rows["minor"].legal_basis


def test_every_ground_has_an_unbroken_history(db):
    """No gap between a ground's rows: the day one row ends the next begins."""
    for code in CriminalGround.objects.values_list("code", flat=True).distinct():
        rows = list(CriminalGround.objects.filter(code=code).order_by("effective_from"))
        for before, after in itertools.pairwise(rows):
            assert before.effective_to == after.effective_from, code
        assert rows[-1].effective_to is None, code


# --- ages (issue 7: constants that are rules) ----------------------------------------------------------------
AGES = [
    ("age-minor_below-18-day-before-18th-birthday", D(2008, 3, 3), {"minor"}),
    ("age-minor_below-18-on-18th-birthday", D(2008, 3, 2), set()),
    ("age-elderly_from-60-on-60th-birthday", D(1966, 3, 2), {"elderly"}),
    ("age-elderly_from-60-day-before", D(1966, 3, 3), set()),
]


@pytest.mark.parametrize(("birth", "groups"), [a[1:] for a in AGES], ids=[a[0] for a in AGES])
def test_age_rows(district, birth, groups):
    result = evaluate(birth_date=birth)
    assert result.derived_groups == frozenset(groups)
    if groups:
        assert crit(result, "age_group").basis_pending  # the ages' own statutes are not held


def test_ages_are_rows_the_bureau_can_change(district):
    AgeRule.objects.filter(code="elderly_from").update(effective_to=D(2026, 1, 1))
    AgeRule.objects.create(code="elderly_from", name="老年人", age=65, effective_from=D(2026, 1, 1),
                           legal_basis="测试：修改后的年龄标准")
    assert evaluate(birth_date=born(ON, 62)).derived_groups == frozenset()
    assert evaluate(D(2025, 6, 1), birth_date=born(ON, 62)).derived_groups == {"elderly"}


def test_specialty_comes_from_the_dated_matter_rows(db):
    assert specialty_for(on=ON, case_type="civil", matter="wages") == "labour"
    assert specialty_for(on=D(2025, 6, 1), case_type="civil", matter="school_bullying") == "juvenile"
    assert specialty_for(on=ON, case_type="civil", matter="contract") == ""
    assert all(m.specialty for m in Matter.objects.exclude(code="brave_act"))


# --- where every row stands ----------------------------------------------------------------------------------
MODELS = [Matter, CriminalGround, ExemptionGroup, FactRule, GreenChannelRule, AgeRule, OpenScopeGroup,
          MeansStandard]


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_quotation_matches_the_article_it_cites(db, model):
    for row in model.objects.all():
        found = lawtext.problems(basis_text=row.basis_text, legal_basis=row.legal_basis,
                                 effective_from=row.effective_from, effective_to=row.effective_to)
        assert found == [], f"{model.__name__} {row.code} {row.effective_from}: {found}"


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_row_is_confirmed_from_a_quotation_or_says_it_is_pending(db, model):
    assert model.objects.exists()
    for row in model.objects.all():
        label = f"{model.__name__} {row.code} {row.effective_from}"
        if row.basis_status == BasisStatus.CONFIRMED:
            assert row.basis_text.strip(), label
        else:
            assert "未收入本系统" in row.legal_basis or "待" in row.legal_basis, label


def test_pending_rows_are_the_ones_without_a_text(db):
    pending = {(type(r).__name__, r.code) for m in MODELS for r in m.objects.filter(basis_status="pending")}
    assert ("Matter", "school_bullying") in pending and ("OpenScopeGroup", "orphan") in pending
    assert ("CriminalGround", "minor") in pending  # the 2013-2018 row (Criminal Procedure Law 2012)
    assert not GreenChannelRule.objects.filter(basis_status="pending").exists()
    assert not ExemptionGroup.objects.filter(basis_status="pending").exists()


# --- aid first (art. 44) -------------------------------------------------------------------------------------
AID_FIRST = [
    ("LAL-art44(1)1-limitation-within-7-days", {"facts": {"limitation_within_7_days"}}, True),
    ("LAL-art44(1)2-urgent-preservation", {"facts": {"urgent_preservation"}}, True),
    ("LAL-art44-not-without-the-facts", {}, False),
    ("LAL-art44-not-before-2022", {"facts": {"urgent_preservation"}, "on": D(2021, 6, 1)}, False),
]


@pytest.mark.parametrize(("fields", "aid_first"), [a[1:] for a in AID_FIRST], ids=[a[0] for a in AID_FIRST])
def test_aid_first(district, fields, aid_first):
    fields = dict(fields)
    result = evaluate(fields.pop("on", ON), household_monthly_income=Decimal("0"), **fields)
    assert result.aid_first is aid_first
    if aid_first:
        assert any(c.code.startswith("aid_first:") and "第四十四条" in c.basis for c in result.criteria)


# --- every shipped row decides what it says, on its first day in force ------------------------------------------
def _birth_for(groups: set[str], on: dt.date, min_age: int | None = None) -> dt.date:
    if "minor" in groups:
        return born(on, 12)
    if "elderly" in groups or min_age:
        return born(on, max(min_age or 0, 70))
    return born(on, 40)


def _row_scenarios() -> list[Any]:
    """Built lazily from the rows, so every row the migrations ship (and only those) is exercised."""
    return [pytest.param(model, id=model.__name__) for model in
            (Matter, CriminalGround, ExemptionGroup, FactRule, GreenChannelRule, OpenScopeGroup, MeansStandard)]


@pytest.mark.parametrize("model", _row_scenarios())
def test_every_shipped_row_decides_what_it_says(district, model):
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        on = row.effective_from
        label = f"{model.__name__} {row.code} {on}"
        if model is Matter:
            scope = crit(evaluate(on, matter=row.code, household_monthly_income=Decimal("0")), "scope")
            assert scope.passed and row.legal_basis in scope.basis, label
        elif model is CriminalGround:
            groups = set(row.applies_to_groups)
            result = criminal(on, row.code, row.stages[0] if row.stages else "trial",
                              groups=groups - {"minor"}, birth_date=_birth_for(groups, on))
            assert row.code in result.grounds, label
            assert result.means_test == ("not_required" if row.mandatory else result.means_test), label
            assert row.legal_basis in crit(result, "scope").basis, label
        elif model is ExemptionGroup:
            groups = {row.code, *row.requires_groups}
            result = evaluate(on, matter=(row.matters or ["wages"])[0], groups=groups - {"minor", "elderly"},
                              birth_date=_birth_for(groups, on))
            assert result.means_test == "exempt" and f"exemption:{row.code}" in result.means_waived_by, label
        elif model is FactRule:
            result = evaluate(on, matter="other", facts={row.code}, household_monthly_income=Decimal("0"))
            if row.effect == "no_means_test":
                assert result.means_test == "not_required" and crit(result, "scope").passed, label
            else:
                assert result.aid_first is False  # out of scope without a matter: aid first needs scope
                assert evaluate(on, facts={row.code}, household_monthly_income=Decimal("0")).aid_first, label
        elif model is GreenChannelRule:
            groups = set(row.groups)
            result = evaluate(on, matter=(row.matters or ["marriage_family"])[0], groups=groups,
                              facts=set(row.facts[:1]), birth_date=_birth_for(groups, on, row.min_age))
            assert row.code in {g.code for g in result.green_rules}, label
        elif model is OpenScopeGroup:
            scope = crit(evaluate(on, matter="other", groups=set(row.groups)), "scope")
            assert scope.passed and row.legal_basis in scope.basis, label
        elif model is MeansStandard:
            assert row.legal_basis in crit(evaluate(on), "means_test").basis, label
