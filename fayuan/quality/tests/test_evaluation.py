"""One case, one evaluation: recipients' ratings feed the stage evaluations, closing opens the evaluation, the center
completes it on the shipped sample rubric and weights, and the gaps page lists closed cases without one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from fayuan.cases.tests.conftest import receive
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.portal.services import rating_submit
from fayuan.quality import rules, services
from fayuan.quality.models import ClosingEvaluation, CombinationRule, Rubric, StageEvaluation
from fayuan.quality.selectors import case_quality_grade, evaluation_gaps

from .support import closed_case, signed_case


def full_marks(rubric: Rubric) -> dict[int, int]:
    return {i.pk: i.max_points for i in rubric.items.all()}


def test_the_shipped_sample_rubric_is_marked_and_adds_up_to_100(db):
    rubric = services.inspection_rubric(timezone.localdate())
    assert rubric is not None and rubric.sample and "示例" in rubric.name and "依据待补" in rubric.legal_basis
    items = services.rubric_items(rubric)
    assert rules.rubric_problems(items) == [] and sum(p for _i, _t, p in items) == 100
    assert (rubric.excellent_from, rubric.good_from, rubric.pass_from) == (90, 75, 60)


def test_the_shipped_combination_rule_weights_add_up_to_100_and_cite_art_59(db):
    rule = CombinationRule.objects.in_force_on(timezone.localdate()).get()
    assert rule.weight_rating + rule.weight_inspection + rule.weight_organ + rule.weight_attendance == 100
    assert "第五十九条" in rule.legal_basis and "依据待补" in rule.legal_basis and rule.local_default


def test_a_recipients_rating_on_the_public_site_becomes_a_stage_evaluation(city):
    case = receive(city, applicant_id=city.applicant_person.public_id)
    rating = rating_submit(account=city.user("applicant"), public_id=case.public_id, stage="consultation", score=4,
                           comment="窗口工作人员很耐心")
    evaluation = StageEvaluation.objects.get(case=case)
    assert (evaluation.stage, evaluation.source, evaluation.score) == ("consultation", "recipient", 4)
    assert evaluation.external_ref == f"portal.rating:{rating.pk}"
    # Fed twice (a replay), recorded once.
    assert services.stage_evaluation_from_rating(actor=None, case_id=case.pk, rating_id=rating.pk,
                                                 stage="consultation", score=4) is None
    assert StageEvaluation.objects.filter(case=case).count() == 1


def test_closing_opens_the_evaluation_and_the_case_is_a_gap_until_completed(city):
    case = closed_case(city)
    evaluation = ClosingEvaluation.objects.get(case=case)
    assert not evaluation.completed and case_quality_grade(case) is None
    gaps = evaluation_gaps(city.user("reviewer_a"))
    assert [(r.center_name, r.closed, r.missing) for r in gaps.rows] == [(case.center.name, 1, 1)]
    assert gaps.cases == [case]
    rubric = services.inspection_rubric(timezone.localdate())
    services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                 scores=full_marks(rubric))
    assert case_quality_grade(case) == "excellent"
    gaps = evaluation_gaps(city.user("reviewer_a"))
    assert gaps.rows[0].missing == 0 and gaps.cases == []
    # Another district's center sees no gap of center A; the city bureau does.
    other = evaluation_gaps(city.user("reviewer_b"))
    assert other.counted and other.rows == [] and other.cases == []
    assert evaluation_gaps(city.user("bureau")).rows[0].closed == 1


def test_the_grade_combines_the_parts_present_with_the_shipped_weights(city):
    case = closed_case(city)
    reviewer = city.user("reviewer_a")
    rubric = services.inspection_rubric(timezone.localdate())
    scores = full_marks(rubric)
    first = rubric.items.first()
    scores[first.pk] = 0  # inspection 100 - 10 = 90
    services.stage_evaluation_from_rating(actor=None, case_id=case.pk, rating_id=991, stage="handling", score=3)
    services.stage_evaluation_from_rating(actor=None, case_id=case.pk, rating_id=992, stage="closing", score=4)
    evaluation = services.evaluation_complete(actor=reviewer, public_id=case.public_id, scores=scores,
                                              organ_opinion="法院认为代理意见清楚，庭审准备充分。", organ_score=80)
    # rating (3+4)/2*20 = 70 at 20, inspection 90 at 50, organ 80 at 15; no attendance: its 15 shared out.
    expected = ((Decimal(20) * 70 + Decimal(50) * 90 + Decimal(15) * 80) / 85).quantize(Decimal("0.1"))
    assert evaluation.total == expected == Decimal("83.5")
    assert evaluation.grade == "good" and evaluation.inspection_score == Decimal("90.0")
    assert any("庭审旁听：无" in line for line in evaluation.explanation)
    assert evaluation.explanation[-1].startswith("综合得分 83.5 分，等级“良好”")


def test_bad_rubric_scores_change_nothing(city):
    case = closed_case(city)
    rubric = services.inspection_rubric(timezone.localdate())
    scores = full_marks(rubric)
    first = rubric.items.first()
    for bad in (first.max_points + 1, -1, "1.3", None):
        scores[first.pk] = bad
        with pytest.raises(ValidationFailed) as refused:
            services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id, scores=scores)
        assert refused.value.field == f"item_{first.pk}"
    assert not ClosingEvaluation.objects.get(case=case).completed
    scores[first.pk] = "7.5"
    with pytest.raises(ValidationFailed, match="司法机关意见评分"):
        services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id, scores=scores,
                                     organ_opinion="意见", organ_score=101)


def test_an_open_case_is_not_evaluated_at_closing_yet(city):
    case = signed_case(city)
    rubric = services.inspection_rubric(timezone.localdate())
    with pytest.raises(Conflict, match="结案后"):
        services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                     scores=full_marks(rubric))


def test_a_rubric_whose_items_do_not_add_up_to_100_is_refused_with_the_reason(city):
    case = closed_case(city)
    rubric = services.inspection_rubric(timezone.localdate())
    item = rubric.items.first()
    item.max_points += 5
    item.save()
    with pytest.raises(ValidationFailed, match="合计为 105 分，应为 100 分"):
        services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                     scores=full_marks(rubric))


def test_combine_shares_out_missing_weights_and_bands():
    bands = rules.Bands(90, 75, 60)
    parts = [rules.Part("inspection", "案卷检查", 50, Decimal(60)), rules.Part("rating", "受援人评价", 50, None)]
    combined = rules.combine(parts, bands)
    assert combined.total == Decimal("60.0") and combined.grade == "pass"
    assert rules.combine([rules.Part("i", "i", 1, Decimal("59.9"))], bands).grade == "fail"
    assert rules.combine([rules.Part("i", "i", 1, Decimal(90))], bands).grade == "excellent"
    assert rules.rating_on_100([5, 4]) == Decimal("90.0") and rules.rating_on_100([]) is None
