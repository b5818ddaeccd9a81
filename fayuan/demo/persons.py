"""About 2,000 synthetic people, registered only through ``person_register`` (ID validation, encryption, audit).

Generation is pure and prefix-stable: person *i* is the same whatever the requested total, so ``--persons 40``
followed by ``--persons 2000`` adds the other 1,960. A person already registered (found through the keyed ID hash)
is skipped, which makes the step idempotent without trusting counts. Before a case history exists, registrations
are dated in the weeks before it (``clock``), so that the audit log's times rise with its sequence.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import time_machine
from django.db import transaction

from fayuan.accounts.models import User
from fayuan.core.crypto import lookup_hash
from fayuan.core.errors import Conflict
from fayuan.org.models import Station
from fayuan.people import idnumber
from fayuan.people.models import Person
from fayuan.people.services import person_link_account, person_register

from .accounts import HOME, reviewer_username
from .builders import CITY_KEY, station_specs
from .data import DEMO_CLERK_STATION, DISTRICT_BY_SLUG, MIGRANT_ORIGINS, REFERENCE_DATE
from .names import mobile, person_name, rng

# Share of registrations per center, and so of the cases (the planner picks centers by their people). The city
# center takes city-level organs' people. The two central districts are weighted above their population so that
# the demo year shows both sides of plan point 8's target: 京口 and 润州 over 10 aided per 10,000 residents
# (measured on the default seed on 2026-12-03: 11.6 and 11.9 projected to year end, 10.7 and 11.1 so far), the
# others well below it (丹阳 3.2, 句容 3.6, the city 5.6).
_CENTER_WEIGHTS = {CITY_KEY: 6, "jingkou": 19, "runzhou": 18, "dantu": 10, "danyang": 19, "yangzhong": 8,
                   "jurong": 13, "xinqu": 7}
_VILLAGES = ("新华村", "永丰村", "联合村", "红旗村", "建设村", "友谊村", "胜利村", "长新村", "东风村", "立新村")
_COMMUNITIES = ("新华社区", "和平社区", "幸福社区", "江滨社区", "花园社区", "阳光社区", "团结社区")
_BATCH = 50  # persons per transaction: few commits (SQLite fsyncs each), none holding the write lock long


@dataclass(frozen=True)
class PersonSpec:
    index: int
    center_key: str
    name: str
    id_number: str
    phone: str
    address: str
    household_registration: str
    tags: tuple[str, ...]
    station: str | None  # intake station name, or None for the center's own counter


def _age(birth: dt.date) -> int:
    on = REFERENCE_DATE
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birth(r: random.Random, migrant: bool) -> dt.date:
    if migrant:
        year = r.randint(1968, 2006)  # working age
    else:
        u = r.random()
        year = r.randint(1940, 1965) if u < 0.30 else r.randint(1966, 2007) if u < 0.91 else r.randint(2008, 2010)
    return dt.date(year, r.randint(1, 12), r.randint(1, 28))


def _tags(r: random.Random, age: int, gender: str, migrant: bool, rural: bool) -> tuple[str, ...]:
    """Group membership in plausible proportions; elderly only from 60, minor only under 18 (law art. 42)."""
    old = age >= 60
    tags: list[str] = []
    if old and r.random() < 0.85:
        tags.append("elderly")
    if age < 18 and r.random() < 0.9:
        tags.append("minor")
    if migrant:
        tags.append("migrant_worker")
    # Assistance levels exclude one another: 低保, 特困 and 低保边缘 are different household statuses.
    if r.random() < (0.12 if old else 0.08):
        tags.append("low_income_allowance")
    elif r.random() < (0.04 if old else 0.015):
        tags.append("extreme_poverty")
    elif r.random() < 0.05:
        tags.append("near_poverty")
    if rural and r.random() < 0.04:
        tags.append("registered_poor")
    if r.random() < (0.10 if old else 0.05):
        tags.append("disabled")
    if r.random() < 0.03:
        tags.append("military_family")
    if age >= 18 and r.random() < (0.15 if old else 0.07):
        tags.append("no_fixed_income")
    if r.random() < 0.015:
        tags.append("judicial_assistance")
    if age >= 18 and r.random() < (0.05 if gender == "F" else 0.008):
        tags.append("domestic_violence_victim")
    return tuple(tags)


def _address(r: random.Random, slug: str) -> tuple[str, bool]:
    spec = DISTRICT_BY_SLUG[slug]
    if r.random() < 0.5:
        road = f"{r.choice(spec.roads)}{r.randint(1, 400)}号"
        return f"{spec.address_prefix}{road}{r.randint(1, 30)}幢{r.randint(1, 18)}0{r.randint(1, 4)}室", False
    town = r.choice(spec.towns)
    if town.endswith("街道"):  # sub-districts have residential communities, not villages
        place = f"{town}{r.choice(_COMMUNITIES)}"
        return f"{spec.address_prefix}{place}{r.randint(1, 40)}幢{r.randint(1, 6)}0{r.randint(1, 4)}室", False
    return f"{spec.address_prefix}{town}{r.choice(_VILLAGES)}{r.randint(1, 15)}组{r.randint(1, 90)}号", True


def person_specs(total: int) -> list[PersonSpec]:
    r = rng("persons")
    stations: dict[str, list[str]] = defaultdict(list)
    for s in station_specs():
        stations[CITY_KEY if s.under_city else s.district].append(s.name)
    keys, weights = list(_CENTER_WEIGHTS), list(_CENTER_WEIGHTS.values())
    urban = ("jingkou", "runzhou", "dantu", "xinqu")
    used: set[tuple[str, dt.date, int]] = set()
    result: list[PersonSpec] = []
    for i in range(total):
        # Person 0 is the demo applicant's own record, registered at the home center's counter.
        center_key = HOME if i == 0 else r.choices(keys, weights=weights)[0]
        slug = r.choice(urban) if center_key == CITY_KEY else center_key
        migrant = i != 0 and r.random() < 0.14
        birth = _birth(r, migrant)
        gender = "M" if r.random() < 0.5 else "F"
        spec = DISTRICT_BY_SLUG[slug]
        registration = spec.address_prefix
        if migrant and r.random() < 0.85:
            code, registration = r.choice(MIGRANT_ORIGINS)
        else:
            codes = spec.id_codes
            # 丹徒县 became 丹徒区 in 2002; cards issued to those born later carry the new code.
            code = r.choice([c for c in codes if c != "321121" or birth.year < 2002])
        while True:
            seq = r.randrange(1 if gender == "M" else 2, 1000, 2)  # odd for men, even for women (GB 11643)
            if (code, birth, seq) not in used:
                used.add((code, birth, seq))
                break
        age = _age(birth)
        address, rural = _address(r, slug)
        phone = "" if age >= 75 and r.random() < 0.3 else mobile(r)  # many very old people give a child's number
        station = r.choice(stations[center_key]) if i != 0 and r.random() < 0.5 else None
        result.append(PersonSpec(
            index=i, center_key=center_key, name=person_name(r, gender, birth.year),
            id_number=idnumber.build(code, birth, seq), phone=phone, address=address,
            household_registration=registration, tags=_tags(r, age, gender, migrant, rural), station=station,
        ))
    return result


@dataclass
class PersonResult:
    created: int = 0
    existing: int = 0
    conflicts: int = 0
    applicant_linked: bool = False


def _registered_hashes(hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), 500):  # stay under every backend's bound-parameter limit
        chunk = hashes[start:start + 500]
        rows = Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", flat=True)
        found.update(h for h in rows if h)
    return found


Clock = Callable[[int, int], dt.datetime]
"""The moment the i-th of n new registrations happened (the demo backdates them to before its case history)."""


def _at(clock: Clock | None, i: int, n: int) -> AbstractContextManager[object]:
    return time_machine.travel(clock(i, n), tick=False) if clock else nullcontext()


def register_persons(specs: list[PersonSpec], users: dict[str, User], stations: dict[str, Station],
                     clock: Clock | None = None) -> PersonResult:
    result = PersonResult()
    hashes = [lookup_hash(s.id_number) for s in specs]
    done = _registered_hashes(hashes)
    todo = [s for s, h in zip(specs, hashes, strict=True) if h not in done]
    result.existing = len(specs) - len(todo)
    clerk = users["demo_clerk"]
    for start in range(0, len(todo), _BATCH):
        with transaction.atomic():
            for i, s in enumerate(todo[start:start + _BATCH], start=start):
                # People who came through the demo clerk's own station are registered by the clerk.
                actor = clerk if s.station == DEMO_CLERK_STATION else users[reviewer_username(s.center_key)]
                try:
                    with _at(clock, i, len(todo)):
                        person_register(
                            actor=actor, name=s.name, id_number=s.id_number, phone=s.phone, address=s.address,
                            household_registration=s.household_registration, tag_codes=s.tags,
                            intake_station=stations[s.station] if s.station and actor is not clerk else None,
                        )
                except Conflict:
                    result.conflicts += 1  # registered meanwhile by someone else: leave their record alone
                else:
                    result.created += 1
    if specs:
        with _at(clock, len(todo), len(todo)):
            result.applicant_linked = _link_applicant(specs[0], users)
    return result


@transaction.atomic
def _link_applicant(first: PersonSpec, users: dict[str, User]) -> bool:
    """Give demo_applicant their own record, through the service that checks and audits the link."""
    applicant = users["demo_applicant"]
    person = Person.objects.filter(id_number_hash=lookup_hash(first.id_number)).first()
    if person is None:
        return False
    if person.account_id == applicant.pk:
        return True
    if person.account_id is not None or Person.objects.filter(account=applicant).exists():
        return False  # linked differently by hand: respect that
    person_link_account(actor=users[reviewer_username(HOME)], public_id=person.public_id, account=applicant)
    return True
