"""Peer review (同行评估): the stratified draw is reproducible from its seed, reviewers with a conflict are refused
with the reason, assignment is balanced, the reviewer scores on the shipped sample rubric, an unqualified result
needs the center's improvement and lowers the subsidy, and the case's quality grade follows a worse peer grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fayuan.conftest import make_user
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.org.models import Firm, FirmKind, Provider, ProviderKind
from fayuan.quality import services as quality_services
from fayuan.quality.models import ImprovementNote, InspectionRound, PeerSample, Rubric, RubricPurpose
from fayuan.quality.peer_review import rules, selectors, services
from fayuan.quality.selectors import case_quality_grade

from .support import closed_case

YEAR = timezone.localdate().year


def _pool(spec: dict[tuple[int, str], int]) -> list[rules.Candidate]:
    out, n = [], 0
    for (center, case_type), size in spec.items():
        for _ in range(size):
            n += 1
            out.append(rules.Candidate(n, center, case_type, f"N{n:05d}"))
    return out


def test_the_draw_takes_the_rate_of_each_stratum_and_at_least_one():
    pool = _pool({(1, "civil"): 40, (1, "criminal"): 3, (2, "civil"): 1, (2, "labor"): 19})
    strata = rules.draw(pool, rate=10, seed=42)
    sizes = {(s.center_id, s.case_type): (s.population, len(s.drawn)) for s in strata}
    assert sizes == {(1, "civil"): (40, 4), (1, "criminal"): (3, 1), (2, "civil"): (1, 1), (2, "labor"): (19, 2)}
    for s in strata:  # every drawn case belongs to its stratum
        members = {c.case_id for c in pool if (c.center_id, c.case_type) == (s.center_id, s.case_type)}
        assert set(s.drawn) <= members and len(set(s.drawn)) == len(s.drawn)


def test_the_same_seed_draws_the_same_sample_whatever_the_input_order_and_another_seed_differs():
    pool = _pool({(1, "civil"): 60, (2, "criminal"): 50})
    first = rules.draw(pool, rate=20, seed=20260101)
    assert rules.draw(list(reversed(pool)), rate=20, seed=20260101) == first
    assert rules.draw(pool, rate=20, seed=7) != first
    with pytest.raises(ValueError):
        rules.draw(pool, rate=0, seed=1)


def test_conflicts_are_refused_with_their_reason():
    case = rules.CaseParties(center_id=1, provider_id=10, provider_firm_id=100, handler_user_ids=frozenset({5}),
                             handler_provider_ids=frozenset({10, 11}))
    assert "承办人员" in rules.conflict(rules.Reviewer(9, 2, 200, 10), case)
    assert "曾经办" in rules.conflict(rules.Reviewer(5, 2, None, None), case)
    assert "曾经办" in rules.conflict(rules.Reviewer(8, 2, 200, 11), case)  # an earlier provider of the case
    assert "同一法律援助中心" in rules.conflict(rules.Reviewer(7, 1, None, None), case)
    assert "同一执业机构" in rules.conflict(rules.Reviewer(6, 2, 100, 12), case)
    assert rules.conflict(rules.Reviewer(4, 2, 200, 13), case) is None


def test_balancing_gives_each_sample_to_the_least_loaded_eligible_reviewer():
    parties = [(i, rules.CaseParties(1 if i % 2 else 2, None, None, frozenset(), frozenset())) for i in range(1, 9)]
    reviewers = [rules.Reviewer(1, 1, None, None), rules.Reviewer(2, 2, None, None), rules.Reviewer(3, 3, None, None)]
    assigned, stuck = rules.balance(parties, reviewers, {3: 2})
    assert stuck == []
    for sample_id, user_id in assigned.items():
        assert user_id != (1 if sample_id % 2 else 2)  # never their own center
    counts = {u: list(assigned.values()).count(u) + (2 if u == 3 else 0) for u in (1, 2, 3)}
    assert max(counts.values()) - min(counts.values()) <= 1, counts
    only_own = [rules.Reviewer(1, 1, None, None)]
    assert rules.balance(parties[:1], only_own, {}) == ({}, [1])


@pytest.mark.django_db
def test_the_shipped_peer_review_rubric_is_a_dated_sample_of_100_points_with_its_basis_pending():
    rubric = services.peer_rubric(timezone.localdate())
    assert rubric is not None and rubric.purpose == RubricPurpose.PEER_REVIEW and rubric.sample
    assert "示例" in str(rubric) and "依据待补" in rubric.legal_basis and rubric.effective_from == dt.date(2018, 1, 1)
    assert sum(i.max_points for i in rubric.items.all()) == 100 and rubric.items.count() == 8
    assert (rubric.excellent_from, rubric.good_from, rubric.pass_from) == (90, 75, 60)
    assert services.peer_rubric(dt.date(2017, 12, 31)) is None  # dated: not before it took effect
    # The file-inspection sample is another rubric: the peer review never picks it.
    assert Rubric.objects.filter(purpose=RubricPurpose.FILE_INSPECTION).exclude(pk=rubric.pk).exists()


def _round(city, rate=50, seed=12345):
    return services.round_open(actor=city.user("bureau"), year=YEAR, rate=rate, seed=seed)


def test_the_city_bureau_draws_a_round_with_a_recorded_seed_that_redraws_the_same(city):
    case = closed_case(city)
    for who in ("bureau_a", "reviewer_a"):
        with pytest.raises(PermissionDenied):
            services.round_open(actor=city.user(who), year=YEAR, rate=10, seed=1)
    with pytest.raises(ValidationFailed):
        services.round_open(actor=city.user("bureau"), year=YEAR, rate=0, seed=1)
    with pytest.raises(Conflict):
        services.round_open(actor=city.user("bureau"), year=YEAR - 3, rate=10, seed=1)  # nothing closed then
    assert not InspectionRound.objects.exists()
    round_ = _round(city)
    assert round_.seed == 12345 and list(round_.samples.values_list("case_id", flat=True)) == [case.pk]
    assert round_.strata == [{"center_id": city.center_a.pk, "center": city.center_a.name, "case_type": case.case_type,
                              "case_type_label": case.get_case_type_display(), "population": 1, "drawn": 1}]
    assert selectors.round_redraw(round_) == [case.pk] and selectors.round_redraw_matches(round_)
    # A case closed after the draw (the round is of the current year) does not change the redraw.
    later = closed_case(city)
    assert len(selectors.candidates(YEAR)) == 2
    assert [c.case_id for c in selectors.candidates(YEAR, until=round_.created_at)] == [case.pk]
    assert later.pk not in selectors.round_redraw(round_) and selectors.round_redraw_matches(round_)
    with pytest.raises(Conflict):
        _round(city)


def test_a_round_without_a_seed_records_the_one_it_drew_with(city):
    closed_case(city)
    round_ = services.round_open(actor=city.user("bureau"), year=YEAR, rate=10)
    assert 0 <= round_.seed < services.SEED_MAX and selectors.round_redraw_matches(round_)


def test_a_reviewer_with_a_conflict_is_refused_and_another_centers_staff_is_assigned(city):
    closed_case(city)
    sample = _round(city).samples.get()
    bureau = city.user("bureau")
    # reviewer_a acted on the case (granted, assigned, accepted the closing); director_a works at its center; duty_a's
    # home center is center A.
    refusals = {"reviewer_a": "曾经办", "director_a": "同一法律援助中心", "provider_a": "承办人员",
                "duty_a": "同一法律援助中心"}
    for who, reason in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            services.sample_assign(actor=bureau, sample_id=sample.pk, reviewer_id=city.user(who).pk)
        assert reason in refused.value.message
    # A lawyer of center B from the case provider's firm.
    firm = Firm.objects.create(name="某某律师事务所", kind=FirmKind.LAW_FIRM, district=city.district_a)
    Provider.objects.filter(pk=city.user("provider_a").provider_id).update(firm=firm)
    colleague = Provider.objects.create(name="孙律师", kind=ProviderKind.LAWYER, license_number="13211800000000099",
                                        home_center=city.center_b, firm=firm)
    with pytest.raises(ValidationFailed) as refused:
        services.sample_assign(actor=bureau, sample_id=sample.pk,
                               reviewer_id=make_user("colleague", "provider", provider=colleague).pk)
    assert "同一执业机构" in refused.value.message
    with pytest.raises(ValidationFailed):
        services.sample_assign(actor=bureau, sample_id=sample.pk, reviewer_id=city.user("bureau_a").pk)
    assert PeerSample.objects.get(pk=sample.pk).reviewer is None
    services.sample_assign(actor=bureau, sample_id=sample.pk, reviewer_id=city.user("reviewer_b").pk)
    assert PeerSample.objects.get(pk=sample.pk).reviewer == city.user("reviewer_b")


def test_balanced_assignment_skips_conflicted_reviewers(city):
    closed_case(city)
    round_ = _round(city)
    assigned, stuck = services.round_assign_balanced(actor=city.user("bureau"), round_id=round_.pk,
                                                     reviewer_ids=[city.user("reviewer_a").pk])
    assert (assigned, len(stuck)) == (0, 1)
    assigned, stuck = services.round_assign_balanced(
        actor=city.user("bureau"), round_id=round_.pk,
        reviewer_ids=[city.user("reviewer_a").pk, city.user("reviewer_b").pk])
    assert (assigned, stuck) == (1, []) and round_.samples.get().reviewer == city.user("reviewer_b")


def _scored(city, points_lost: int):
    """The round's one sample assigned to reviewer_b and scored, ``points_lost`` taken off the first items."""
    closed_case(city)
    sample = _round(city).samples.get()
    services.sample_assign(actor=city.user("bureau"), sample_id=sample.pk, reviewer_id=city.user("reviewer_b").pk)
    items = services.rubric_items(sample.round.rubric)
    scores, left = {}, points_lost
    for item_id, _t, max_points in items:
        off = min(left, max_points)
        scores[item_id], left = max_points - off, left - off
    return services.sample_score(actor=city.user("reviewer_b"), sample_id=sample.pk, scores=scores,
                                 item_comments={items[0][0]: "会见记录不全"}, comment="案卷材料基本齐全。")


def test_only_the_assigned_reviewer_scores_and_the_grade_comes_from_the_bands(city):
    sample = _scored(city, 12)
    assert sample.total == Decimal("88.0") and sample.grade == "good" and "良好" in sample.explanation
    assert list(sample.item_comments.values()) == ["会见记录不全"]
    for who in ("reviewer_a", "director_a", "bureau"):
        with pytest.raises(NotFoundOrForbidden):
            services.sample_score(actor=city.user(who), sample_id=sample.pk, scores={}, item_comments={},
                                  comment="不应保存")
    with pytest.raises(ValidationFailed):  # an item left out
        services.sample_score(actor=city.user("reviewer_b"), sample_id=sample.pk, scores={}, item_comments={},
                              comment="漏项")
    assert PeerSample.objects.get(pk=sample.pk).total == Decimal("88.0")
    assert not selectors.peer_review_lowers_subsidy(sample.case)
    with pytest.raises(Conflict):
        services.sample_assign(actor=city.user("bureau"), sample_id=sample.pk, reviewer_id=city.user("clerk_b").pk)


def test_an_unqualified_result_lowers_the_subsidy_and_needs_the_centers_improvement(city):
    sample = _scored(city, 45)
    assert sample.grade == "fail" and selectors.peer_review_lowers_subsidy(sample.case.pk)
    provider_id = city.user("provider_a").provider_id
    assert selectors.provider_peer_results(provider_id, YEAR) == {
        "sampled": 1, "scored": 1, "grades": {"fail": 1}, "unqualified_case_ids": [sample.case_id]}
    due = selectors.improvements_due(city.user("reviewer_a"))
    assert list(due) == [sample]
    with pytest.raises(NotFoundOrForbidden):  # center B reviewed it but does not improve it
        services.improvement_record(actor=city.user("reviewer_b"), sample_id=sample.pk, measures="不应保存",
                                    deadline=timezone.localdate())
    with pytest.raises(ValidationFailed):
        services.improvement_record(actor=city.user("reviewer_a"), sample_id=sample.pk, measures="组织学习",
                                    deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(Conflict):
        services.improvement_done(actor=city.user("reviewer_a"), sample_id=sample.pk,
                                  done_on=timezone.localdate(), done_note="已完成整改")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    services.improvement_record(actor=city.user("reviewer_a"), sample_id=sample.pk,
                                measures="组织承办律师学习案卷规范，补齐会见笔录。", deadline=deadline)
    assert list(selectors.improvements_due(city.user("bureau"))) == [sample]
    services.improvement_done(actor=city.user("director_a"), sample_id=sample.pk, done_on=timezone.localdate(),
                              done_note="已补齐会见笔录，完成学习。")
    note = ImprovementNote.objects.get(sample=sample)
    assert note.deadline == deadline and note.done_on == timezone.localdate()
    assert not selectors.improvements_due(city.user("bureau")).exists()


def test_no_improvement_for_a_qualified_result(city):
    sample = _scored(city, 10)
    with pytest.raises(Conflict):
        services.improvement_record(actor=city.user("reviewer_a"), sample_id=sample.pk, measures="无需整改",
                                    deadline=timezone.localdate())


def test_the_case_quality_grade_is_lowered_by_a_worse_peer_grade_never_raised(city):
    sample = _scored(city, 45)  # 不合格
    case = sample.case
    assert case_quality_grade(case) == "fail"  # no closing evaluation yet: the peer grade is the one there is
    rubric = quality_services.inspection_rubric(timezone.localdate())
    quality_services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                         scores={i.pk: i.max_points for i in rubric.items.all()})
    assert case_quality_grade(case) == "fail"
    services.sample_score(actor=city.user("reviewer_b"), sample_id=sample.pk,
                          scores={i: m for i, _t, m in services.rubric_items(sample.round.rubric)},
                          item_comments={}, comment="复核后满分。")
    assert case_quality_grade(case) == "excellent"
    # A closing evaluation worse than the peer review stays.
    quality_services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                         scores={i.pk: 0 for i in rubric.items.all()})
    assert case_quality_grade(case) == "fail"


def test_results_per_center_and_provider_are_scoped(city):
    _scored(city, 30)
    by_center, by_provider = selectors.results(city.user("bureau"), year=YEAR)
    assert [(r.label, r.sampled, r.scored, r.mean, r.grades["pass"]) for r in by_center] == [
        (city.center_a.name, 1, 1, Decimal("70.0"), 1)]
    assert [r.key for r in by_provider] == [city.user("provider_a").provider_id]
    assert selectors.results(city.user("reviewer_a"))[0][0].sampled == 1
    assert selectors.results(city.user("reviewer_b")) == ([], [])  # center B reviewed it; the result is A's
    assert selectors.results(city.user("provider_a")) == ([], [])
