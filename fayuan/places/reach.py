"""The station network's reach (plan point 14: 城市一刻钟、农村半小时), as pure functions: no database.

Travel time from a place to a service point is estimated from the straight-line (great-circle) distance, lengthened
by a detour factor because roads do not run straight, at an average door-to-door speed; town and countryside have
their own target, speed and factor (the rule rows ``ReachTarget`` and ``TravelAssumption``). A place is within reach
when the nearest service point is within its setting's target; its whole population counts as within reach or not
(the place's coordinates stand for everyone living there).

Suggested new points: the maximum-coverage problem (choose k places to host a new point so that the most people not
yet within reach come within reach) is NP-hard; the greedy choice (each time the place that brings the most people
in) is guaranteed at least 1 - 1/e ≈ 63% of the optimum and is usually much closer. ``best_cover`` finds the exact
optimum for small k by branch and bound, so the pages and the ``reach_cover`` command can say how close greedy is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fayuan.core.geo import haversine_km

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Standard:
    """One setting's (town or countryside) target and travel assumption."""

    minutes: int
    speed_kmh: float
    detour_factor: float

    @property
    def radius_km(self) -> float:
        """The straight-line distance the target reaches."""
        return self.minutes / 60 * self.speed_kmh / self.detour_factor


@dataclass(frozen=True)
class Standards:
    urban: Standard
    rural: Standard

    def of(self, urban: bool) -> Standard:
        return self.urban if urban else self.rural


@dataclass(frozen=True)
class Site:
    """A service point people can walk into: a station, a contact point or a center."""

    key: str
    name: str
    kind: str  # shown: 工作站 / 联络点 / 法律援助中心
    lat: float
    lon: float
    district_id: int | None = None


@dataclass(frozen=True)
class Home:
    """A village or community: where its population lives, and whether it is town or countryside."""

    key: str
    name: str
    district_id: int
    lat: float
    lon: float
    population: int
    urban: bool


@dataclass(frozen=True)
class Reach:
    home: Home
    nearest: Site | None
    minutes: float | None  # None: no service point at all
    target: int

    @property
    def within(self) -> bool:
        return self.minutes is not None and self.minutes <= self.target


@dataclass(frozen=True)
class Figures:
    places: int = 0
    population: int = 0
    within_population: int = 0
    out_places: int = 0

    @property
    def share(self) -> float | None:
        """The share of the population within reach, 0..1 (None when nobody lives there)."""
        return self.within_population / self.population if self.population else None

    @property
    def share_text(self) -> str:
        return "—" if self.share is None else f"{self.share:.1%}"

    def plus(self, reach: Reach) -> Figures:
        inside = reach.within
        return Figures(self.places + 1, self.population + reach.home.population,
                       self.within_population + (reach.home.population if inside else 0),
                       self.out_places + (0 if inside else 1))

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.places + other.places, self.population + other.population,
                       self.within_population + other.within_population, self.out_places + other.out_places)


def travel_minutes(km: float, standard: Standard) -> float:
    return km * standard.detour_factor / standard.speed_kmh * 60


def minutes_between(home: Home, lat: float, lon: float, standards: Standards) -> float:
    """Minutes from ``home`` to a point, at the home's setting's speed (the resident is the one travelling)."""
    return travel_minutes(haversine_km(home.lat, home.lon, lat, lon), standards.of(home.urban))


def assess(homes: Iterable[Home], sites: Sequence[Site], standards: Standards) -> list[Reach]:
    """Each home's nearest service point, the minutes to it and its target."""
    found: list[Reach] = []
    for home in homes:
        nearest: Site | None = None
        best: float | None = None
        for site in sites:
            minutes = minutes_between(home, site.lat, site.lon, standards)
            if best is None or minutes < best:
                nearest, best = site, minutes
        found.append(Reach(home, nearest, best, standards.of(home.urban).minutes))
    return found


def tally(reaches: Iterable[Reach], key: Callable[[Reach], K]) -> dict[K, Figures]:
    """Figures per group (e.g. per district), in the order groups first appear."""
    groups: dict[K, Figures] = {}
    for reach in reaches:
        k = key(reach)
        groups[k] = groups.get(k, Figures()).plus(reach)
    return groups


def total(figures: Iterable[Figures]) -> Figures:
    result = Figures()
    for f in figures:
        result = result + f
    return result


# -- Suggested new points: maximum coverage -------------------------------------------------------------------------

@dataclass(frozen=True)
class Pick:
    """A place suggested to host a new point, and whom it brings within reach (beyond the points before it)."""

    site: Home
    newly: tuple[Home, ...]

    @property
    def people(self) -> int:
        return sum(h.population for h in self.newly)


def coverage(uncovered: Sequence[Home], candidates: Sequence[Home], standards: Standards) -> list[frozenset[int]]:
    """For each candidate, the indices of the uncovered homes a point there would bring within their target."""
    return [frozenset(i for i, home in enumerate(uncovered)
                      if minutes_between(home, c.lat, c.lon, standards) <= standards.of(home.urban).minutes)
            for c in candidates]


def greedy_indices(sets: Sequence[frozenset[int]], weights: Sequence[int], k: int) -> list[int]:
    """Greedy maximum coverage: k times the set adding the most weight; ties to the lower index (deterministic).
    Stops early when nothing more can be covered."""
    covered: set[int] = set()
    chosen: list[int] = []
    for _ in range(k):
        best, gain = -1, 0
        for j, s in enumerate(sets):
            g = sum(weights[i] for i in s - covered)
            if g > gain:
                best, gain = j, g
        if best < 0:
            break
        chosen.append(best)
        covered |= sets[best]
    return chosen


@dataclass(frozen=True)
class Optimum:
    value: int
    indices: tuple[int, ...]
    proven: bool  # False when the search hit its node limit: ``value`` is then only the best found


def best_indices(sets: Sequence[frozenset[int]], weights: Sequence[int], k: int,
                 node_limit: int = 2_000_000) -> Optimum:
    """The exact maximum coverage with at most k sets, by branch and bound.

    Sets contained in another are dropped first (choosing the larger never loses). The search takes sets in order of
    their own weight; a branch is cut when what it has plus the weights of the next best sets it may still add
    cannot beat the best found (a set never adds more than its own weight)."""
    def weight(s: frozenset[int]) -> int:
        return sum(weights[i] for i in s)

    distinct: dict[frozenset[int], int] = {}
    for j, s in enumerate(sets):
        if s and s not in distinct:
            distinct[s] = j
    kept = [s for s in distinct if not any(s < other for other in distinct)]
    kept.sort(key=lambda s: (-weight(s), distinct[s]))
    own = [weight(s) for s in kept]
    best_value = 0
    best_pick: tuple[int, ...] = ()
    nodes = 0
    proven = True

    def search(start: int, left: int, covered: frozenset[int], value: int, pick: tuple[int, ...]) -> None:
        nonlocal best_value, best_pick, nodes, proven
        if value > best_value:
            best_value, best_pick = value, pick
        if left == 0:
            return
        for j in range(start, len(kept)):
            if value + sum(own[j:j + left]) <= best_value:
                return  # weights are sorted: no later branch can do better either
            nodes += 1
            if nodes > node_limit:
                proven = False
                return
            gain = weight(kept[j] - covered)
            if gain:
                search(j + 1, left - 1, covered | kept[j], value + gain, (*pick, distinct[kept[j]]))

    search(0, k, frozenset(), 0, ())
    return Optimum(best_value, best_pick, proven)


def greedy_cover(uncovered: Sequence[Home], candidates: Sequence[Home], k: int, standards: Standards) -> list[Pick]:
    """Up to k places for new points, each bringing the most people not yet within reach."""
    sets = coverage(uncovered, candidates, standards)
    weights = [h.population for h in uncovered]
    covered: set[int] = set()
    picks: list[Pick] = []
    for j in greedy_indices(sets, weights, k):
        newly = sorted(sets[j] - covered)
        covered |= sets[j]
        picks.append(Pick(candidates[j], tuple(uncovered[i] for i in newly)))
    return picks


@dataclass(frozen=True)
class Comparison:
    k: int
    greedy: int  # people the greedy picks bring within reach
    optimum: int
    proven: bool

    @property
    def ratio(self) -> float | None:
        return self.greedy / self.optimum if self.optimum else None

    @property
    def ratio_text(self) -> str:
        return "—" if self.ratio is None else f"{self.ratio:.1%}"


def compare(uncovered: Sequence[Home], candidates: Sequence[Home], ks: Iterable[int], standards: Standards,
            node_limit: int = 2_000_000) -> list[Comparison]:
    """Greedy against the exact optimum for each k (coverage computed once)."""
    sets = coverage(uncovered, candidates, standards)
    weights = [h.population for h in uncovered]
    out: list[Comparison] = []
    for k in ks:
        chosen = greedy_indices(sets, weights, k)
        greedy = sum(weights[i] for i in frozenset().union(*(sets[j] for j in chosen)))
        best = best_indices(sets, weights, k, node_limit)
        out.append(Comparison(k, greedy, max(best.value, greedy), best.proven))
    return out
