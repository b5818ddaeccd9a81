"""A tiny world whose reach figures were computed by hand (see ``HAND``), shared by the selector and page tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fayuan.org.models import Center, CenterLevel, District, Station, StationKind, StationType
from fayuan.places.models import Place, PlaceKind

LON = Decimal("119.000000")  # everything on one meridian: the distance is R × Δφ, easy to follow by hand


@dataclass
class World:
    district_a: District  # 京口区
    district_b: District  # 丹阳市
    center_a: Center
    center_b: Center


def _station(name: str, district: District, center: Center, lat: str, *, type: str = StationType.JUDICIAL_OFFICE,
             active: bool = True) -> Station:
    return Station.objects.create(name=name, type=type, kind=StationKind.STATION, center=center, district=district,
                                  address=name, latitude=Decimal(lat), longitude=LON, active=active)


def _place(code: str, name: str, district: District, lat: str, population: int, urban: bool) -> Place:
    return Place.objects.create(code=code, name=name, town="某镇", district=district,
                                kind=PlaceKind.COMMUNITY if urban else PlaceKind.VILLAGE, urban=urban,
                                latitude=Decimal(lat), longitude=LON, population=population)


def hand_world(center_a: Center | None = None, center_b: Center | None = None) -> World:
    """Stations S1 (A, 32.00) and S2 (B, 31.50) count; S3 is inactive and S4 sits in a prison, so neither does, though
    each stands right on a place that is out of reach. Places P1-P5 as in ``HAND``."""
    a = District.objects.get(code="321102")
    b = District.objects.get(code="321181")
    center_a = center_a or Center.objects.create(name="京口区法律援助中心", doc_prefix="京法援",
                                                 level=CenterLevel.DISTRICT, district=a, address="京口区某路1号")
    center_b = center_b or Center.objects.create(name="丹阳市法律援助中心", doc_prefix="丹法援",
                                                 level=CenterLevel.DISTRICT, district=b, address="丹阳市某路1号")
    _station("S1京口司法所", a, center_a, "32.000000")
    _station("S2丹阳法院工作站", b, center_b, "31.500000", type=StationType.COURT)
    _station("S3停用联络点", b, center_b, "31.620000", active=False)
    _station("S4监狱工作站", a, center_a, "32.030000", type=StationType.PRISON)
    _place("321102001001", "P1社区", a, "32.020000", 1000, urban=True)
    _place("321102001002", "P2社区", a, "32.030000", 2000, urban=True)
    _place("321102001003", "P3村", a, "32.100000", 500, urban=False)
    _place("321181001001", "P4村", b, "31.620000", 800, urban=False)
    _place("321181001002", "P5村", b, "31.550000", 700, urban=False)
    return World(a, b, center_a, center_b)


# The hand computation, with the shipped rules: town 15 min at 15 km/h, countryside 30 min at 30 km/h, roads 1.3 ×
# the straight line. One degree of latitude is 6371 km × π/180 = 111.19493 km; minutes = km × 1.3 ÷ speed × 60,
# i.e. km × 5.2 in town and km × 2.6 in the countryside.
#   P1 town,  0.02° from S1 =  2.22390 km → 11.564 min ≤ 15: within   (1000 people)
#   P2 town,  0.03° from S1 =  3.33585 km → 17.346 min > 15: OUT      (2000; the prison station S4 on it does not count)
#   P3 rural, 0.10° from S1 = 11.11949 km → 28.911 min ≤ 30: within   ( 500)
#   P4 rural, 0.12° from S2 = 13.34339 km → 34.693 min > 30: OUT      ( 800; the inactive S3 on it does not count)
#   P5 rural, 0.05° from S2 =  5.55975 km → 14.455 min ≤ 30: within   ( 700)
# 京口区: 3500 people, 1500 within (P1 + P3), 3/7 = 42.9%, 1 place out. 丹阳市: 1500, 700 within (P5), 7/15 = 46.7%,
# 1 out. City: 5000, 2200 within, 44.0%, 2 out.
# New points: a point at P1 brings P2 in (0.01° = 1.11195 km → 5.78 min), as does one at P2 itself; P3 does not
# (0.07° → 40.5 min). A point at P4, or at P5 (0.07° = 7.78364 km → 20.24 rural min), brings P4 in. Greedy with
# k = 2: P1 (2000, the first of the tie P1/P2 in the city's order), then P4 (800): 2800 people, the optimum.
HAND = {
    "minutes": {"P1": 11.564, "P2": 17.346, "P3": 28.911, "P4": 34.693, "P5": 14.455},
    "a": (3, 3500, 1500, 1), "b": (2, 1500, 700, 1), "city": (5, 5000, 2200, 2),
}
