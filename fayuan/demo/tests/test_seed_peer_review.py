"""The demo's peer review: one round with the recorded seed whose redraw gives the same sample, reviewers assigned
without conflicts, most samples scored, one unqualified with its improvement note; seeding again adds nothing, and
a database seeded before the peer review gets the same round (same seed, same cases) on a re-seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from fayuan.demo.peer_review import DEMO_SEED
from fayuan.quality.models import ImprovementNote, InspectionRound, PeerSample
from fayuan.quality.peer_review import rules, selectors, services
from fayuan.quality.selectors import case_quality_grade


def _state() -> tuple:
    return (list(InspectionRound.objects.values_list("year", "seed", "rate")),
            sorted(PeerSample.objects.values_list("case_id", "reviewer_id", "grade")),
            ImprovementNote.objects.count())


@pytest.mark.django_db(transaction=False)
def test_demo_peer_review_round_redraws_from_its_seed_and_reseeding_fills_only_gaps():
    out = io.StringIO()
    call_command("seed_demo", persons=120, cases=80, consultations=0, stdout=out)
    text = out.getvalue()
    assert "同行评估：" in text and "被拒绝" not in text, text[-2000:]
    round_ = InspectionRound.objects.get()
    assert round_.seed == DEMO_SEED and round_.rate == 10
    samples = list(round_.samples.select_related("case", "case__provider", "reviewer", "reviewer__provider"))
    assert len(samples) >= 4
    # The strata: every center and case type with closed cases that year has at least one sample.
    assert sum(s["drawn"] for s in round_.strata) == len(samples)
    assert all(s["drawn"] >= 1 and s["drawn"] <= s["population"] for s in round_.strata)
    # The recorded seed redraws the same sample, on the demo's own closed cases.
    assert selectors.round_redraw_matches(round_)
    assert sorted(selectors.round_redraw(round_)) == sorted(s.case_id for s in samples)
    for sample in samples:
        assert sample.reviewer is not None
        assert rules.conflict(services.reviewer_facts(sample.reviewer), services.case_parties(sample.case)) is None
    scored = [s for s in samples if s.scored]
    assert len(scored) >= len(samples) - 2 and len(scored) < len(samples)
    failed = [s for s in scored if s.grade == "fail"]
    assert len(failed) == 1
    note = ImprovementNote.objects.get(sample=failed[0])
    assert note.deadline and note.measures
    assert selectors.peer_review_lowers_subsidy(failed[0].case) and case_quality_grade(failed[0].case) == "fail"
    before = _state()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert _state() == before
    # A database seeded before the peer review: the re-seed draws the same round again.
    ImprovementNote.objects.all().delete()
    PeerSample.objects.all().delete()
    InspectionRound.objects.all().delete()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    after = _state()
    assert after[0] == before[0] and after[2] == 1
    assert [c for c, _r, _g in after[1]] == [c for c, _r, _g in before[1]]
