"""The provider roster: specialties, languages, firms and about 165 aid providers.

Firm names are invented (a place word of the district and a virtue word, e.g. 江苏京江衡平律师事务所); any
resemblance to a real firm is accidental. Providers are keyed on their license number (lawyers and grassroots
workers), their staff record (center staff) or their name (volunteers), so a second run updates in place.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from fayuan.org.models import Center, District, Firm, FirmKind, Language, Provider, ProviderKind, Specialty, Staff

from . import data
from .builders import CITY_KEY, DIRECTOR, StaffSpec
from .data import DISTRICT_BY_SLUG, DISTRICTS, REFERENCE_DATE
from .names import landline, mobile, rng, unique_name

# District slug -> (place words for firm names, law firms, grassroots legal service offices).
_FIRM_PLAN: dict[str, tuple[tuple[str, ...], int, int]] = {
    "jingkou": (("京江", "梦溪", "北固"), 5, 1),
    "runzhou": (("南徐", "金焦", "铁瓮"), 3, 1),
    "dantu": (("谷阳", "宜城"), 2, 1),
    "danyang": (("云阳", "曲阿", "练湖"), 5, 2),
    "yangzhong": (("扬子", "中洲"), 2, 1),
    "jurong": (("华阳", "茅麓"), 3, 1),
    "xinqu": (("港城", "丁卯"), 2, 1),
}
_VIRTUES = ("衡平", "明法", "正谊", "守信", "笃行", "弘正", "致远", "博睿", "立言", "鉴诚", "持中", "怀德",
            "维公", "泽民", "澄明", "敬业")

# Lawyers per home center. The city center takes cases from the city-level courts and organs.
_LAWYERS_PER_CENTER = {CITY_KEY: 14, "jingkou": 16, "runzhou": 14, "dantu": 10, "danyang": 28, "yangzhong": 10,
                       "jurong": 18, "xinqu": 10}
_GRASSROOTS_PER_CENTER = 2  # every district center; the city center uses none
_VOLUNTEERS = 10
# A staff member's license to take cases, the public lawyer's preferred (it also allows criminal defense).
_CASE_LICENSES = ("public_lawyer_license", "legal_aid_permit")

# How often each civil specialty appears next to (or instead of) criminal defense.
_CIVIL = (("labour", 14), ("marriage_family", 16), ("traffic", 12), ("work_injury", 10), ("contract", 12),
          ("medical", 4), ("administrative", 5), ("state_compensation", 2), ("land", 5), ("elderly", 5))


def build_catalogues() -> tuple[dict[str, Specialty], dict[str, Language]]:
    specialties = {code: Specialty.objects.update_or_create(code=code, defaults={"name": name})[0]
                   for code, name in data.SPECIALTIES}
    languages = {code: Language.objects.update_or_create(code=code, defaults={"name": name})[0]
                 for code, name in data.LANGUAGES}
    return specialties, languages


def build_firms(districts: dict[str, District]) -> dict[str, list[Firm]]:
    """About 30 firms: law firms and grassroots legal service offices (基层法律服务所) in every district."""
    r = rng("firms")
    virtues = list(_VIRTUES)
    result: dict[str, list[Firm]] = {}
    serial = 0
    for slug, (places, lawyers, offices) in _FIRM_PLAN.items():
        spec = DISTRICT_BY_SLUG[slug]
        firms: list[Firm] = []
        for i in range(lawyers + offices):
            serial += 1
            word = places[i % len(places)] + virtues[serial % len(virtues)]
            is_office = i >= lawyers
            name = f"{spec.place}{word}法律服务所" if is_office else f"江苏{word}律师事务所"
            road = r.choice(spec.roads)
            firm, _ = Firm.objects.update_or_create(
                name=name,
                defaults={
                    "kind": FirmKind.LEGAL_SERVICE_OFFICE if is_office else FirmKind.LAW_FIRM,
                    "district": districts[slug],
                    # Shaped like a unified social credit code of a law firm (31 + area + MD...), not a real one.
                    "license_number": f"31{spec.code}MD{serial:08d}",
                    "address": f"{spec.place}{road}{r.randint(1, 300)}号{r.randint(2, 18)}楼",
                    "phone": landline(name),
                },
            )
            firms.append(firm)
        result[slug] = firms
    return result


@dataclass
class ProviderSpec:
    name: str
    kind: str
    center_key: str
    gender: str
    phone: str
    firm: Firm | None = None
    staff: Staff | None = None
    license_number: str = ""
    practice_since: dt.date | None = None
    criminal_defense_since: dt.date | None = None
    specialties: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    familiar_with_minors: bool = False
    excellent_team: bool = False
    # Meant for the criminal-defense pool: admitted through the pool service (``defense_pool.py``), which alone
    # writes ``Provider.criminal_pool``.
    criminal_pool: bool = False
    capacity: int = 8


def _dialect(center_key: str) -> str:
    return "zhenjiang" if center_key == CITY_KEY else DISTRICT_BY_SLUG[center_key].dialect


def _day(year: int, r: random.Random) -> dt.date:
    return dt.date(year, r.randint(1, 12), r.randint(1, 28))


def _civil(r: random.Random, k: int) -> list[str]:
    codes, weights = zip(*_CIVIL, strict=True)
    picked: list[str] = []
    while len(picked) < k:
        code = r.choices(codes, weights=weights)[0]
        if code not in picked:
            picked.append(code)
    return picked


def _languages(r: random.Random, center_key: str) -> list[str]:
    langs = ["mandarin"]
    if r.random() < 0.8:
        langs.append(_dialect(center_key))
    if r.random() < 0.12:
        langs.append("english")
    if r.random() < 0.04:
        langs.append("sign")
    return langs


def _lawyer(r: random.Random, serial: int, center_key: str, firm: Firm, taken: set[str]) -> ProviderSpec:
    # Skewed to recent years: most lawyers in the aid roster are younger than the bar as a whole.
    year = 2024 - int(r.triangular(0, 30, 4))
    since = _day(year, r)
    gender = "M" if r.random() < 0.6 else "F"
    spec = ProviderSpec(
        unique_name(r, gender, year - r.randint(23, 30), taken), ProviderKind.LAWYER, center_key, gender, mobile(r),
        firm=firm, license_number=f"13211{year}1{0 if gender == 'M' else 1}{serial:06d}", practice_since=since,
        capacity=r.randint(5, 12), languages=_languages(r, center_key),
    )
    if r.random() < 0.6:
        # Criminal practice starts at or after admission; some started recently, so art. 26 (≥3 years for
        # life/death cases) has lawyers on both sides of the line.
        start = min(since + dt.timedelta(days=r.randint(0, 5 * 365)), REFERENCE_DATE - dt.timedelta(days=120))
        spec.criminal_defense_since = max(start, since)
        spec.specialties.append("criminal")
        spec.criminal_pool = r.random() < 0.85
        if spec.criminal_pool and center_key == "jingkou":
            # The demo's organs (police, court) notify this center every ten days on top of its own criminal
            # applications: its pool lawyers keep room for them, as a center under art. 36's three days would.
            spec.capacity += 5
    spec.specialties += _civil(r, r.randint(1, 2))
    spec.familiar_with_minors = r.random() < (0.3 if spec.criminal_defense_since else 0.12)
    if spec.familiar_with_minors and r.random() < 0.6:
        spec.specialties.append("juvenile")
    spec.excellent_team = REFERENCE_DATE.year - year >= 8 and r.random() < 0.3
    return spec


def provider_specs(
    firms: dict[str, list[Firm]], staff: list[tuple[Staff, StaffSpec]], taken: set[str]
) -> list[ProviderSpec]:
    r = rng("providers")
    specs: list[ProviderSpec] = []
    serial = 0
    for center_key, count in _LAWYERS_PER_CENTER.items():
        # City-center lawyers practise in the urban districts, where the city-level courts sit.
        pool = [f for slug in (("jingkou", "runzhou") if center_key == CITY_KEY else (center_key,))
                for f in firms[slug] if f.kind == FirmKind.LAW_FIRM]
        for _ in range(count):
            serial += 1
            specs.append(_lawyer(r, serial, center_key, r.choice(pool), taken))
    for d in DISTRICTS:
        offices = [f for f in firms[d.slug] if f.kind == FirmKind.LEGAL_SERVICE_OFFICE]
        for _ in range(_GRASSROOTS_PER_CENTER):
            serial += 1
            gender = "M" if r.random() < 0.55 else "F"
            year = r.randint(1998, 2020)
            specs.append(ProviderSpec(
                unique_name(r, gender, year - 25, taken), ProviderKind.GRASSROOTS_WORKER, d.slug, gender, mobile(r),
                firm=r.choice(offices), license_number=f"J3211{year}{serial:05d}", practice_since=_day(year, r),
                specialties=_civil(r, 2), languages=["mandarin", d.dialect], capacity=r.randint(5, 8),
            ))
    keys = [CITY_KEY, *(d.slug for d in DISTRICTS)]
    for i in range(_VOLUNTEERS):
        # Retired judges, law teachers and students: no practising license, so civil matters only.
        gender = "M" if r.random() < 0.5 else "F"
        center_key = keys[i % len(keys)]
        specs.append(ProviderSpec(
            unique_name(r, gender, r.randint(1955, 2000), taken), ProviderKind.VOLUNTEER, center_key, gender,
            mobile(r), specialties=_civil(r, 1), languages=_languages(r, center_key), capacity=r.randint(5, 6),
            familiar_with_minors=r.random() < 0.3,
        ))
        # Two volunteers sign at least: barrier-free service for deaf applicants (law art. 45).
        if i < 2 and "sign" not in specs[-1].languages:
            specs[-1].languages.append("sign")
    for st, sp in staff:
        # Staff holding a public lawyer's license or a legal aid permit take cases themselves (point 17: at least
        # two a year each), except the directors, who are certified but run the center: a few below the target.
        lic = min((q for q in sp.qualifications if q.kind in _CASE_LICENSES),
                  key=lambda q: _CASE_LICENSES.index(q.kind), default=None)
        if lic is None or sp.position == DIRECTOR:
            continue
        specs.append(ProviderSpec(
            sp.name, ProviderKind.CENTER_STAFF, sp.center_key, sp.gender, sp.phone, staff=st,
            license_number=lic.number, practice_since=lic.valid_from, specialties=_civil(r, 2),
            languages=_languages(r, sp.center_key), capacity=r.randint(3, 5),
        ))
    return specs


def build_providers(
    centers: dict[str, Center], specs: list[ProviderSpec], specialties: dict[str, Specialty],
    languages: dict[str, Language],
) -> list[Provider]:
    result: list[Provider] = []
    for s in specs:
        if s.staff is not None:
            key: dict[str, Any] = {"staff": s.staff}
        elif s.license_number:
            key = {"license_number": s.license_number}
        else:
            key = {"kind": s.kind, "name": s.name}
        provider, _ = Provider.objects.update_or_create(
            **key,
            defaults={
                "name": s.name, "kind": s.kind, "gender": s.gender, "firm": s.firm, "staff": s.staff,
                "home_center": centers[s.center_key], "license_number": s.license_number,
                "practice_since": s.practice_since, "criminal_defense_since": s.criminal_defense_since,
                "familiar_with_minors": s.familiar_with_minors, "excellent_team": s.excellent_team,
                "capacity": s.capacity, "phone": s.phone, "active": True,
            },
        )
        provider.specialties.set([specialties[c] for c in s.specialties])
        provider.languages.set([languages[c] for c in s.languages])
        result.append(provider)
    return result
