"""The demo city's duty lawyers: every duty station has a pool, this month's rota is published and fair, and the
demo duty lawyer has help records (all through the duty services)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.duty.models import DutyPoolMember, HelpRecord, RotaMonth, RotaStatus
from fayuan.duty.selectors import duty_stations


@pytest.fixture
def seeded(db: Any) -> str:
    out = io.StringIO()
    call_command("seed_demo", persons=5, cases=0, consultations=0, stdout=out)
    return out.getvalue()


def test_every_duty_station_has_a_pool_and_a_published_fair_rota(seeded: str) -> None:
    month = timezone.localdate().replace(day=1)
    stations = list(duty_stations())
    assert stations and all(DutyPoolMember.objects.filter(station=s, left_on__isnull=True).count() >= 2
                            for s in stations)
    rotas = RotaMonth.objects.filter(month=month)
    assert {r.center_id for r in rotas} == {s.center_id for s in stations}
    for rota in rotas:
        assert rota.status == RotaStatus.PUBLISHED and not rota.gaps.exists()
        counts = [r["n"] for r in rota.duties.values("provider").annotate(n=Count("id"))]
        assert max(counts) - min(counts) == rota.spread <= 1
    assert "值班次数极差" in seeded
    duty = User.objects.get(username="demo_duty")
    # Four of seed_duty's own, two answering the demo court's notices (duty_notices).
    helps = HelpRecord.objects.filter(provider_id=duty.provider_id)
    assert (helps.filter(notice_assignment__isnull=True).count(), helps.count()) == (4, 6)
