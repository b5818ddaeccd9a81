"""The quality and subsidy rollups (issue 14 part 4): every figure the dashboard reads from the cells equals the
same figure counted from the raw rows (evaluations, follow-up visits, ratings, subsidies paid), as the subscribers
keep them and again after a rebuild; a rolled-back action leaves no cell."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fayuan.bulletins.tests.support import _scores, _visit
from fayuan.cases.models import CaseEvent
from fayuan.core import events
from fayuan.portal.models import Rating
from fayuan.portal.services import rating_submit
from fayuan.quality import services as quality
from fayuan.quality.models import ClosingEvaluation, FollowUpRule, FollowUpVisit
from fayuan.stats import figures_quality, measures_quality, measures_subsidies
from fayuan.stats.figures_quality import QualityFigures
from fayuan.stats.models import Tally
from fayuan.stats.services import tally_rebuild
from fayuan.subsidies import rules
from fayuan.subsidies import services as subsidies
from fayuan.subsidies.models import Status, Subsidy
from fayuan.typical_cases.tests.support import closed_case

pytestmark = pytest.mark.django_db

LATE_BY = 70  # days: beyond the shipped 60-day payment term


def _approve(city: Any, case: Any) -> None:
    subsidies.subsidy_approve(actor=city.user("director_a"), public_id=Subsidy.objects.get(case=case).public_id)


def _scenario(city: Any) -> dict[str, Any]:
    """Center A: case 0 closed 70 days ago, evaluated (优秀), visited (不满意), its subsidy paid today (late);
    case 1 evaluated 优秀 then corrected to 不合格, visit unreachable then corrected to 满意, subsidy paid today
    (on time); case 2 evaluated 不合格, visit 基本满意; case 3 not evaluated, visit still due, rated by the applicant
    on two stages. Center B: case 4 evaluated (its visit as the shipped default sample draws it)."""
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="请问您对服务满意吗？",
                                effective_from=dt.date(2020, 1, 1), legal_basis="测试")
    reviewer = city.user("reviewer_a")
    past = timezone.now() - dt.timedelta(days=LATE_BY)
    with time_machine.travel(past, tick=False):
        case0 = closed_case(city, person=city.person_station_a)
        quality.evaluation_complete(actor=reviewer, public_id=case0.public_id, scores=_scores(case0, None))
        _approve(city, case0)
    cases = {"case0": case0, "case1": closed_case(city), "case2": closed_case(city, person=city.person_station_a),
             "case3": closed_case(city, person=city.applicant_person),
             "case4": closed_case(city, reviewer="reviewer_b")}
    _visit(city, case0, reached=True, satisfaction="dissatisfied")
    for name, points in (("case1", None), ("case1", 0), ("case2", 0)):
        quality.evaluation_complete(actor=reviewer, public_id=cases[name].public_id,
                                    scores=_scores(cases[name], points))
    quality.evaluation_complete(actor=city.user("reviewer_b"), public_id=cases["case4"].public_id,
                                scores=_scores(cases["case4"], None))
    _visit(city, cases["case1"], reached=False)
    _visit(city, cases["case1"], reached=True, satisfaction="satisfied")
    _visit(city, cases["case2"], reached=True, satisfaction="basic")
    for stage, score in (("closing", 4), ("acceptance", 5)):
        rating_submit(account=city.user("applicant"), public_id=cases["case3"].public_id, stage=stage, score=score)
    _approve(city, cases["case1"])
    batch = subsidies.batch_create(actor=reviewer, month=timezone.localdate())
    subsidies.batch_submit(actor=reviewer, batch_id=batch.pk)
    subsidies.batch_mark_paid(actor=reviewer, batch_id=batch.pk, paid_on=timezone.localdate())
    return cases


def _recount(center_ids: list[int], year: int, until: dt.date) -> QualityFigures:
    """The figures counted from the raw rows, by the rules the rollups state (the month of the closing)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    last = min(until, dt.date(year, 12, 31)).replace(day=1)
    end = dt.datetime.combine((last + dt.timedelta(days=32)).replace(day=1), dt.time.min, tzinfo=tz)
    mine = {"case__center_id__in": center_ids}
    f = QualityFigures()
    f.closed = CaseEvent.objects.filter(kind="accept_closing", at__gte=start, at__lt=end, **mine).count()
    evaluations = ClosingEvaluation.objects.filter(completed_at__isnull=False, opened_at__gte=start,
                                                   opened_at__lt=end, **mine)
    f.evaluated = evaluations.count()
    f.grades.update(Counter(evaluations.values_list("grade", flat=True)))
    f.score_sum = evaluations.aggregate(s=Sum("total"))["s"] or Decimal("0.00")
    visits = FollowUpVisit.objects.filter(created_at__gte=start, created_at__lt=end, **mine)
    f.followups_due = visits.count()
    f.followups_done = visits.filter(status="done").count()
    f.followups_unreachable = visits.filter(status="unreachable").count()
    f.satisfaction.update(Counter(visits.exclude(satisfaction="").values_list("satisfaction", flat=True)))
    f.ratings.update(Counter(Rating.objects.filter(created_at__gte=start, created_at__lt=end, **mine)
                             .values_list("score", flat=True)))
    for s in Subsidy.objects.filter(status=Status.PAID, closed_on__gte=start.date(), closed_on__lt=end.date(), **mine):
        days = (s.paid_on - s.closed_on).days  # type: ignore[operator]
        f.subsidies_paid += 1
        f.subsidies_on_time += days <= rules.payment_days_on(s.closed_on)
        f.subsidies_late += days > rules.payment_days_on(s.closed_on)
        f.subsidy_days += days
        f.subsidy_amount += s.total
    return f


def _years() -> list[int]:
    today = timezone.localdate()
    return sorted({today.year, (today - dt.timedelta(days=LATE_BY)).year})


def _cells() -> Counter[tuple]:
    counts: Counter[tuple] = Counter()
    rows = Tally.objects.filter(measure__in=measures_quality.MEASURES + measures_subsidies.MEASURES)
    for r in rows.values("measure", "center_id", "district_id", "month", "key").annotate(
            n=Sum("count"), a=Sum("amount")):
        if r["n"] or r["a"]:
            counts[(r["measure"], r["center_id"], r["district_id"], r["month"], r["key"])] = (r["n"], r["a"])
    return counts


def test_the_figures_equal_the_raw_rows_as_kept_and_after_a_rebuild(city: Any) -> None:
    cases = _scenario(city)
    today = timezone.localdate()
    a, b = city.center_a.pk, city.center_b.pk
    for year in _years():
        for ids in ([a], [b], [a, b]):
            assert figures_quality.quality_figures(ids, year, today) == _recount(ids, year, today), (year, ids)
    total = QualityFigures()
    for year in _years():
        for field in ("evaluated", "subsidies_paid", "subsidies_on_time", "subsidies_late", "subsidy_days"):
            setattr(total, field, getattr(total, field) + getattr(
                figures_quality.quality_figures([a], year, today), field))
    # The scenario reached what it meant to: four evaluations at A (case 1 counted once, as corrected), one subsidy
    # paid late and one on time, 70 days from closing to payment in all.
    assert (total.evaluated, total.subsidies_paid, total.subsidies_on_time, total.subsidies_late,
            total.subsidy_days) == (3, 2, 1, 1, LATE_BY)
    now = figures_quality.quality_figures([a], today.year, today)
    if today.year == (today - dt.timedelta(days=LATE_BY)).year:
        assert now.grades["fail"] == 2 and now.grades["excellent"] == 1 and now.mean_score == Decimal("33.3")
        assert (now.followups_due, now.followups_done, now.followups_pending) == (4, 3, 1)
        assert (now.satisfied, now.answered, now.satisfaction_rate) == (2, 3, 66.7)
    assert (now.ratings_count, now.ratings_mean) == (2, 4.5)
    assert ClosingEvaluation.objects.get(case=cases["case1"]).grade == "fail"

    kept = _cells()
    tally_rebuild()
    assert _cells() == kept
    for year in _years():
        assert figures_quality.quality_figures([a, b], year, today) == _recount([a, b], year, today)
    rows = figures_quality.per_center([b, a], today.year, today)
    assert {r.center_id: r.figures for r in rows} == {pk: _recount([pk], today.year, today) for pk in (a, b)}


def test_the_figures_cost_one_query_and_the_rows_per_center_two(city: Any, django_assert_num_queries: Any) -> None:
    closed_case(city)
    ids, today = [city.center_a.pk, city.center_b.pk], timezone.localdate()
    with django_assert_num_queries(1):
        figures = figures_quality.quality_figures(ids, today.year, today)
    with django_assert_num_queries(2):
        rows = figures_quality.per_center(ids, today.year, today)
    assert figures.closed == 1 and figures.coverage == 0.0 and figures.mean_score is None
    assert sum(r.figures.closed for r in rows) == 1


def test_a_rolled_back_evaluation_visit_or_payment_leaves_no_cell(city: Any) -> None:
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="话术", effective_from=dt.date(2020, 1, 1),
                                legal_basis="测试")
    case = closed_case(city)
    reviewer = city.user("reviewer_a")
    before = _cells()
    _approve(city, case)
    batch = subsidies.batch_create(actor=reviewer, month=timezone.localdate())
    subsidies.batch_submit(actor=reviewer, batch_id=batch.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        quality.evaluation_complete(actor=reviewer, public_id=case.public_id, scores=_scores(case, None))
        _visit(city, case, reached=True, satisfaction="satisfied")
        subsidies.batch_mark_paid(actor=reviewer, batch_id=batch.pk, paid_on=timezone.localdate())
        assert _cells() != before  # the subscribers did add, inside the transaction
        raise RuntimeError
    assert _cells() == before
    assert not Tally.objects.filter(measure__in=("evaluation", "subsidy_paid", "subsidy_days")).exists()


def test_the_rollups_are_wired_in_the_events_transaction() -> None:
    wiring = {(s.pattern, s.phase, s.label) for s in events.subscriptions()}
    for name, handler in (("quality.evaluation_completed", "evaluation_rollups"),
                          ("quality.followup_drawn", "follow_up_rollups"),
                          ("quality.followup_recorded", "follow_up_rollups"), ("rating.submit", "rating_rollups")):
        assert (name, "in_transaction", f"fayuan.stats.measures_quality.{handler}") in wiring
    assert ("subsidy.batch_paid", "in_transaction", "fayuan.stats.measures_subsidies.batch_paid_rollups") in wiring
