"""The annual excellent-case review: a named panel scores accepted nominees on the shipped rubric; ranked results."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.typical_cases.models import Score
from fayuan.typical_cases.selectors import criteria_on, review_results
from fayuan.typical_cases.services_review import (
    excellence_review_close,
    excellence_review_open,
    nomination_add,
    panel_member_add,
    scores_record,
)

from .support import accepted, ready_write_up

pytestmark = pytest.mark.django_db


def sheet(total_off: int = 0) -> dict[str, int]:
    """Full marks on every item, less ``total_off`` points on the first."""
    points = {c.code: c.max_points for c in criteria_on(timezone.localdate())}
    first = next(iter(points))
    points[first] -= total_off
    return points


def test_a_panel_scores_nominees_and_the_results_are_ranked(city):
    bureau = city.user("bureau")
    review = excellence_review_open(actor=bureau, year=timezone.localdate().year)
    members = [panel_member_add(actor=bureau, review_id=review.pk, name=name, affiliation="市律师协会")
               for name in ("评审甲", "评审乙", "评审丙")]
    strong, weak = accepted(city), accepted(city)
    n_strong = nomination_add(actor=bureau, review_id=review.pk, typical_case_id=strong.public_id)
    n_weak = nomination_add(actor=bureau, review_id=review.pk, typical_case_id=weak.public_id)
    for m in members:
        scores_record(actor=bureau, review_id=review.pk, nomination_id=n_strong.pk, member_id=m.pk, points=sheet(2))
        scores_record(actor=bureau, review_id=review.pk, nomination_id=n_weak.pk, member_id=m.pk, points=sheet(10))
    # Recording a member's sheet again replaces it.
    scores_record(actor=bureau, review_id=review.pk, nomination_id=n_weak.pk, member_id=members[0].pk,
                  points=sheet(13))
    results = review_results(review)
    assert [(r.nomination.pk, str(r.ranked.average), r.ranked.rank, r.ranked.scored_by) for r in results] == [
        (n_strong.pk, "98.00", 1, 3), (n_weak.pk, "89.00", 2, 3)]
    assert Score.objects.filter(nomination=n_weak).count() == 3 * len(criteria_on(timezone.localdate()))
    excellence_review_close(actor=bureau, review_id=review.pk)
    with pytest.raises(Conflict, match="已结束"):
        panel_member_add(actor=bureau, review_id=review.pk, name="评审丁", affiliation="市中级人民法院")


def test_only_accepted_cases_of_the_year_are_nominated_and_scores_stay_in_range(city):
    bureau = city.user("bureau")
    review = excellence_review_open(actor=bureau, year=timezone.localdate().year)
    draft = ready_write_up(city)
    with pytest.raises(Conflict, match="已采用"):
        nomination_add(actor=bureau, review_id=review.pk, typical_case_id=draft.public_id)
    nominee = nomination_add(actor=bureau, review_id=review.pk, typical_case_id=accepted(city).public_id)
    member = panel_member_add(actor=bureau, review_id=review.pk, name="评审甲", affiliation="市司法局")
    with pytest.raises(Conflict, match="至少 3 人"):
        scores_record(actor=bureau, review_id=review.pk, nomination_id=nominee.pk, member_id=member.pk,
                      points=sheet())
    for name in ("评审乙", "评审丙"):
        panel_member_add(actor=bureau, review_id=review.pk, name=name, affiliation="市律师协会")
    too_many = sheet()
    too_many[next(iter(too_many))] += 1
    with pytest.raises(ValidationFailed, match="应为 0 到"):
        scores_record(actor=bureau, review_id=review.pk, nomination_id=nominee.pk, member_id=member.pk,
                      points=too_many)
    assert not Score.objects.exists()
    with pytest.raises(Conflict, match="还有评分未录入"):
        excellence_review_close(actor=bureau, review_id=review.pk)


def test_the_review_is_the_city_bureaus(city):
    from fayuan.core.tests.access_support import add_personas

    add_personas(city)
    for key in ("bureau_a", "reviewer_a", "director_a"):
        with pytest.raises(PermissionDenied):
            excellence_review_open(actor=city.user(key), year=timezone.localdate().year)
    excellence_review_open(actor=city.user("bureau"), year=timezone.localdate().year)
    with pytest.raises(Conflict, match="已经开始"):
        excellence_review_open(actor=city.user("bureau"), year=timezone.localdate().year)
