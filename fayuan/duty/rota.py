"""The monthly duty rota (排班), as a pure function: no database, no Django.

Input: the month's working days (the holiday calendar's, make-up workdays included), the duty stations with their
pools (who was admitted when, who left when), the days each lawyer cannot serve (leave, or a duty already held
elsewhere) and the duties each already holds this month elsewhere. Output: one lawyer per station per working day,
the days a station cannot be covered (with the reason, in Chinese), and each lawyer's count.

1. Coverage first: each day is a bipartite matching of stations to the lawyers free that day (Kuhn's augmenting
   paths), so a station is left uncovered only when no assignment of that day could cover it. A lawyer is never in
   two places on one day (the database refuses it as well: ``Duty`` has a unique (provider, date) constraint).
2. Fairness: the spread of duty counts (max − min across the pools' lawyers, duties held elsewhere included) is then
   reduced by moving duties along chains: a lawyer with c duties hands one to a lawyer with at most c − 2, possibly
   through lawyers who take one and give one. It stops when no such chain is left, so every remaining difference
   of two or more is forced by the pools, the leave and the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PoolSpan:
    """A lawyer's membership of one station's pool: from ``admitted_on``, up to (excluding) ``left_on``."""

    provider_id: int
    admitted_on: dt.date
    left_on: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class StationPool:
    station_id: int
    name: str
    members: tuple[PoolSpan, ...]


@dataclass(frozen=True)
class Gap:
    station_id: int
    day: dt.date
    reason: str


@dataclass
class Rota:
    duties: dict[tuple[int, dt.date], int] = field(default_factory=dict)  # (station, day) -> provider
    gaps: list[Gap] = field(default_factory=list)
    counts: dict[int, int] = field(default_factory=dict)  # every pool lawyer, duties held elsewhere included

    @property
    def spread(self) -> int:
        return max(self.counts.values()) - min(self.counts.values()) if self.counts else 0


def _fmt(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def generate(
    *,
    days: Iterable[dt.date],
    stations: Iterable[StationPool],
    unavailable: Mapping[int, Mapping[dt.date, str]] | None = None,
    held_elsewhere: Mapping[int, int] | None = None,
    names: Mapping[int, str] | None = None,
) -> Rota:
    """``unavailable``: provider -> {day: why} (leave, or a duty elsewhere that day); ``held_elsewhere``: duties
    each lawyer already holds this month at stations outside this generation (they count for fairness)."""
    days = sorted(set(days))
    pools = sorted(stations, key=lambda s: s.station_id)
    blocked = {p: dict(d) for p, d in (unavailable or {}).items()}
    names = names or {}
    lawyers = sorted({m.provider_id for s in pools for m in s.members})
    counts = {p: (held_elsewhere or {}).get(p, 0) for p in lawyers}
    rota = Rota(counts=counts)
    # candidates[(station, day)]: pool members on that day who are free of leave and other duties.
    candidates: dict[tuple[int, dt.date], list[int]] = {}
    for day in days:
        for pool in pools:
            members = sorted({m.provider_id for m in pool.members if m.covers(day)})
            free = [p for p in members if day not in blocked.get(p, {})]
            candidates[(pool.station_id, day)] = free
        _cover_day(day, pools, candidates, counts, rota, blocked, names)
    _balance(rota, candidates)
    return rota


def _cover_day(day: dt.date, pools: list[StationPool], candidates: dict[tuple[int, dt.date], list[int]],
               counts: dict[int, int], rota: Rota, blocked: Mapping[int, Mapping[dt.date, str]],
               names: Mapping[int, str]) -> None:
    """Maximum matching of the day's stations to free lawyers; the least-served lawyer is tried first."""
    holder: dict[int, int] = {}  # provider -> station this day

    def options(station_id: int) -> list[int]:
        return sorted(candidates[(station_id, day)], key=lambda p: (counts[p], p))

    def augment(station_id: int, seen: set[int]) -> bool:
        for provider in options(station_id):
            if provider in seen:
                continue
            seen.add(provider)
            if provider not in holder or augment(holder[provider], seen):
                holder[provider] = station_id
                return True
        return False

    # The most constrained stations first, so the cheap choices are left for those with many candidates.
    for pool in sorted(pools, key=lambda s: (len(candidates[(s.station_id, day)]), s.station_id)):
        augment(pool.station_id, set())
    covered = {station: provider for provider, station in holder.items()}
    for pool in pools:
        provider = covered.get(pool.station_id)
        if provider is not None:
            rota.duties[(pool.station_id, day)] = provider
            counts[provider] += 1
        else:
            rota.gaps.append(Gap(pool.station_id, day, _gap_reason(pool, day, candidates, blocked, names)))


def _gap_reason(pool: StationPool, day: dt.date, candidates: dict[tuple[int, dt.date], list[int]],
                blocked: Mapping[int, Mapping[dt.date, str]], names: Mapping[int, str]) -> str:
    where = f"{pool.name}{_fmt(day)}无人值班："
    members = sorted({m.provider_id for m in pool.members if m.covers(day)})
    if not members:
        return where + "本站值班律师库当日没有在库律师，请先增补入库律师。"
    if not candidates[(pool.station_id, day)]:
        why = "；".join(f"{names.get(p, p)}（{blocked[p][day]}）" for p in members)
        return where + f"库内律师当日均不能值班：{why}。"
    listed = "、".join(str(names.get(p, p)) for p in candidates[(pool.station_id, day)])
    return where + f"库内可值班的律师（{listed}）当日均已安排在其他站点值班，请增补入库律师或调整请假。"


def _balance(rota: Rota, candidates: dict[tuple[int, dt.date], list[int]]) -> None:
    """Move duties along chains from a lawyer with c duties to one with at most c − 2, until none is left."""
    working: dict[int, set[dt.date]] = {p: set() for p in rota.counts}
    held: dict[int, set[tuple[int, dt.date]]] = {p: set() for p in rota.counts}
    for slot, provider in rota.duties.items():
        working[provider].add(slot[1])
        held[provider].add(slot)
    takers: dict[tuple[int, dt.date], list[int]] = {slot: candidates[slot] for slot in rota.duties}
    guard = 10 * (len(rota.duties) + 1) ** 2  # every move lowers the sum of squares: this is never reached
    while guard:
        guard -= 1
        path = _find_chain(rota, working, held, takers)
        if path is None:
            return
        for slot, giver, taker in path:
            rota.duties[slot] = taker
            held[giver].discard(slot)
            working[giver].discard(slot[1])
            held[taker].add(slot)
            working[taker].add(slot[1])
        first_giver, last_taker = path[0][1], path[-1][2]
        rota.counts[first_giver] -= 1
        rota.counts[last_taker] += 1


def _find_chain(rota: Rota, working: dict[int, set[dt.date]], held: dict[int, set[tuple[int, dt.date]]],
                takers: dict[tuple[int, dt.date], list[int]]) -> list[tuple[tuple[int, dt.date], int, int]] | None:
    """Breadth-first from the busiest lawyers: a chain of (slot, giver, taker) ending at a lawyer with at least two
    duties fewer than the chain's first giver. An intermediate lawyer takes a slot on a day they are free."""
    for start in sorted(rota.counts, key=lambda p: (-rota.counts[p], p)):
        target = rota.counts[start] - 2
        back: dict[int, tuple[int, tuple[int, dt.date]]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            giver = queue.popleft()
            for slot in sorted(held[giver]):
                for taker in takers[slot]:
                    if taker in seen or slot[1] in working[taker]:
                        continue
                    seen.add(taker)
                    back[taker] = (giver, slot)
                    if rota.counts[taker] <= target:
                        return _unwind(back, start, taker)
                    queue.append(taker)
    return None


def _unwind(back: dict[int, tuple[int, tuple[int, dt.date]]], start: int,
            end: int) -> list[tuple[tuple[int, dt.date], int, int]]:
    path: list[tuple[tuple[int, dt.date], int, int]] = []
    taker = end
    while taker != start:
        giver, slot = back[taker]
        path.append((slot, giver, taker))
        taker = giver
    return list(reversed(path))
