"""Grading at acceptance on the shipped criteria, the staff's confirmation, and the collective discussion that a
major or difficult case needs before it closes (the closing check quality registers in cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fayuan.cases import services as cases
from fayuan.cases.closing_checks import closing_refusals
from fayuan.cases.models import Status
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.quality import rules, services
from fayuan.quality.models import CaseGrading, CollectiveDiscussion, GradingCriterion

from .support import closed_case, major_case_signed, signed_case, submit_closing

TODAY = timezone.localdate


def test_every_shipped_criterion_is_pending_local_practice_and_matches_real_codes(db):
    from fayuan.criminal.grounds import NoticeGround
    from fayuan.eligibility.engine import CRIMINAL_STAGES, GROUPS

    rows = list(GradingCriterion.objects.in_force_on(TODAY()))
    assert {r.code for r in rows} == {"life_or_death", "death_review", "minor_defendant", "minor_applicant",
                                      "group_dispute", "public_attention", "complex_law"}
    known = {"criminal_ground": set(NoticeGround.values), "criminal_stage": set(CRIMINAL_STAGES),
             "group": set(GROUPS), "manual": set()}
    for row in rows:
        assert row.basis_pending and row.local_default and "依据待补" in row.basis_label, row.code
        assert set(row.match_values) <= known[row.match_on], row.code
        assert (row.match_on == "manual") == (not row.match_values), row.code


def test_the_shipped_criteria_grade_facts_as_stated(db):
    criteria = [rules.Criterion(r.code, r.name, r.grade, r.match_on, tuple(r.match_values), r.basis_label)
                for r in GradingCriterion.objects.in_force_on(TODAY())]
    grade = lambda facts, ticked=(): rules.grade_for(rules.criteria_met(facts, criteria, ticked))  # noqa: E731
    assert grade(rules.CaseFacts(criminal_ground="life_or_death")) == "major"
    assert grade(rules.CaseFacts(criminal_stage="death_review")) == "major"
    assert grade(rules.CaseFacts(criminal_ground="minor")) == "difficult"
    assert grade(rules.CaseFacts(groups=frozenset({"minor", "disabled"}))) == "difficult"
    assert grade(rules.CaseFacts(groups=frozenset({"elderly"}))) == "ordinary"
    assert grade(rules.CaseFacts(), ticked=["group_dispute"]) == "major"
    assert grade(rules.CaseFacts(), ticked=["complex_law"]) == "difficult"
    # Both kinds met: major.
    assert grade(rules.CaseFacts(criminal_ground="minor"), ticked=["public_attention"]) == "major"


def test_a_civil_case_is_proposed_ordinary_when_the_aid_is_granted(city):
    case = signed_case(city)
    grading = CaseGrading.objects.get(case=case)
    assert grading.proposed_grade == "ordinary" and grading.proposed_reasons == []
    assert grading.confirmed_at is None


def test_an_organ_notice_for_a_possible_life_sentence_is_proposed_major_at_assignment(city):
    case = major_case_signed(city)
    grading = CaseGrading.objects.get(case=case)
    assert grading.proposed_grade == "major"
    [reason] = grading.proposed_reasons
    assert reason["code"] == "life_or_death" and "第二十五条" in reason["basis"] and "依据待补" in reason["basis"]


def test_changing_the_grade_against_the_criteria_needs_a_reason(city):
    case = signed_case(city)
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="须写明理由"):
        services.grading_confirm(actor=reviewer, public_id=case.public_id, grade="difficult", criteria=[])
    assert CaseGrading.objects.get(case=case).confirmed_at is None  # nothing changed
    # Ticking a manual criterion implies the grade: no reason needed.
    grading = services.grading_confirm(actor=reviewer, public_id=case.public_id, grade="major",
                                       criteria=["group_dispute"])
    assert grading.grade == "major" and grading.criteria[0]["code"] == "group_dispute"
    grading = services.grading_confirm(actor=reviewer, public_id=case.public_id, grade="ordinary",
                                       criteria=["group_dispute"], reason="经核实仅涉及两名劳动者，不属群体性纠纷")
    assert grading.effective_grade == "ordinary"
    with pytest.raises(ValidationFailed, match="不存在或已失效"):
        services.grading_confirm(actor=reviewer, public_id=case.public_id, grade="ordinary", criteria=["nope"])


def test_only_the_centers_staff_confirm_and_another_center_gets_404(city):
    from fayuan.core.errors import NotFoundOrForbidden

    case = signed_case(city)
    with pytest.raises(PermissionDenied):
        services.grading_confirm(actor=city.user("provider_a"), public_id=case.public_id, grade="ordinary",
                                 criteria=[])
    with pytest.raises(NotFoundOrForbidden):
        services.grading_confirm(actor=city.user("reviewer_b"), public_id=case.public_id, grade="ordinary",
                                 criteria=[])


def test_a_major_case_cannot_close_without_a_collective_discussion(city):
    case = major_case_signed(city)
    with pytest.raises(Conflict, match="重大案件，结案前须经集体讨论"):
        submit_closing(city, case)
    case.refresh_from_db()
    assert case.status == Status.AGREEMENT_SIGNED
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed):
        services.discussion_record(actor=reviewer, public_id=case.public_id, held_on=TODAY() + dt.timedelta(days=1),
                                   participants="主任、审查人员", opinions="同意辩护思路", conclusion="按罪轻辩护")
    assert not CollectiveDiscussion.objects.filter(case=case).exists()
    services.discussion_record(actor=reviewer, public_id=case.public_id, held_on=TODAY(),
                               participants="中心主任、两名审查人员、承办律师", opinions="证据链存在瑕疵，宜作罪轻辩护",
                               conclusion="按罪轻辩护，申请排除非法证据")
    submit_closing(city, case)
    cases.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_the_center_cannot_accept_a_closing_after_upgrading_the_case_without_a_discussion(city):
    case = signed_case(city)
    cases.closing_submit(actor=city.user("provider_a"), public_id=case.public_id, outcome="won",
                         report="判决支持全部诉讼请求，已执行完毕。")
    reviewer = city.user("reviewer_a")
    services.grading_confirm(actor=reviewer, public_id=case.public_id, grade="difficult", criteria=["complex_law"])
    assert closing_refusals(case)
    with pytest.raises(Conflict, match="疑难案件"):
        cases.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    # Returning the file for correction is not a closing: allowed.
    cases.closing_review(actor=reviewer, public_id=case.public_id, accept=False, notes="请补充证据目录")


def test_no_discussion_is_recorded_after_closing(city):
    case = closed_case(city)
    with pytest.raises(Conflict, match="已结案"):
        services.discussion_record(actor=city.user("reviewer_a"), public_id=case.public_id, held_on=TODAY(),
                                   participants="主任", opinions="意见", conclusion="结论")


def test_a_case_not_yet_accepted_has_no_grade_to_confirm(city):
    from fayuan.cases.tests.conftest import receive

    case = receive(city)
    assert not CaseGrading.objects.filter(case=case).exists()
    with pytest.raises(Conflict, match="尚未受理"):
        services.grading_confirm(actor=city.user("reviewer_a"), public_id=case.public_id, grade="ordinary",
                                 criteria=[])
