"""The pure reach module: distances, minutes, the hand-computed world, and greedy cover against the optimum."""

from __future__ import annotations

import itertools
import random

import pytest

from fayuan.core.geo import haversine_km
from fayuan.places import reach

SHIPPED = reach.Standards(urban=reach.Standard(15, 15.0, 1.3), rural=reach.Standard(30, 30.0, 1.3))


def _home(key: str, lat: float, population: int, urban: bool, district: int = 1) -> reach.Home:
    return reach.Home(key, key, district, lat, 119.0, population, urban)


def test_haversine_matches_known_distances():
    # One degree of latitude on the mean sphere, and Zhenjiang (32.19, 119.45) to Nanjing (32.06, 118.80): ~62.7 km.
    assert haversine_km(32.0, 119.0, 33.0, 119.0) == pytest.approx(111.19493, abs=1e-4)
    assert haversine_km(32.19, 119.45, 32.06, 118.80) == pytest.approx(62.7, abs=0.3)
    assert haversine_km(32.0, 119.0, 32.0, 119.0) == 0


def test_travel_minutes_lengthen_the_straight_line_by_the_detour():
    assert reach.travel_minutes(3.0, SHIPPED.urban) == pytest.approx(15.6)  # 3 × 1.3 / 15 × 60
    assert reach.travel_minutes(10.0, SHIPPED.rural) == pytest.approx(26.0)
    assert SHIPPED.urban.radius_km == pytest.approx(2.8846, abs=1e-4)  # what 15 minutes reach as the crow flies
    assert SHIPPED.rural.radius_km == pytest.approx(11.5385, abs=1e-4)


def test_the_hand_computed_world_without_a_database():
    sites = [reach.Site("s1", "S1", "工作站", 32.00, 119.0), reach.Site("s2", "S2", "工作站", 31.50, 119.0)]
    homes = [_home("P1", 32.02, 1000, True), _home("P2", 32.03, 2000, True), _home("P3", 32.10, 500, False),
             _home("P4", 31.62, 800, False, 2), _home("P5", 31.55, 700, False, 2)]
    found = {r.home.key: r for r in reach.assess(homes, sites, SHIPPED)}
    for key, minutes in {"P1": 11.564, "P2": 17.346, "P3": 28.911, "P4": 34.693, "P5": 14.455}.items():
        assert found[key].minutes == pytest.approx(minutes, abs=1e-3)
    assert [k for k, r in found.items() if not r.within] == ["P2", "P4"]
    assert found["P4"].nearest is not None and found["P4"].nearest.key == "s2"
    per = reach.tally(found.values(), lambda r: r.home.district_id)
    assert per[1] == reach.Figures(3, 3500, 1500, 1) and per[1].share == pytest.approx(3 / 7)
    assert per[2] == reach.Figures(2, 1500, 700, 1) and per[2].share_text == "46.7%"
    assert reach.total(per.values()) == reach.Figures(5, 5000, 2200, 2)
    picks = reach.greedy_cover([homes[1], homes[3]], homes, 2, SHIPPED)
    assert [(p.site.key, p.people) for p in picks] == [("P1", 2000), ("P4", 800)]


def test_a_place_exactly_at_its_target_is_within():
    at = reach.Reach(_home("P", 32.0, 1, True), None, 15.0, 15)
    assert at.within and not reach.Reach(at.home, None, 15.0001, 15).within
    assert not reach.Reach(at.home, None, None, 15).within  # no service point at all


def test_no_service_point_leaves_everyone_out():
    (r,) = reach.assess([_home("P", 32.0, 10, False)], [], SHIPPED)
    assert r.nearest is None and r.minutes is None and not r.within
    assert reach.Figures().share is None and reach.Figures().share_text == "—"


def test_greedy_can_miss_the_optimum_and_branch_and_bound_finds_it():
    # The classic case: one big set overlapping two that together cover everything.
    sets = [frozenset({0, 1, 2, 3}), frozenset({0, 1, 4}), frozenset({2, 3, 5})]
    weights = [1] * 6
    assert reach.greedy_indices(sets, weights, 2) == [0, 1]  # 4 then 1 more: 5
    best = reach.best_indices(sets, weights, 2)
    assert best.value == 6 and sorted(best.indices) == [1, 2] and best.proven


def _brute(sets: list[frozenset[int]], weights: list[int], k: int) -> int:
    best = 0
    for r in range(1, k + 1):
        for combo in itertools.combinations(sets, r):
            best = max(best, sum(weights[i] for i in frozenset().union(*combo)))
    return best


def test_branch_and_bound_equals_brute_force_and_greedy_keeps_its_guarantee():
    rng = random.Random(14)
    for _ in range(150):
        n, m, k = rng.randint(1, 9), rng.randint(1, 9), rng.randint(1, 4)
        weights = [rng.randint(1, 50) for _ in range(n)]
        sets = [frozenset(i for i in range(n) if rng.random() < 0.35) for _ in range(m)]
        exact = _brute(sets, weights, k)
        assert reach.best_indices(sets, weights, k).value == exact
        chosen = reach.greedy_indices(sets, weights, k)
        greedy = sum(weights[i] for i in frozenset().union(*(sets[j] for j in chosen)))
        assert greedy <= exact and greedy >= (1 - 1 / 2.718281828) * exact - 1e-9


def test_a_search_cut_short_says_so():
    sets = [frozenset({i, i + 1}) for i in range(30)]
    cut = reach.best_indices(sets, [1] * 31, 5, node_limit=3)
    assert not cut.proven and cut.value <= 10


def test_compare_reports_greedy_against_optimum_per_k():
    homes = [_home("P1", 32.02, 1000, True), _home("P2", 32.03, 2000, True), _home("P4", 31.62, 800, False)]
    rows = reach.compare([homes[1], homes[2]], homes, [1, 2, 3], SHIPPED)
    assert [(c.k, c.greedy, c.optimum, c.ratio_text) for c in rows] == [
        (1, 2000, 2000, "100.0%"), (2, 2800, 2800, "100.0%"), (3, 2800, 2800, "100.0%")]
