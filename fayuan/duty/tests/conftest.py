"""Shared duty fixtures: the hand-counted October 2025 of station A (used by the report and the overview tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from fayuan.duty import services
from fayuan.duty.models import Duty
from fayuan.org.models import Station, StationType

from .support import OCTOBER, D, pool_of_three


def at(day, hour=10):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


@pytest.fixture
def october(city):
    """Station A's pool of three, everyone on leave on 20 October; an empty detention-center station; the rota
    published; duty_a's lawyer checks in on 9 October only; three help records; the no-show job run for the days
    before 14 October."""
    users = pool_of_three(city)
    reviewer = city.user("reviewer_a")
    empty = Station.objects.create(name="京口区看守所工作站", type=StationType.DETENTION_CENTER, center=city.center_a,
                                   district=city.district_a, address="看守所", latitude=Decimal("32.2"),
                                   longitude=Decimal("119.4"), has_duty_lawyer=True)
    for user in users:
        services.unavailability_record(actor=reviewer, provider_id=user.provider_id, start_on=D(2025, 10, 20),
                                       end_on=D(2025, 10, 20), reason="集中培训")
    services.rota_generate(actor=reviewer, month=OCTOBER)
    services.rota_publish(actor=reviewer, month=OCTOBER)
    by_provider = {u.provider_id: u for u in users}
    first = Duty.objects.get(station=city.station_a, date=D(2025, 10, 9))
    with at(first.date):
        services.duty_check_in(actor=by_provider[first.provider_id], duty_id=first.pk)
        for kind in ("consultation", "consultation", "plea_witnessed"):
            services.help_record_create(actor=by_provider[first.provider_id], duty_id=first.pk, person_name="某甲",
                                        stage="trial", kind=kind, organ_case_number="（2025）苏1102刑初1号")
    services.duty_flag_no_shows(on=D(2025, 10, 14))
    missed = list(Duty.objects.filter(date__in=[D(2025, 10, 10), D(2025, 10, 11), D(2025, 10, 13)]))
    return users, empty, missed
