"""``reach_summary`` on the hand-computed world (tests/support.py), who sees which district, and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.org.models import Center, CenterLevel, District
from fayuan.places import selectors
from fayuan.places.models import Place, PlaceKind

from .support import HAND, LON, World, hand_world

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 2)


@pytest.fixture
def world() -> World:
    return hand_world()


def _figures(row: Any) -> tuple[int, int, int, int]:
    f = row.figures if hasattr(row, "figures") else row
    return (f.places, f.population, f.within_population, f.out_places)


def test_the_city_figures_match_the_hand_computation(world: World):
    s = selectors.reach_summary(scope=selectors.Scope(None), on=ON)
    rows = {r.district.code: r for r in s.districts}
    assert _figures(rows["321102"]) == HAND["a"] and rows["321102"].figures.share_text == "42.9%"
    assert _figures(rows["321181"]) == HAND["b"] and rows["321181"].figures.share_text == "46.7%"
    assert _figures(s.total) == HAND["city"] and s.total.share == pytest.approx(0.44)
    assert s.scope_name == "全市" and len(s.districts) == District.objects.count()  # districts without places too
    minutes = {r.home.name: r.minutes for r in s.reaches}
    assert minutes == pytest.approx({f"某镇{k}{'社区' if k in ('P1', 'P2') else '村'}": v
                                     for k, v in HAND["minutes"].items()}, abs=1e-3)
    assert [r.home.key for r in s.out_of_reach] == ["321102001002", "321181001001"]  # the most people first
    assert {site.name for site in s.sites} == {"S1京口司法所", "S2丹阳法院工作站"}  # not inactive, not in a prison
    picks = selectors.suggest_points(s, 5)
    assert [(p.site.name, p.people) for p in picks] == [("某镇P1社区", 2000), ("某镇P4村", 800)]
    assert [(c.k, c.greedy, c.optimum) for c in selectors.compare_cover(s, [1, 2])] == [(1, 2000, 2000),
                                                                                       (2, 2800, 2800)]


def test_a_center_serves_people_directly(world: World):
    world.center_a.latitude, world.center_a.longitude = Decimal("32.030000"), LON
    world.center_a.save()
    s = selectors.reach_summary(scope=selectors.Scope(world.district_a.pk), on=ON)
    assert _figures(s.total) == (3, 3500, 3500, 0)
    assert s.scope_name == "京口区" and [r.district.code for r in s.districts] == ["321102"]


def test_a_station_of_another_district_counts_for_a_place_near_the_border(world: World):
    Place.objects.create(code="321181009001", name="边界村", town="某镇", district=world.district_b,
                         kind=PlaceKind.VILLAGE, latitude=Decimal("31.980000"), longitude=LON, population=100)
    s = selectors.reach_summary(scope=selectors.Scope(world.district_b.pk), on=ON)
    border = next(r for r in s.reaches if r.home.key == "321181009001")
    assert border.within and border.nearest is not None and border.nearest.name == "S1京口司法所"


def test_each_reader_sees_their_own_district_and_no_other(world: World):
    city = make_user("city", "bureau_supervisor")
    bureau_a = make_user("bureau_a", "bureau_supervisor", district=world.district_a)
    reviewer_b = make_user("reviewer_b", "center_reviewer", center=world.center_b)
    city_center = Center.objects.create(name="镇江市法律援助中心", doc_prefix="镇法援", level=CenterLevel.CITY,
                                        address="镇江市某路")
    city_staff = make_user("city_staff", "center_director", center=city_center)
    assert selectors.reach_summary(user=city, on=ON).scope_name == "全市"
    assert selectors.reach_summary(user=city_staff, on=ON).scope_name == "全市"
    assert _figures(selectors.reach_summary(user=city, on=ON, district_id=world.district_b.pk).total) == HAND["b"]
    assert _figures(selectors.reach_summary(user=bureau_a, on=ON).total) == HAND["a"]
    assert _figures(selectors.reach_summary(user=reviewer_b, on=ON).total) == HAND["b"]
    with pytest.raises(NotFoundOrForbidden):
        selectors.reach_summary(user=bureau_a, on=ON, district_id=world.district_b.pk)
    for role in ("auditor", "system_admin", "security_admin", "applicant"):
        with pytest.raises(NotFoundOrForbidden):
            selectors.reach_summary(user=make_user(f"x_{role}", role), on=ON)


PAGES = ("places:reach", "places:map", "places:list")


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_the_figures_without_a_query_per_place(client: Any, world: World, name: str,
                                                          django_assert_max_num_queries: Any):
    for i in range(60):  # more places must not mean more queries
        Place.objects.create(code=f"321102099{i:03d}", name=f"加{i}村", town="某镇", district=world.district_a,
                             kind=PlaceKind.VILLAGE, latitude=Decimal("32.05"), longitude=LON, population=10)
    sign_in(client, make_user("city", "bureau_supervisor"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "某镇P2社区" in body or name == "places:reach"
    if name == "places:reach":
        assert "44.0%" not in body  # the 60 extra villages (all within) change the city's share
        assert "某镇P1社区" in body and "2000" in body  # the first suggested point and whom it brings in


def test_the_overview_table_is_the_hand_computation(client: Any, world: World):
    sign_in(client, make_user("bureau_a", "bureau_supervisor", district=world.district_a))
    body = client.get(reverse("places:reach")).content.decode()
    assert "42.9%" in body and "3500" in body and "1500" in body and "丹阳市" not in body
    assert client.get(reverse("places:reach"), {"district": world.district_b.pk}).status_code == 404


def test_the_map_passes_its_data_as_json_and_loads_only_static_scripts(client: Any, world: World):
    sign_in(client, make_user("city", "bureau_supervisor"))
    body = client.get(reverse("places:map")).content.decode()
    assert 'id="reach-data" type="application/json"' in body
    assert "vendor/echarts/echarts.min.js" in body and "places/reach_map.js" in body
    assert "<script>" not in body  # the CSP allows no inline script
    assert 'data-testid="out-of-reach"' in body  # the table alternative to the picture


def test_the_list_filters_the_places_out_of_reach(client: Any, world: World):
    sign_in(client, make_user("city", "bureau_supervisor"))
    body = client.get(reverse("places:list"), {"out": "1"}).content.decode()
    assert "某镇P2社区" in body and "某镇P4村" in body and "某镇P1社区" not in body
    assert "17.3" in body and "34.7" in body  # minutes to the nearest point
