"""The compliance table (who missed which month), the monthly reminder, and the shipped rule rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fayuan.core.dated import BasisStatus
from fayuan.core.tests import lawtext
from fayuan.jobs.schedule import JOBS
from fayuan.notifications.models import Notification
from fayuan.typical_cases import rules
from fayuan.typical_cases.models import ExcellenceCriterion, MonthlyQuota, ReminderSent
from fayuan.typical_cases.selectors import compliance, quota_on
from fayuan.typical_cases.services import typical_case_remind, typical_case_submit

from .support import ready_write_up

TODAY = dt.date(2026, 5, 15)


@pytest.mark.parametrize(("submitted", "period", "expected"), [
    (0, dt.date(2026, 4, 1), rules.MISSED),  # April is over
    (1, dt.date(2026, 4, 1), rules.MET),
    (2, dt.date(2026, 4, 1), rules.MET),
    (3, dt.date(2026, 4, 1), rules.OVER),
    (0, dt.date(2026, 5, 1), rules.OPEN),  # May runs until the 31st
    (1, dt.date(2026, 5, 1), rules.MET),
    (0, dt.date(2026, 6, 1), rules.NOT_YET),
])
def test_cell_status(submitted, period, expected):
    assert rules.cell_status(submitted=submitted, minimum=1, maximum=2, period=period, today=TODAY) == expected


def test_a_month_short_of_a_higher_minimum_is_short_not_missed():
    assert rules.cell_status(submitted=1, minimum=2, maximum=3, period=dt.date(2026, 4, 1), today=TODAY) == rules.SHORT


def test_the_last_day_of_the_month_is_still_open():
    assert rules.cell_status(submitted=0, minimum=1, maximum=2, period=dt.date(2026, 2, 1),
                             today=dt.date(2026, 2, 28)) == rules.OPEN
    assert rules.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)


def test_ranking_shares_ranks_on_ties():
    ranked = rules.rank({"a": [80, 90], "b": [95], "c": [85, 85], "d": []}, panel_size=2)
    assert [(r.key, str(r.average), r.rank, r.scored_by) for r in ranked] == [
        ("b", "95.00", 1, 1), ("a", "85.00", 2, 2), ("c", "85.00", 2, 2), ("d", "0.00", 4, 0)]


# --- the shipped rows ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_shipped_quota_is_the_plans_one_to_two_a_month_quoting_point_20():
    quota = quota_on(dt.date(2018, 1, 1))
    assert quota is not None and quota == quota_on(timezone.localdate())
    assert (quota.minimum, quota.maximum) == (1, 2)
    assert quota.basis_status == BasisStatus.CONFIRMED
    assert "各市(县)区法律援助中心每月底向市局报送1-2件典型案例。" in quota.basis_text
    assert MonthlyQuota.objects.count() == 1


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
@pytest.mark.django_db
def test_every_shipped_quotation_matches_the_plan():
    rows = [*MonthlyQuota.objects.all(), *ExcellenceCriterion.objects.all()]
    assert rows
    for row in rows:
        found = lawtext.problems(basis_text=row.basis_text, legal_basis=row.legal_basis,
                                 effective_from=row.effective_from, effective_to=row.effective_to)
        assert found == [], f"{row}: {found}"


@pytest.mark.django_db
def test_the_shipped_rubric_is_a_hundred_point_sample_marked_pending():
    rows = list(ExcellenceCriterion.objects.in_force_on(timezone.localdate()))
    assert sum(r.max_points for r in rows) == 100 and len(rows) == 5
    assert all(r.basis_pending and "示例" in r.legal_basis for r in rows)
    assert all("继续开展年度法律援助优秀案件评审" in r.basis_text for r in rows)


# --- the table and the reminder ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_table_shows_who_missed_which_month(city):
    typical_case_submit(actor=city.user("reviewer_a"), public_id=ready_write_up(city).public_id)
    today = timezone.localdate()
    bureau = city.user("bureau")
    with CaptureQueriesContext(connection) as queries:
        rows = compliance(bureau, today.year, today=today)
    assert len(queries) <= 3
    by_center = {row.center.name: row for row in rows}
    assert set(by_center) == {"京口区法律援助中心", "丹阳市法律援助中心"}
    a, b = by_center["京口区法律援助中心"], by_center["丹阳市法律援助中心"]
    month = today.month - 1
    assert a.cells[month].status == rules.MET and a.cells[month].submitted == 1
    assert b.cells[month].status == rules.OPEN and b.cells[month].submitted == 0
    assert a.missed == b.missed == [dt.date(today.year, m, 1) for m in range(1, today.month)]
    last_year = compliance(bureau, today.year - 1, today=today)
    assert all(len(row.missed) == 12 for row in last_year)
    # A center sees its own row only.
    assert [row.center.pk for row in compliance(city.user("reviewer_b"), today.year, today=today)] == [city.center_b.pk]


@pytest.mark.django_db
def test_the_reminder_goes_once_to_centers_short_of_their_month(city):
    typical_case_submit(actor=city.user("reviewer_a"), public_id=ready_write_up(city).public_id)
    first = timezone.localdate().replace(day=1)
    assert typical_case_remind(on=first.replace(day=19)) == 0  # before the reminder day
    assert typical_case_remind(on=first.replace(day=20)) == 1
    assert typical_case_remind(on=first.replace(day=21)) == 0  # once a month
    reminded = Notification.objects.filter(title__startswith="请报送")
    assert set(reminded.values_list("user__username", flat=True)) == {"reviewer_b"}
    assert "2018年全市法律援助工作要点》第二十点" in reminded.get().body
    assert list(ReminderSent.objects.values_list("center", flat=True)) == [city.center_b.pk]


def test_the_reminder_is_a_daily_job():
    (job,) = [j for j in JOBS if j.name == "remind_typical_cases"]
    assert job.dated and job.at is not None
