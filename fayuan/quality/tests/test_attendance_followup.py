"""Hearing attendance planned from the hearings providers enter as progress entries, and follow-up visits drawn at
closing by the center's sample rate, with the satisfaction report per center and provider."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fayuan.cases import services as cases
from fayuan.cases.models import ProgressKind
from fayuan.core.errors import Conflict, NotFoundOrForbidden, ValidationFailed
from fayuan.quality import rules, services
from fayuan.quality.models import FollowUpRule, FollowUpVisit, HearingAttendance
from fayuan.quality.selectors import hearings_to_plan, satisfaction_report

from .support import closed_case, signed_case


def _hearing(city, case, at):
    return cases.progress_record(actor=city.user("provider_a"), public_id=case.public_id, kind=ProgressKind.HEARING,
                                 occurred_on=timezone.localdate(), summary="出庭参加庭审", court="京口区人民法院",
                                 hearing_at=at)


def test_staff_plan_attendance_of_a_hearing_the_provider_entered_and_record_it(city):
    case = signed_case(city)
    entry = _hearing(city, case, timezone.now() - dt.timedelta(hours=2))
    reviewer = city.user("reviewer_a")
    since = timezone.localdate() - dt.timedelta(days=30)
    assert list(hearings_to_plan(reviewer, since=since)) == [entry]
    assert list(hearings_to_plan(city.user("reviewer_b"), since=since)) == []
    attendance = services.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="中心 陈某",
                                          progress_entry_id=entry.pk)
    assert attendance.court == "京口区人民法院" and attendance.hearing_at == entry.hearing_at
    assert list(hearings_to_plan(reviewer, since=since)) == []
    with pytest.raises(Conflict, match="已经安排"):
        services.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="中心 陈某",
                                 progress_entry_id=entry.pk)
    with pytest.raises(ValidationFailed, match="打分"):
        services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True,
                                   observations="举证质证充分", score=120)
    done = services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True,
                                      observations="举证质证充分，发言条理清楚。", score=88)
    assert done.status == "done" and done.score == 88
    with pytest.raises(NotFoundOrForbidden):
        services.attendance_record(actor=city.user("reviewer_b"), attendance_id=attendance.pk, attended=False,
                                   observations="另一中心")


def test_a_future_hearing_is_planned_but_not_recorded_before_it_is_held(city):
    case = signed_case(city)
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="开庭时间"):
        services.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="陈某")
    attendance = services.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="陈某",
                                          hearing_at=timezone.now() + dt.timedelta(days=5), court="京口区人民法院")
    with pytest.raises(Conflict, match="开庭日期未到"):
        services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True, observations="表现良好",
                                   score=90)
    services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=False,
                               observations="法院通知延期开庭")
    assert HearingAttendance.objects.get(pk=attendance.pk).status == "cancelled"


def test_the_attended_hearing_counts_in_the_closing_evaluation(city):
    case = signed_case(city)
    entry = _hearing(city, case, timezone.now() - dt.timedelta(hours=2))
    reviewer = city.user("reviewer_a")
    attendance = services.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="陈某",
                                          progress_entry_id=entry.pk)
    services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True, observations="表现良好",
                               score=70)
    cases.closing_submit(actor=city.user("provider_a"), public_id=case.public_id, outcome="won",
                         report="判决支持全部诉讼请求，已执行完毕。")
    cases.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    rubric = services.inspection_rubric(timezone.localdate())
    evaluation = services.evaluation_complete(actor=reviewer, public_id=case.public_id,
                                              scores={i.pk: i.max_points for i in rubric.items.all()})
    # inspection 100 at 50, attendance 70 at 15 (rating and organ missing): (5000 + 1050) / 65
    assert evaluation.attendance_score == Decimal("70.0")
    assert evaluation.total == Decimal("93.1") and evaluation.grade == "excellent"


def test_the_shipped_default_rule_and_the_draw_are_reproducible(db):
    rule = FollowUpRule.objects.in_force_on(timezone.localdate()).get(center__isnull=True)
    assert rule.rate == 30 and "满意" in rule.script and rule.local_default and "第五十九条" in rule.legal_basis
    keys = [f"00000000-0000-0000-0000-{i:012d}" for i in range(400)]
    drawn = [k for k in keys if rules.drawn_for_followup(k, 30)]
    assert drawn == [k for k in keys if rules.drawn_for_followup(k, 30)]  # the same sample when redrawn
    assert 80 <= len(drawn) <= 160  # about 30%
    assert all(rules.drawn_for_followup(k, 100) for k in keys) and not any(rules.drawn_for_followup(k, 0) for k in keys)


def test_a_centers_own_rate_draws_every_closed_case_and_the_visit_is_recorded(city):
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="请问您对服务满意吗？",
                                effective_from=dt.date(2020, 1, 1), legal_basis="中心规定")
    case = closed_case(city)
    visit = FollowUpVisit.objects.get(case=case)
    assert visit.script == "请问您对服务满意吗？" and visit.provider_id == case.provider_id
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="满意度"):
        services.followup_record(actor=reviewer, visit_id=visit.pk, visited_on=timezone.localdate(), reached=True,
                                 result="电话回访")
    services.followup_record(actor=reviewer, visit_id=visit.pk, visited_on=timezone.localdate(), reached=True,
                             result="受援人表示律师认真负责。", satisfaction="satisfied")
    by_center, by_provider = satisfaction_report(reviewer)
    assert [(r.label, r.reached, r.rate) for r in by_center] == [(city.center_a.name, 1, 100.0)]
    assert [(r.label, r.satisfied) for r in by_provider] == [(case.provider.name, 1)]
    assert satisfaction_report(city.user("reviewer_b")) == ([], [])
    with pytest.raises(NotFoundOrForbidden):
        services.followup_record(actor=city.user("reviewer_b"), visit_id=visit.pk, visited_on=timezone.localdate(),
                                 reached=False, result="另一中心")


def test_a_rate_of_zero_draws_nothing(city):
    FollowUpRule.objects.create(center=city.center_a, rate=0, script="话术", effective_from=dt.date(2020, 1, 1),
                                legal_basis="中心规定")
    case = closed_case(city)
    assert not FollowUpVisit.objects.filter(case=case).exists()


def test_satisfaction_rate_counts_basic_as_satisfied_and_unreachable_apart(db):
    from fayuan.quality.selectors import SatisfactionRow

    row = SatisfactionRow("中心", visits=5, reached=4, satisfied=2, basic=1, dissatisfied=1)
    assert row.rate == 75.0
    assert SatisfactionRow("中心", visits=1, reached=0).rate is None
