"""Writers for the demo's offices: centers, stations, staff, on the districts of the reference data.

Every row is keyed on its natural key (center or station name, staff name within a center, qualification kind per
staff) and written with ``update_or_create``, so a second run changes nothing. Districts, their population and the
minimum wage come with the migrations (``org`` 0003) and are only read here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.core.management.base import CommandError

from fayuan.org.models import (
    Center,
    CenterLevel,
    District,
    Organ,
    OrganKind,
    OrganLevel,
    QualificationKind,
    Staff,
    StaffQualification,
    Station,
    StationKind,
    StationType,
)

from . import data
from .data import DISTRICT_BY_SLUG, DISTRICTS, DistrictSpec
from .names import jitter, landline, rng, unique_name

CITY_KEY = "city"
DUTY_TYPES = frozenset({StationType.COURT, StationType.DETENTION_CENTER})
# Generic village and community names (every county has a 新华村 or 和平社区), so no real place is implied.
_VILLAGES = ("新华村", "永丰村", "联合村", "红旗村", "和平社区", "幸福社区", "建设村", "友谊村", "光明社区")


@dataclass
class Org:
    districts: dict[str, District]  # by slug
    centers: dict[str, Center]  # by district slug, plus CITY_KEY
    stations: dict[str, Station]  # by name
    organs: dict[str, Organ]  # by name


def load_districts() -> dict[str, District]:
    """The districts are reference data (loaded by the migrations, with population and minimum wage): the demo
    only looks them up, and builds its centers and stations on them."""
    found = District.objects.in_bulk([spec.code for spec in DISTRICTS], field_name="code")
    missing = [f"{spec.code} {spec.name}" for spec in DISTRICTS if spec.code not in found]
    if missing:
        raise CommandError(f"缺少行政区基础数据：{'、'.join(missing)}。请先运行 manage.py migrate。")
    return {spec.slug: found[spec.code] for spec in DISTRICTS}


def build_centers(districts: dict[str, District]) -> dict[str, Center]:
    city = data.CITY_CENTER
    lat, lon = jitter(city.name, city.lat, city.lon, 0.002)
    centers = {
        CITY_KEY: Center.objects.update_or_create(
            name=city.name,
            # The city center sits in the central urban district; its means test uses that district's wage.
            defaults={"doc_prefix": city.doc_prefix, "level": CenterLevel.CITY, "district": None,
                      "seat_district": districts[city.seat_district],
                      "address": city.address, "phone": landline(city.name), "latitude": lat, "longitude": lon},
        )[0]
    }
    for spec in DISTRICTS:
        lat, lon = jitter(spec.center_name, spec.lat, spec.lon, 0.004)
        centers[spec.slug] = Center.objects.update_or_create(
            name=spec.center_name,
            defaults={"doc_prefix": spec.doc_prefix, "level": CenterLevel.DISTRICT,
                      "district": districts[spec.slug], "address": spec.center_address,
                      "phone": landline(spec.center_name), "latitude": lat, "longitude": lon},
        )[0]
    return centers


@dataclass(frozen=True)
class StationSpec:
    name: str
    type: str
    kind: str
    district: str
    under_city: bool
    address: str
    radius: float  # how far from the district seat the approximate point may fall


def station_specs() -> list[StationSpec]:
    specs = [StationSpec(name, type_, StationKind.STATION, slug, under_city, address, 0.02)
             for name, type_, slug, under_city, address in data.STATIONS]
    # Towns lie farther from the seat in the large county-level cities than in the urban districts.
    rural = {"danyang": 0.09, "jurong": 0.09, "yangzhong": 0.05, "dantu": 0.06, "xinqu": 0.05}
    for slug, town in data.JUDICIAL_OFFICES:
        spec = DISTRICT_BY_SLUG[slug]
        office = "街道办事处" if town.endswith("街道") else "人民政府"
        specs.append(StationSpec(f"{spec.place}{town}司法所", StationType.JUDICIAL_OFFICE, StationKind.STATION,
                                 slug, False, f"{spec.place}{town}{office}院内", rural.get(slug, 0.03)))
    for i, (slug, town) in enumerate(data.CONTACT_POINTS):
        spec = DISTRICT_BY_SLUG[slug]
        village = _VILLAGES[i % len(_VILLAGES)]
        specs.append(StationSpec(f"{spec.place}{town}{village}法律援助联络点", StationType.COMMUNITY_POINT,
                                 StationKind.CONTACT_POINT, slug, False, f"{spec.place}{town}{village}党群服务中心",
                                 rural.get(slug, 0.03)))
    return specs


def build_stations(districts: dict[str, District], centers: dict[str, Center]) -> dict[str, Station]:
    result: dict[str, Station] = {}
    for s in station_specs():
        seat: DistrictSpec = DISTRICT_BY_SLUG[s.district]
        lat, lon = jitter(s.name, seat.lat, seat.lon, s.radius)
        result[s.name], _ = Station.objects.update_or_create(
            name=s.name,
            defaults={
                "type": s.type, "kind": s.kind, "district": districts[s.district],
                "center": centers[CITY_KEY if s.under_city else s.district],
                "address": s.address, "latitude": lat, "longitude": lon, "coordinates_approximate": True,
                "opening_hours": data.OPENING_HOURS.get(s.type, data.DEFAULT_OPENING_HOURS),
                "phone": landline(s.name), "has_duty_lawyer": s.type in DUTY_TYPES, "active": True,
            },
        )
    return result


ORGAN_STATION_TYPES = {StationType.COURT: OrganKind.COURT, StationType.PROCURATORATE: OrganKind.PROCURATORATE,
                       StationType.POLICE: OrganKind.POLICE, StationType.DETENTION_CENTER: OrganKind.DETENTION_CENTER}


def organ_name(station_name: str) -> str:
    """The organ a legal aid station sits in: 镇江市京口区人民法院法律援助工作站 → 镇江市京口区人民法院."""
    return station_name.removesuffix("法律援助工作站").removesuffix("值班律师工作站")


def build_organs(stations: dict[str, Station]) -> dict[str, Organ]:
    """Every court, procuratorate, police bureau and detention center that has a station of the demo city, with the
    station it hosts; its notices go to the station's center (a city-level organ's to the city center)."""
    result: dict[str, Organ] = {}
    for station in stations.values():
        kind = ORGAN_STATION_TYPES.get(StationType(station.type))
        if kind is None:
            continue
        name = organ_name(station.name)
        result[name], _ = Organ.objects.update_or_create(name=name, defaults={
            "kind": kind, "district": station.district, "center": station.center, "station": station,
            "level": OrganLevel.CITY if station.center.district_id is None else OrganLevel.BASIC,
            "address": station.address, "phone": landline(name), "active": True,
        })
    return result


def build_org() -> Org:
    districts = load_districts()
    centers = build_centers(districts)
    stations = build_stations(districts, centers)
    return Org(districts, centers, stations, build_organs(stations))


# --- Center staff -----------------------------------------------------------------------------------------------

DIRECTOR = "主任"
_POSITIONS = (DIRECTOR, "副主任", "审查员", "指派专员", "质量监督员", "科员", "办事员", "科员")
# The one center below the plan's 40 % qualified share (point 17), so that the dashboard has a gap to show.
UNDERQUALIFIED = "yangzhong"


def _date(year: int, r: random.Random) -> dt.date:
    return dt.date(year, r.randint(1, 12), r.randint(1, 28))


@dataclass(frozen=True)
class QualSpec:
    kind: str
    number: str
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class StaffSpec:
    center_key: str
    name: str
    gender: str
    position: str
    phone: str
    qualifications: tuple[QualSpec, ...]


def staff_specs(taken_names: set[str]) -> list[StaffSpec]:
    """5-8 people per center; ``n // 2`` of them (40-50 %) hold the legal professional qualification (point 17),
    except at ``UNDERQUALIFIED``, which has one qualified person fewer (20-38 %). Legal aid permits go to most of
    the qualified and a few of the others."""
    result: list[StaffSpec] = []
    serial = 0
    for key in [CITY_KEY, *(d.slug for d in DISTRICTS)]:
        r = rng(f"staff:{key}")
        n = r.randint(5, 8)
        # The director is nearly always qualified; the rest of the qualified share is drawn at random.
        qualified = {0, *r.sample(range(1, n), n // 2 - 1)}
        if key == UNDERQUALIFIED:
            qualified.discard(max(qualified))
        for i in range(n):
            gender = "M" if r.random() < 0.5 else "F"
            birth_year = r.randint(1968, 1998)
            name = unique_name(r, gender, birth_year, taken_names)
            quals: list[QualSpec] = []
            serial += 1
            if i in qualified:
                year = min(max(birth_year + 23, 2003), 2022)
                quals.append(QualSpec(QualificationKind.LEGAL_PROFESSION, f"A{year}3211{serial:06d}",
                                      _date(year, r)))
                if r.random() < 0.5:
                    # Public lawyers (公职律师) date from the 2016 reform.
                    py = r.randint(max(year + 1, 2016), 2024)
                    quals.append(QualSpec(QualificationKind.PUBLIC_LAWYER_LICENSE, f"33211{py}3{serial:07d}",
                                          _date(py, r)))
                elif year <= 2016 and r.random() < 0.4:
                    # Practised as a lawyer before joining the center: the license ended when they joined.
                    ly = r.randint(year + 1, year + 3)
                    quals.append(QualSpec(QualificationKind.LAWYER_LICENSE, f"13211{ly}1{serial:07d}",
                                          _date(ly, r), _date(ly + r.randint(2, 5), r)))
            if r.random() < (0.75 if i in qualified else 0.2):
                wy = r.randint(2015, 2024)
                permit = f"苏法援证{wy}第{serial:04d}号"
                quals.append(QualSpec(QualificationKind.LEGAL_AID_PERMIT, permit, _date(wy, r)))
            phone = landline(f"staff:{key}:{name}")
            result.append(StaffSpec(key, name, gender, _POSITIONS[min(i, len(_POSITIONS) - 1)], phone, tuple(quals)))
    return result


def build_staff(centers: dict[str, Center], specs: list[StaffSpec]) -> list[tuple[Staff, StaffSpec]]:
    result: list[tuple[Staff, StaffSpec]] = []
    for s in specs:
        staff, _ = Staff.objects.update_or_create(
            center=centers[s.center_key], name=s.name,
            defaults={"position": s.position, "phone": s.phone, "active": True},
        )
        for q in s.qualifications:
            StaffQualification.objects.update_or_create(
                staff=staff, kind=q.kind,
                defaults={"number": q.number, "valid_from": q.valid_from, "valid_to": q.valid_to},
            )
        result.append((staff, s))
    return result
