"""The duty overview for the bureaus and the centers, against the hand-counted October 2025 of station A (the
``october`` fixture: 18 working days, nobody on 20 October, three no-shows, three help records, checked in on
9 October) plus an empty detention-center station of center A, station B of center B (no rota) and two notices of
court A. Every figure links to a list holding exactly that many rows; a station outside one's oversight is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.criminal.tests.support import send_notice

from .conftest import at
from .support import D

pytestmark = pytest.mark.django_db
FULL = {"ground": "full_coverage", "name": "周某", "charge": "盗窃罪", "procedure": "fast_track"}


@pytest.fixture
def world(city, october):
    _users, empty, _missed = october
    city.organ_a.station = city.station_a
    city.organ_a.save()
    tz = timezone.get_current_timezone()
    for day in (D(2025, 10, 9), D(2025, 10, 20)):  # the 9th is staffed; on the 20th nobody could serve
        with at(day, 11):
            send_notice(city, received_at=dt.datetime.combine(day, dt.time(9), tzinfo=tz), **FULL)
    return empty


def _records(client, **params):
    return client.get(reverse("duty:overview_records"), {"month": "2025-10", **params})


def test_the_city_bureau_sees_every_station_with_hand_counted_figures(client, city, world):
    sign_in(client, city.user("bureau"))
    with at(D(2025, 10, 9), 15):
        response = client.get(reverse("duty:overview"), {"month": "2025-10"})
        report = response.context["report"]
        rows = {r.station.pk: r for r in report.rows}
        assert set(rows) == {city.station_a.pk, world.pk, city.station_b.pk}
        a = rows[city.station_a.pk]
        assert (a.working_days, a.gaps, a.no_shows, a.help, a.notices, a.unstaffed) == (18, 1, 3, 3, 2, 1)
        assert len(a.today) == 1 and a.today[0].checked_in_at is not None
        assert (rows[world.pk].gaps, rows[city.station_b.pk].gaps) == (18, 18)
        assert rows[world.pk].today == [] and rows[city.station_b.pk].today == []
        assert report.totals["gaps"] == 37 and report.on_duty_today == 1 and report.unstaffed == 1
        page = response.content.decode()
        # Each figure is a link, and the list behind it holds exactly that many rows.
        for what, station, expected in (("gaps", city.station_a.pk, 1), ("no_shows", city.station_a.pk, 3),
                                        ("help", city.station_a.pk, 3), ("notices", city.station_a.pk, 2),
                                        ("unstaffed", city.station_a.pk, 1), ("today", city.station_a.pk, 1),
                                        ("gaps", world.pk, 18), ("gaps", "", 37), ("help", "", 3)):
            query = f"?what={what}&amp;station={station}&amp;month=2025-10" if station else \
                f"?what={what}&amp;month=2025-10"
            assert f"{reverse('duty:overview_records')}{query}" in page, (what, station)
            listed = _records(client, what=what, **({"station": station} if station else {}))
            assert len(listed.context["rows"]) == expected, (what, station)
        help_page = _records(client, what="help", station=city.station_a.pk).content.decode()
        assert "某甲" not in help_page  # the persons helped are not named to the bureau
        unstaffed = _records(client, what="unstaffed").content.decode()
        assert "2025-10-20" in unstaffed and "没有值班律师" in unstaffed


def test_a_district_bureau_and_a_center_see_their_own_and_404_for_another(client, city, world):
    sign_in(client, city.user("bureau_a"))  # the bureau that set up center A
    report = client.get(reverse("duty:overview"), {"month": "2025-10"}).context["report"]
    assert {r.station.pk for r in report.rows} == {city.station_a.pk, world.pk}
    assert len(_records(client, what="gaps").context["rows"]) == 19
    assert _records(client, what="help", station=city.station_b.pk).status_code == 404
    sign_in(client, city.user("reviewer_b"))
    report = client.get(reverse("duty:overview"), {"month": "2025-10"}).context["report"]
    assert [r.station.pk for r in report.rows] == [city.station_b.pk]
    assert report.totals["help"] == 0 and report.unstaffed == 0
    for what in ("help", "notices", "no_shows", "gaps"):
        assert _records(client, what=what, station=city.station_a.pk).status_code == 404
    assert len(_records(client, what="notices").context["rows"]) == 0  # center A's notices are not B's
    sign_in(client, make_user("bureau_b", "bureau_supervisor", district=city.center_b.district))
    assert _records(client, what="unstaffed", station=city.station_a.pk).status_code == 404


def test_the_center_report_lists_its_unstaffed_notices(client, city, world):
    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("duty:report"), {"month": "2025-10"})
    assert [a.date for a in response.context["unstaffed"]] == [D(2025, 10, 20)]


def test_the_overview_costs_the_same_queries_for_more_stations(client, city, world):
    from decimal import Decimal

    from fayuan.org.models import Station, StationType

    sign_in(client, city.user("bureau"))
    client.get(reverse("duty:overview"), {"month": "2025-10"})  # warm the session and the calendar cache

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("duty:overview"), {"month": "2025-10"}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    Station.objects.create(name="丹阳市看守所工作站", type=StationType.DETENTION_CENTER, center=city.center_b,
                           district=city.district_b, address="看守所", latitude=Decimal("32.0"),
                           longitude=Decimal("119.5"), has_duty_lawyer=True)
    assert count() == before
