"""The figures of a bulletin against the hand-counted month of ``support.month``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fayuan.bulletins import rules
from fayuan.bulletins.figures import Scope, block_values, snapshot

from .support import month


@pytest.fixture
def counted(city):
    return month(city)


def test_center_figures_are_the_hand_counted_ones(city, counted):
    found = snapshot(Scope(counted.start, counted.end, city.center_a.pk))
    assert block_values(found, "cases") == {
        "closed": 3, "evaluated": 2, "gaps": 1,
        "grade_excellent": 1, "grade_good": 0, "grade_pass": 0, "grade_fail": 1}
    assert block_values(found, "attendance") == {"attended": 2, "average_score": "85.0"}
    assert block_values(found, "followup") == {"visits": 3, "reached": 2, "satisfied": 1, "dissatisfied": 1,
                                               "rate": "50.0"}
    # Last month's complaint is not received this month but is still pending at its end; three counting complaints
    # within twelve months flag provider A on the shipped rule (3).
    assert block_values(found, "complaints") == {"received": 2, "decided": 1, "substantiated": 1, "partly": 0,
                                                 "pending": 2, "flagged_providers": 1}
    assert block_values(found, "typical") == {"submitted": 1, "accepted": 1}
    assert found["centers"] == []  # the per-center table is the city's


def test_city_figures_add_the_centers_and_list_each(city, counted):
    found = snapshot(Scope(counted.start, counted.end, None))
    cases = block_values(found, "cases")
    assert (cases["closed"], cases["evaluated"], cases["grade_excellent"], cases["grade_fail"], cases["gaps"]) == (
        4, 3, 2, 1, 1)
    rows = {c["name"]: c for c in found["centers"]}
    assert rows[city.center_a.name] == {"name": city.center_a.name, "closed": 3, "evaluated": 2, "fail": 1,
                                        "gaps": 1, "rate": "50.0", "complaints": 2, "substantiated": 1}
    assert rows[city.center_b.name]["closed"] == 1 and rows[city.center_b.name]["rate"] is None


def test_last_month_counts_only_its_own_case(city, counted):
    start, end = rules.period_bounds("monthly", counted.start - dt.timedelta(days=1))
    found = snapshot(Scope(start, end, city.center_a.pk))
    assert block_values(found, "cases")["closed"] == 1 and block_values(found, "cases")["grade_excellent"] == 1
    assert block_values(found, "complaints")["received"] == 1


def test_the_suggestions_name_the_centers_with_gaps_and_unqualified_grades(city, counted):
    found = snapshot(Scope(counted.start, counted.end, None))
    problems = rules.suggest_problems(found)
    assert (f"{city.center_a.name}：1件结案案件尚未完成一案一评，1件案件质量评定为不合格，"
            "1件投诉经查成立或部分成立。") in problems
    assert city.center_b.name not in problems
    assert "1名受援人表示不满意" in problems and "1名法律援助人员触发重复投诉提示" in problems
    assert "2件案件质量评定为优秀" in rules.suggest_good_practice(found, ["x"])


def test_period_bounds_for_a_month_a_december_and_a_year():
    assert rules.period_bounds("monthly", dt.date(2026, 3, 17)) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert rules.period_bounds("monthly", dt.date(2026, 12, 5)) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert rules.period_bounds("annual", dt.date(2025, 6, 1)) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert rules.format_number("镇法援", 2026, 3) == "镇法援质通〔2026〕第3号"


def test_the_peer_review_block_counts_the_periods_scored_samples_and_open_improvements(city):
    from fayuan.bulletins.figures import Scope, peer_review_block
    from fayuan.quality.tests.test_peer_review import _scored

    sample = _scored(city, 45)  # one center A case scored 55: 不合格, no improvement yet
    today = timezone.localdate()
    month = Scope(today.replace(day=1), today + dt.timedelta(days=1), sample.center_id)
    block = peer_review_block(month)
    assert (block.values["n"], block.values["grade_fail"], block.values["open_improvements"]) == (1, 1, 1)
    assert block.values["average_score"] == "55.0" and ("其中不合格（件）", "1") in block.rows
    other = Scope(month.start, month.end, city.center_b.pk)  # center B only reviewed it
    assert peer_review_block(other).values["n"] == 0
    earlier = Scope(month.start - dt.timedelta(days=40), month.start - dt.timedelta(days=10), sample.center_id)
    assert peer_review_block(earlier).values["n"] == 0
