"""The demo's quality records: after seeding, every closed case has a completed evaluation and a grade, there are
attendances and follow-ups with a satisfaction rate, no service refused a step (major cases were discussed before
closing), seeding again adds nothing, and a database seeded before quality existed gets its records on a re-seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from fayuan.accounts.models import User
from fayuan.cases.models import Case
from fayuan.quality.models import (
    CaseGrading,
    ClosingEvaluation,
    CollectiveDiscussion,
    FollowUpVisit,
    HearingAttendance,
    StageEvaluation,
)
from fayuan.quality.selectors import CLOSED_STATUSES, case_quality_grade, evaluation_gaps, satisfaction_report

QUALITY_MODELS = (FollowUpVisit, HearingAttendance, ClosingEvaluation, StageEvaluation, CollectiveDiscussion,
                  CaseGrading)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in QUALITY_MODELS}


def _every_closed_case_has_a_grade() -> None:
    closed = Case.objects.filter(status__in=CLOSED_STATUSES)
    assert closed.count() > 5
    for case in closed:
        assert case_quality_grade(case) in {"excellent", "good", "pass", "fail"}, case.number
    bureau = User.objects.filter(role="bureau_supervisor", district__isnull=True).first()
    gaps = evaluation_gaps(bureau)
    assert gaps.counted and gaps.cases == [] and all(r.missing == 0 for r in gaps.rows)


@pytest.mark.django_db(transaction=False)
def test_demo_quality_every_closed_case_graded_and_reseeding_fills_only_gaps():
    out = io.StringIO()
    call_command("seed_demo", persons=120, cases=80, consultations=0, stdout=out)
    text = out.getvalue()
    assert "质量管理：" in text and "被拒绝" not in text, text[-3000:]
    _every_closed_case_has_a_grade()
    assert HearingAttendance.objects.filter(status="done").exists()
    assert FollowUpVisit.objects.filter(status="done").exists()
    bureau = User.objects.filter(role="bureau_supervisor", district__isnull=True).first()
    by_center, _by_provider = satisfaction_report(bureau)
    assert any(r.rate is not None for r in by_center)
    # Major or difficult cases that closed were discussed first.
    for grading in CaseGrading.objects.filter(case__status__in=CLOSED_STATUSES).select_related("case"):
        if grading.needs_discussion:
            assert CollectiveDiscussion.objects.filter(case=grading.case).exists(), grading.case.number
    before = _counts()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert _counts() == before
    # A database seeded before quality existed: no quality records at all; the re-seed adds what is missing.
    for model in QUALITY_MODELS:
        model.objects.all().delete()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    _every_closed_case_has_a_grade()
    assert CaseGrading.objects.count() == before["CaseGrading"]
