"""The demo city's villages and communities (行政村、社区): names, 12-digit codes, coordinates and population.

Illustrative, like the stations: each town or sub-district of a demo district gets a handful of places scattered
around its seat (the township judicial office where the demo has one), farther apart in the county-level cities than
in the urban districts, so that some rural places lie beyond the reach of any station. The district's permanent
population (reference data) is shared out among its places, so the reach figures weigh real totals. Codes are
district code + 3-digit town + 3-digit place, in the statistical division code's shape (not the real codes).
"""

from __future__ import annotations

from decimal import Decimal

from fayuan.org.models import District, Station
from fayuan.places.models import Place, PlaceKind

from .data import DISTRICTS, REFERENCE_DATE, DistrictSpec
from .names import jitter, rng

_FIRST = "新永联红和幸建友光东西南北长青金中大双三五兴胜前"
_SECOND = "华丰合旗平福设谊明庄桥塘岗圩湾山河田林港荡墩"
# How far (degrees) a town's places spread from its seat, and a town's seat from the district's.
_SPREAD = {"jingkou": 0.012, "runzhou": 0.012, "dantu": 0.05, "xinqu": 0.04, "danyang": 0.07, "yangzhong": 0.035,
           "jurong": 0.08}
_TOWN_SPREAD = {"jingkou": 0.03, "runzhou": 0.03, "dantu": 0.08, "xinqu": 0.06, "danyang": 0.14, "yangzhong": 0.05,
                "jurong": 0.15}
_STREET_SPREAD = 0.015


def _names(section: str, count: int, suffix: str) -> list[str]:
    r = rng(section)
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(f"{r.choice(_FIRST)}{r.choice(_SECOND)}{suffix}")
    return sorted(seen)


def _town_seat(spec: DistrictSpec, town: str, stations: dict[str, Station]) -> tuple[float, float]:
    """Where a town's places gather: its judicial office or contact point where the demo has one; a sub-district
    (街道) is part of the district's built-up core, so it sits near the district seat; other towns lie farther out."""
    office = stations.get(f"{spec.place}{town}司法所") or next(
        (s for name, s in sorted(stations.items()) if name.startswith(f"{spec.place}{town}")), None)
    if office is not None:
        return float(office.latitude), float(office.longitude)
    spread = _STREET_SPREAD if town.endswith("街道") else _TOWN_SPREAD[spec.slug]
    lat, lon = jitter(f"town:{spec.slug}:{town}", spec.lat, spec.lon, spread)
    return float(lat), float(lon)


def place_rows(districts: dict[str, District], stations: dict[str, Station]) -> list[Place]:
    rows: list[Place] = []
    for spec in DISTRICTS:
        district = districts[spec.slug]
        figure = district.population_in(REFERENCE_DATE.year)
        weights: list[float] = []
        start = len(rows)
        for t, town in enumerate(spec.towns, start=1):
            seat_lat, seat_lon = _town_seat(spec, town, stations)
            r = rng(f"places:{spec.slug}:{town}")
            street = town.endswith("街道")
            communities = r.randint(4, 7) if street else 1
            villages = 0 if street else r.randint(5, 9)
            named = ([(n, PlaceKind.COMMUNITY) for n in _names(f"c:{spec.slug}:{town}", communities, "社区")]
                     + [(n, PlaceKind.VILLAGE) for n in _names(f"v:{spec.slug}:{town}", villages, "村")])
            for p, (name, kind) in enumerate(named, start=1):
                urban = kind == PlaceKind.COMMUNITY
                spread = _SPREAD[spec.slug] * (0.4 if urban else 1.0)
                lat, lon = jitter(f"place:{spec.slug}:{town}:{name}", seat_lat, seat_lon, spread)
                weights.append(r.uniform(1.5, 3.0) if urban else r.uniform(0.5, 1.5))
                rows.append(Place(code=f"{district.code}{t:03d}{p:03d}", name=name, town=town, district=district,
                                  kind=kind, urban=urban, latitude=lat, longitude=lon, population=0))
        total = figure.population if figure is not None else 0
        share = sum(weights) or 1.0
        for row, w in zip(rows[start:], weights, strict=True):
            row.population = int(Decimal(total) * Decimal(w / share))
    return rows


def seed_places(districts: dict[str, District], stations: dict[str, Station]) -> int:
    """Create the places that are missing (by code) and bring the demo's own rows to the current layout (an earlier
    demo's coordinates or population); returns how many were added. Reference data: no service."""
    rows = place_rows(districts, stations)
    have = {p.code: p for p in Place.objects.filter(code__in=[r.code for r in rows])}
    new = [r for r in rows if r.code not in have]
    Place.objects.bulk_create(new)
    moved = []
    for r in rows:
        old = have.get(r.code)
        if old is not None and (old.latitude, old.longitude, old.population) != (r.latitude, r.longitude,
                                                                                   r.population):
            old.latitude, old.longitude, old.population = r.latitude, r.longitude, r.population
            moved.append(old)
    Place.objects.bulk_update(moved, ["latitude", "longitude", "population"])
    return len(new)
