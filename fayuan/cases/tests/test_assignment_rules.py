"""The assignment hard rules on the shipped ground rows: one table of scenarios whose ids name the article, then
co-defendants and several grounds through the assignment services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fayuan.cases import assignment_rules as rules
from fayuan.cases import services
from fayuan.cases.services.organ import case_set_organ_reference, normalize_organ_case_number
from fayuan.conftest import valid_id
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import grounds_in_force, load_ruleset, specialty_for
from fayuan.people.services import person_register

from .conftest import granted

D = dt.date
ON = D(2026, 3, 2)


def lawyer(years: int = 10, minors: bool = True, kind: str = "lawyer", co_defendants: tuple[str, ...] = (),
           pool: bool = True) -> rules.Candidate:
    return rules.Candidate(provider_id=1, name="甲律师", kind=kind, firm_id=None, specialties=frozenset({"criminal"}),
                           capacity=5, open_cases=0, years_criminal=years, familiar_with_minors=minors,
                           last_assigned_at=None, co_defendant_cases=co_defendants, in_criminal_pool=pool)


def need_from_shipped_rows(on: dt.date, ground: str, birth: dt.date | None) -> rules.Need:
    """The grounds the engine finds on the shipped rows, as the assignment service builds them."""
    result = engine.evaluate(engine.Applicant(
        case_type="criminal", matter=None, criminal_ground=ground, birth_date=birth, household_size=1,
        household_monthly_income=Decimal("0"), criminal_stage="trial"), load_ruleset(district_code="321102", on=on))
    rows = grounds_in_force(on=on, codes=result.grounds)
    return rules.Need(case_type="criminal", matter="", opposing=None, specialty=specialty_for(
        on=on, case_type="criminal", matter="", grounds=rows), grounds=tuple(
        rules.GroundNeed(g.code, g.name, g.requires_senior_defender, g.requires_minor_specialist, g.legal_basis)
        for g in rows))


ADULT, MINOR = D(1990, 1, 1), D(2009, 6, 1)
# (id naming the article, date, ground, birth date, candidate, refused, fragments of the reason)
SCENARIOS = [
    ("LAL-art26-life-or-death-junior-lawyer-refused", ON, "life_or_death", ADULT, lawyer(years=2), True,
     ["第二十六条", "不足三年"]),
    ("LAL-art26-life-or-death-senior-lawyer-accepted", ON, "life_or_death", ADULT, lawyer(years=3, minors=False),
     False, []),
    ("LAL-art26-death-review-junior-lawyer-refused", ON, "death_review", ADULT, lawyer(years=1), True,
     ["第二十六条"]),
    ("SPC-art564-minor-needs-a-lawyer-familiar-with-minors", ON, "minor", MINOR, lawyer(minors=False), True,
     ["第五百六十四条", "熟悉未成年人身心特点"]),
    ("SPC-art564-minor-familiar-lawyer-accepted", ON, "minor", MINOR, lawyer(years=0, minors=True), False, []),
    ("LAL-art26+SPC-art564-minor-life-sentence-senior-not-familiar", ON, "life_or_death", MINOR,
     lawyer(years=10, minors=False), True, ["第五百六十四条"]),
    ("LAL-art26+SPC-art564-minor-life-sentence-familiar-not-senior", ON, "life_or_death", MINOR,
     lawyer(years=1, minors=True), True, ["第二十六条"]),
    ("LAL-art26+SPC-art564-minor-life-sentence-neither-both-reasons", ON, "life_or_death", MINOR,
     lawyer(years=1, minors=False), True, ["第二十六条", "第五百六十四条"]),
    ("LAL-art26+SPC-art564-minor-life-sentence-both-accepted", ON, "life_or_death", MINOR,
     lawyer(years=3, minors=True), False, []),
    ("CPL2018-art35(3)-2019-no-three-year-rule-before-the-2021-law", D(2019, 6, 1), "life_or_death", ADULT,
     lawyer(years=1, minors=False), False, []),
    ("CPL2018-art278-2020-no-minors-specialist-rule-before-SPC-2021", D(2020, 6, 1), "minor", MINOR,
     lawyer(minors=False), False, []),
    ("LAL-art25-criminal-defense-needs-a-lawyer", ON, "none", ADULT, lawyer(kind="grassroots_worker"), True,
     ["第二十五条"]),
    ("plan-point3-criminal-case-needs-a-defense-pool-member", ON, "none", ADULT, lawyer(pool=False), True,
     ["刑事辩护律师库", "本地做法"]),
    ("SPC-art43-one-lawyer-not-for-two-co-defendants", ON, "none", ADULT,
     lawyer(co_defendants=("京法援受〔2026〕第1号",)), True, ["第四十三条第二款", "京法援受〔2026〕第1号"]),
]


@pytest.mark.parametrize(("on", "ground", "birth", "candidate", "refused", "fragments"), [s[1:] for s in SCENARIOS],
                         ids=[s[0] for s in SCENARIOS])
def test_hard_rules_on_the_shipped_rows(city, on, ground, birth, candidate, refused, fragments):
    reason = rules.refusal(candidate, need_from_shipped_rows(on, ground, birth))
    assert (reason is not None) is refused
    for fragment in fragments:
        assert fragment in (reason or "")


def test_a_case_with_several_grounds_needs_all_their_requirements(city):
    need = need_from_shipped_rows(ON, "life_or_death", MINOR)
    assert {g.code for g in need.grounds} == {"life_or_death", "minor"}
    assert need.senior_defender and need.minor_specialist and need.specialty == "criminal"


# --- through the services ------------------------------------------------------------------------------------
def _minor(city: Any) -> Any:
    return person_register(actor=city.user("reviewer_a"), name="小明", id_number=valid_id(23, birth=MINOR))


def test_a_minor_facing_a_life_sentence_goes_only_to_a_senior_lawyer_familiar_with_minors(city, providers):
    # providers: 律师0 (5 years, familiar with minors), 律师1 (1 year), 律师2 (10 years, not familiar).
    case = granted(city, applicant_id=_minor(city).public_id, case_type="criminal", matter="",
                   criminal_ground="life_or_death", criminal_stage="trial", matter_summary="故意杀人",
                   household_monthly_income="0")
    ranked, refused = services.rank_for_case(case)
    assert [r.candidate.provider_id for r in ranked] == [providers[0].pk]
    assert "第五百六十四条" in refused[providers[2].pk] and "第二十六条" not in refused[providers[2].pk]
    assert "第二十六条" in refused[providers[1].pk] and "第五百六十四条" in refused[providers[1].pk]
    with pytest.raises(Conflict, match="第五百六十四条"):
        services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id, provider_id=providers[2].pk,
                             reason="受援人家属指定")


def _defendant(city: Any, seq: int, organ_number: str, organ: str = "京口区人民法院") -> Any:
    person = person_register(actor=city.user("reviewer_a"), name=f"被告人{seq}", id_number=valid_id(seq))
    case = granted(city, applicant_id=person.public_id, case_type="criminal", matter="", criminal_ground="none",
                   criminal_stage="trial", matter_summary="共同盗窃", household_monthly_income="0",
                   handling_organ=organ)
    return case_set_organ_reference(actor=city.user("reviewer_a"), public_id=case.public_id,
                                    organ_case_number=organ_number)


def test_one_lawyer_may_not_defend_two_co_defendants(city, providers):
    first = _defendant(city, 31, "（2026）苏1102刑初12号")
    services.case_assign(actor=city.user("reviewer_a"), public_id=first.public_id, provider_id=providers[2].pk,
                         reason="熟悉案情")
    # The same number however it is typed: brackets, widths and spaces do not make another case.
    second = _defendant(city, 33, "〔2026〕苏 1102刑初12号")
    ranked, refused = services.rank_for_case(second)
    assert providers[2].pk not in {r.candidate.provider_id for r in ranked}
    assert "第四十三条第二款" in refused[providers[2].pk] and first.number in refused[providers[2].pk]
    with pytest.raises(Conflict, match="同案被告人"):
        services.case_assign(actor=city.user("reviewer_a"), public_id=second.public_id, provider_id=providers[2].pk,
                             reason="受援人要求")
    other_case = _defendant(city, 35, "（2026）苏1102刑初13号")
    other_organ = _defendant(city, 37, "（2026）苏1102刑初12号", organ="丹阳市人民法院")
    for case in (other_case, other_organ):
        assert providers[2].pk not in services.rank_for_case(case)[1]


def test_the_organ_reference_is_recorded_only_on_criminal_cases(city):
    civil = granted(city)
    with pytest.raises(ValidationFailed, match="刑事案件"):
        case_set_organ_reference(actor=city.user("reviewer_a"), public_id=civil.public_id, organ_case_number="1")
    assert normalize_organ_case_number(" 〔2026〕苏1102 刑初12号 ") == "(2026)苏1102刑初12号"
    assert normalize_organ_case_number("（2026）苏１１０２刑初１２号") == "(2026)苏1102刑初12号"


@pytest.mark.django_db
def test_the_choice_window_closes_the_day_before_every_shipped_assignment_deadline():
    """The longest choice window restates art. 43 (assign within 3 days of the decision): a shipped row that
    shortens the assignment deadline must shorten the window with it, or the rotation could not assign in time."""
    from fayuan.cases.models import MAX_CHOICE_WINDOW_DAYS
    from fayuan.deadlines.models import DeadlineRule

    rows = list(DeadlineRule.objects.filter(code="assign-provider"))
    assert rows, "the assign-provider deadline ships"
    for row in rows:
        assert row.day_kind == "calendar", row
        assert row.length - 1 == MAX_CHOICE_WINDOW_DAYS, row
