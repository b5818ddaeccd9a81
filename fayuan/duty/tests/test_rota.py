"""The pure rota generator, table-driven: the shipped holiday calendar (October 2025: National Day and Mid-autumn
1-8 October, make-up workdays Sunday 28 September and Saturday 11 October), leave, the fairness bound and the days
that cannot be covered."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from fayuan.duty import rota
from fayuan.duty.rota import PoolSpan, StationPool

D = dt.date


SINCE = D(2020, 1, 1)


def pool(station_id, *providers, since=SINCE, left=None, name=None):
    return StationPool(station_id, name or f"站{station_id}", tuple(PoolSpan(p, since, left) for p in providers))


def weekdays(first, last):
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def check_invariants(result, days, stations, unavailable=None):
    unavailable = unavailable or {}
    by_day = {}
    for (station_id, day), provider in result.duties.items():
        assert day in days
        by_day.setdefault(day, []).append(provider)
        (station,) = [s for s in stations if s.station_id == station_id]
        assert any(m.provider_id == provider and m.covers(day) for m in station.members)
        assert day not in unavailable.get(provider, {})
    for day, providers in by_day.items():
        assert len(providers) == len(set(providers)), f"a lawyer in two places on {day}"
    covered = set(result.duties) | {(g.station_id, g.day) for g in result.gaps}
    assert covered == {(s.station_id, d) for s in stations for d in days}, "every station-day covered or reported"
    counts = {}
    for provider in result.duties.values():
        counts[provider] = counts.get(provider, 0) + 1
    assert all(result.counts[p] == counts.get(p, 0) for p in result.counts)


CASES = {
    # name: (stations, unavailable, expected spread, expected gaps)
    "one station, three lawyers": ([pool(1, 10, 11, 12)], {}, 1, 0),
    "two stations share four lawyers": ([pool(1, 10, 11, 12, 13), pool(2, 10, 11, 12, 13)], {}, 0, 0),
    # 10, 11 and 12 alone cover stations 1 and 2 (44 duties: one of them has 15), 13 and 14 share station 3
    # with 12 (at most 11 each): 4 is the least spread the pools allow.
    "overlapping pools": ([pool(1, 10, 11), pool(2, 11, 12), pool(3, 12, 13, 14)], {}, 4, 0),
    # 10 is on leave for the first week: the others take it, and 10 catches up afterwards.
    "leave evens out": ([pool(1, 10, 11)], {10: {d: "病假" for d in weekdays(D(2025, 9, 1), D(2025, 9, 5))}}, 0, 0),
    # A lone lawyer for two stations: one station is reported every day.
    "two stations, one lawyer": ([pool(1, 10), pool(2, 10)], {}, 0, 22),
    "empty pool": ([pool(1)], {}, 0, 22),
}


@pytest.mark.parametrize("name", list(CASES))
def test_generator_cases(name):
    stations, unavailable, spread, gaps = CASES[name]
    days = weekdays(D(2025, 9, 1), D(2025, 9, 30))  # 22 weekdays
    result = rota.generate(days=days, stations=stations, unavailable=unavailable)
    check_invariants(result, days, stations, unavailable)
    assert result.spread == spread
    assert len(result.gaps) == gaps


def test_gap_reasons_say_why_in_chinese():
    days = [D(2025, 9, 1)]
    result = rota.generate(days=days, stations=[pool(1, 10, name="甲法院工作站"), pool(2, 10, name="乙看守所工作站"),
                                                pool(3, name="丙法院工作站"), pool(4, 11, name="丁法院工作站")],
                           unavailable={11: {D(2025, 9, 1): "请假：出差"}}, names={10: "王律师", 11: "李律师"})
    reasons = {g.station_id: g.reason for g in result.gaps}
    assert set(reasons) == {2, 3, 4} or set(reasons) == {1, 3, 4}
    busy = reasons.get(2) or reasons[1]
    assert "9月1日无人值班" in busy and "王律师" in busy and "其他站点值班" in busy
    assert "没有在库律师" in reasons[3]
    assert "李律师（请假：出差）" in reasons[4]


def test_membership_dates_are_respected():
    days = weekdays(D(2025, 9, 1), D(2025, 9, 30))
    stations = [StationPool(1, "站", (PoolSpan(10, D(2020, 1, 1), D(2025, 9, 15)), PoolSpan(11, D(2025, 9, 10))))]
    result = rota.generate(days=days, stations=stations)
    check_invariants(result, days, stations)
    assert all(p == 10 for (_, d), p in result.duties.items() if d < D(2025, 9, 10))
    assert all(p == 11 for (_, d), p in result.duties.items() if d >= D(2025, 9, 15))
    # 9-12 September: two weekdays shared by both after 10 and 11 overlap; nothing uncovered.
    assert not result.gaps


def test_duties_held_elsewhere_count_towards_fairness():
    days = weekdays(D(2025, 9, 1), D(2025, 9, 30))
    result = rota.generate(days=days, stations=[pool(1, 10, 11)], held_elsewhere={10: 6})
    assert result.counts[10] + result.counts[11] == 22 + 6
    assert result.spread <= 1


@pytest.mark.parametrize("seed", range(25))
def test_fairness_bound_on_random_pools(seed):
    """Random pools and leave: every invariant holds, and when every lawyer is in every pool and nobody is on
    leave the spread is at most one."""
    rnd = random.Random(seed)
    days = weekdays(D(2025, 9, 1), D(2025, 9, 30))
    lawyers = list(range(100, 100 + rnd.randint(2, 9)))
    stations = [pool(s, *rnd.sample(lawyers, rnd.randint(1, len(lawyers)))) for s in range(1, rnd.randint(2, 5))]
    unavailable = {p: {d: "请假" for d in rnd.sample(days, rnd.randint(0, 6))} for p in lawyers}
    result = rota.generate(days=days, stations=stations, unavailable=unavailable)
    check_invariants(result, days, stations, unavailable)
    full = [pool(s, *lawyers) for s in range(1, len(stations) + 1)]
    if len(full) <= len(lawyers):
        even = rota.generate(days=days, stations=full)
        check_invariants(even, days, full)
        assert even.spread <= 1 and not even.gaps


def test_spread_is_minimal_on_small_instances():
    """Brute force over every assignment of two stations × five days: the generator finds the minimal spread."""
    days = weekdays(D(2025, 9, 1), D(2025, 9, 5))
    stations = [pool(1, 1, 2), pool(2, 2, 3)]
    unavailable = {2: {D(2025, 9, 2): "请假"}}
    result = rota.generate(days=days, stations=stations, unavailable=unavailable)
    best = None
    slots = [(s.station_id, d) for d in days for s in stations]
    options = [
        [m.provider_id for m in next(s for s in stations if s.station_id == sid).members
         if d not in unavailable.get(m.provider_id, {})] for sid, d in slots]
    for choice in itertools.product(*options):
        per_day = {}
        for (_sid, d), p in zip(slots, choice, strict=True):
            per_day.setdefault(d, []).append(p)
        if any(len(v) != len(set(v)) for v in per_day.values()):
            continue
        counts = {p: choice.count(p) for p in (1, 2, 3)}
        spread = max(counts.values()) - min(counts.values())
        best = spread if best is None else min(best, spread)
    assert not result.gaps and result.spread == best
