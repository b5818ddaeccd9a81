"""The demo city's places (fayuan/demo/places.py) give a believable picture: most of the city within reach, town
communities nearly all, some villages of 句容 and 丹阳 out; and seeding them again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fayuan.demo.builders import build_org
from fayuan.demo.places import seed_places
from fayuan.places import selectors
from fayuan.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_demo_city_reach_is_believable_and_seeding_is_idempotent():
    org = build_org()
    assert seed_places(org.districts, org.stations) == 334
    before = list(Place.objects.order_by("code").values_list("code", "latitude", "longitude", "population"))
    assert seed_places(org.districts, org.stations) == 0
    assert list(Place.objects.order_by("code").values_list("code", "latitude", "longitude", "population")) == before

    s = selectors.reach_summary(scope=selectors.Scope(None), on=dt.date(2026, 12, 2))
    assert s.total.places == 334 and 0.85 < (s.total.share or 0) < 0.97
    urban = [r for r in s.reaches if r.home.urban]
    assert sum(r.within for r in urban) / len(urban) > 0.9
    rural_out = {s.district_names[r.home.district_id] for r in s.reaches if not r.home.urban and not r.within}
    assert rural_out and rural_out <= {"句容市", "丹阳市"}
    by_name = {row.district.name: row.figures for row in s.districts}
    assert by_name["京口区"].share == by_name["润州区"].share == 1.0  # the city core is covered
    picks = selectors.suggest_points(s, 3)
    assert len(picks) == 3 and all(p.people > 0 for p in picks)
    assert all(c.greedy == c.optimum and c.proven for c in selectors.compare_cover(s, [1, 2, 3, 4, 5]))
