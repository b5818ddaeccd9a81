"""The reach standard that ships (data migration): 15 minutes in town, 30 in the countryside, from the plan's point 14;
the travel assumptions marked as the city's own (依据待补)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fayuan.core.dated import BasisStatus
from fayuan.core.tests import lawtext
from fayuan.places.models import ReachTarget, Setting, TravelAssumption
from fayuan.places.selectors import rules_on

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def test_the_shipped_targets_are_the_plans_quarter_hour_and_half_hour():
    rules = rules_on(TODAY)
    assert (rules.standards.urban.minutes, rules.standards.rural.minutes) == (15, 30)
    for row in rules.targets:
        assert row.basis_status == BasisStatus.CONFIRMED and "第十四点" in row.legal_basis
        assert "真正实现“城市一刻钟、农村半小时”法律援助服务圈" in row.basis_text
    assert ReachTarget.objects.count() == 2


def test_the_shipped_travel_assumptions_say_they_are_assumptions():
    rules = rules_on(TODAY)
    assert (rules.standards.urban.speed_kmh, rules.standards.rural.speed_kmh) == (15.0, 30.0)
    assert rules.standards.urban.detour_factor == rules.standards.rural.detour_factor == 1.3
    for row in rules.assumptions:
        assert row.basis_pending and "依据待补" in row.basis_label and row.basis_text == ""
    assert TravelAssumption.objects.count() == 2


def test_the_rules_were_in_force_since_the_plan():
    assert rules_on(dt.date(2018, 1, 1)).standards.rural.minutes == 30
    with pytest.raises(Exception, match="尚未设置"):
        rules_on(dt.date(2017, 12, 31))


def test_a_newer_row_takes_over_from_its_date():
    ReachTarget.objects.create(setting=Setting.URBAN, minutes=10, effective_from=dt.date(2027, 1, 1),
                               legal_basis="示例")
    assert rules_on(dt.date(2026, 12, 31)).standards.urban.minutes == 15
    assert rules_on(dt.date(2027, 1, 1)).standards.urban.minutes == 10


def test_the_database_refuses_a_detour_shorter_than_the_straight_line():
    with pytest.raises(IntegrityError), transaction.atomic():
        TravelAssumption.objects.create(setting=Setting.RURAL, speed_kmh=Decimal("30"), detour_factor=Decimal("0.9"),
                                        effective_from=dt.date(2030, 1, 1), legal_basis="示例")


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
def test_every_shipped_quotation_matches_the_plan():
    rows = [*ReachTarget.objects.all(), *TravelAssumption.objects.all()]
    assert len(rows) == 4
    for row in rows:
        found = lawtext.problems(basis_text=row.basis_text, legal_basis=row.legal_basis,
                                 effective_from=row.effective_from, effective_to=row.effective_to)
        assert found == [], f"{row}: {found}"
