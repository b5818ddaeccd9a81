"""A court's full-coverage notice in simplified procedure through the API: the court reads back the duty lawyer on
the rota for the day (duty_staffed), or that nobody is on it (duty_unstaffed); another court's token gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from fayuan.conftest import make_user
from fayuan.duty import services as duty_services
from fayuan.duty.models import Duty
from fayuan.duty.tests.support import OCTOBER, pool_of_three

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
BODY = {"kind": "defense", "name": "周某", "stage": "trial", "ground": "full_coverage", "charge": "盗窃罪",
        "procedure": "fast_track"}
NOON = dt.datetime(2025, 10, 9, 12, 0, tzinfo=timezone.get_current_timezone())


def test_the_court_reads_the_duty_lawyer_back_and_another_court_gets_404(city, as_user, client):
    city.organ_a.station = city.station_a
    city.organ_a.save()
    pool_of_three(city)
    court = as_user("organ_a")
    with time_machine.travel(NOON, tick=False):
        unstaffed = court.post("/notices", BODY).json()
        assert unstaffed["route"] == "duty" and unstaffed["status"] == "duty_unstaffed" and unstaffed["lawyer"] == ""
        duty_services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
        duty_services.rota_publish(actor=city.user("reviewer_a"), month=OCTOBER)
        on_duty = Duty.objects.get(station=city.station_a, date=dt.date(2025, 10, 9), active=True)
        staffed = court.get(f"/notices/{unstaffed['public_id']}").json()
    assert staffed["status"] == "duty_staffed" and staffed["lawyer"] == on_duty.provider.name
    assert staffed["duty_date"] == "2025-10-09" and staffed["duty_station"] == city.station_a.name
    other = ApiClient(client, token_for(make_user("organ_b", "organ_liaison", organ=city.organ_b)))
    assert other.get(f"/notices/{unstaffed['public_id']}").status_code == 404
