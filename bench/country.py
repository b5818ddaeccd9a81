"""``python -m bench grow --centers N``: grow the country, not one city.

Without it the grower puts every case into the demo city's eight centers and their two dozen providers each. At ten
million cases that gave a center 448,693 open cases over 24 providers, about 18,700 each against a capacity of 8,
and the case page's ranking (``rank_for_case``) spent 47 of its 84 ms counting them (docs/capacity.md). No real
center looks like that: the country's ~1.4 million cases a year go to about 3,000 centers, and a center has as many
lawyers on its rota as its cases need.

With ``--centers N`` the database holds N centers:
- the demo city's centers, each as busy as ``BUSY`` average centers (a big city's: the staff pages measured there
  are those of a busy center, not of an average one);
- ``N - 8`` sample centers, each in a district of its own with a population (the per-10,000-residents figures need
  one), one clerk (the grower's receiving account) and a size drawn once from a log-normal distribution (a county
  center and a provincial capital's differ about tenfold) and kept with the center, so that a second grow spreads
  its cases as the first did;
- at every center as many providers as its open cases need for each to hold ``OPEN_PER_PROVIDER`` on average, half
  the default capacity.
Everything made here is named as sample data (样本) and is never made outside a bench database.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from typing import Any

BUSY = 5.0  # a demo center's share of the cases, in average centers
OPEN_PER_PROVIDER = 4  # open cases per provider on average (the default capacity is 8)
SIZE_SIGMA = 0.8  # log-normal spread of the sample centers' sizes: the 95th percentile is ~14x the 5th
MEAN_POPULATION = 470_000  # 1.4 billion residents over ~3,000 centers
SAMPLE = "样本"
# Province-level prefixes of the national division codes (GB/T 2260) for the sample districts' codes.
PROVINCES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65)


def sample_center_name(i: int) -> str:
    return f"{SAMPLE}{i:04d}区法律援助中心"


def size_of(name: str) -> float:
    """A sample center's size in average centers: drawn from its name, so the same center always weighs the same."""
    r = random.Random(name)  # noqa: S311 (synthetic data)
    return math.exp(r.gauss(0.0, SIZE_SIGMA) - SIZE_SIGMA ** 2 / 2)  # mean 1


def build(centers: int, *, verbose: bool = True) -> int:
    """Add sample centers (with their district, population and clerk) until the database has ``centers``; returns
    how many were added. Existing centers are left as they are."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from fayuan.accounts.models import User
    from fayuan.core.rulecache import rules_changed
    from fayuan.org.models import Center, District, DistrictPopulation

    have = Center.objects.count()
    missing = centers - have
    if missing <= 0:
        return 0
    taken_codes = set(District.objects.values_list("code", flat=True))
    first = Center.objects.filter(name__startswith=SAMPLE).count() + 1
    year = dt.datetime.now(tz=dt.UTC).year
    codes = (f"{p:02d}{c:02d}{d:02d}" for c in range(1, 100) for d in range(1, 100) for p in PROVINCES)
    unusable = make_password(None)
    with transaction.atomic():
        districts, populations, new_centers, clerks = [], [], [], []
        for i in range(first, first + missing):
            code = next(c for c in codes if c not in taken_codes)
            name = sample_center_name(i)
            district = District(code=code, name=f"{SAMPLE}{i:04d}区", kind="district", code_is_official=False,
                                sort_order=1000)
            districts.append(district)
            new_centers.append(Center(name=name, doc_prefix=f"样{i:04d}援", level="district", district=district,
                                      address=f"{SAMPLE}{i:04d}区（合成数据）"))
            populations.append(DistrictPopulation(district=district, year=year, is_estimate=True,
                                                  population=round(MEAN_POPULATION * size_of(name)),
                                                  source="合成数据（bench grow --centers）"))
        District.objects.bulk_create(districts)
        for center, district in zip(new_centers, districts, strict=True):
            center.district_id = district.pk
        Center.objects.bulk_create(new_centers)
        for population in populations:
            population.district_id = population.district.pk
        DistrictPopulation.objects.bulk_create(populations)
        for center in new_centers:
            clerks.append(User(username=f"sample-clerk-{center.doc_prefix[1:5]}", role="center_reviewer",
                               center_id=center.pk, password=unusable, first_name="样本受理员"))
        User.objects.bulk_create(clerks)
        rules_changed()  # bulk writes send no signal: a running server's cached district and center lists go stale
    if verbose:
        print(f"  新增 {missing} 个样本中心（共 {centers} 个）", flush=True)
    return missing


def weights(demo_people: Mapping[int, float], center_ids: list[int], names: Mapping[int, str]) -> dict[int, float]:
    """Each center's share of the cases (and people), in average centers: a demo center weighs ``BUSY`` times its
    part of the demo city's people; a sample center its own size."""
    demo = [c for c in center_ids if not names[c].startswith(SAMPLE)]
    demo_total = sum(demo_people.get(c, 0) for c in demo) or 1
    out = {c: BUSY * len(demo) * demo_people.get(c, 0) / demo_total for c in demo}
    out.update({c: size_of(names[c]) for c in center_ids if names[c].startswith(SAMPLE)})
    return out


def staff_providers(open_cases: Mapping[int, float], *, seed: int, verbose: bool = True) -> int:
    """Add sample providers where a center's active providers would hold more than ``OPEN_PER_PROVIDER`` of its
    expected open cases each; returns how many were added."""
    from fayuan.org.models import Provider

    have: dict[int, int] = {}
    for center_id in Provider.objects.filter(active=True).values_list("home_center_id", flat=True):
        have[center_id] = have.get(center_id, 0) + 1
    r = random.Random(seed)  # noqa: S311 (synthetic data)
    today = dt.datetime.now(tz=dt.UTC).date()
    rows: list[Any] = []
    from .grow import GIVEN, SURNAMES

    for center_id, expected in sorted(open_cases.items()):
        needed = math.ceil(expected / OPEN_PER_PROVIDER) - have.get(center_id, 0)
        for _ in range(max(0, needed)):
            since = today - dt.timedelta(days=r.randrange(365, 25 * 365))
            criminal = r.random() < 0.5
            rows.append(Provider(
                name=f"{r.choice(SURNAMES)}{r.choice(GIVEN)}{r.choice(GIVEN)}", kind="lawyer", home_center_id=center_id,
                license_number=f"{SAMPLE}{r.randrange(10 ** 12):012d}", practice_since=since,
                criminal_defense_since=since if criminal else None, criminal_pool=criminal,
                gender=r.choice("MF")))
    Provider.objects.bulk_create(rows, batch_size=5000)
    if verbose and rows:
        print(f"  新增 {len(rows)} 名样本承办人员（每人平均在办 ≤ {OPEN_PER_PROVIDER} 件）", flush=True)
    return len(rows)
