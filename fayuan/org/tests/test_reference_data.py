"""The reference data the migrations load (org 0003): Zhenjiang's districts with their codes, their population and
the Jiangsu minimum wage, complete on a database that has only been migrated (no demo)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from fayuan.org.models import Center, District, DistrictPopulation, MinimumWage

pytestmark = pytest.mark.django_db

reference = import_module("fayuan.org.migrations.0003_reference_data")

CODES = {"321102": "京口区", "321111": "润州区", "321112": "丹徒区", "321181": "丹阳市", "321182": "扬中市",
         "321183": "句容市", "321171": "镇江新区"}
# shared/DOMAIN.md §3: Zhenjiang is tier 1 throughout.
WAGES = [(dt.date(2018, 8, 1), "2020.00"), (dt.date(2021, 8, 1), "2280.00"), (dt.date(2024, 1, 1), "2490.00"),
         (dt.date(2026, 1, 1), "2660.00")]


def test_the_districts_and_county_level_cities_are_there_with_their_codes() -> None:
    assert dict(District.objects.values_list("code", "name")) == CODES
    assert not Center.objects.exists()  # offices are the bureau's to enter (or the demo's)
    official = set(District.objects.filter(code_is_official=True).values_list("code", flat=True))
    assert official == set(CODES) - {"321171"}  # the New Area has only a statistical code
    kinds = dict(District.objects.values_list("code", "kind"))
    assert {c for c, k in kinds.items() if k == "county_city"} == {"321181", "321182", "321183"}
    assert kinds["321171"] == "functional_area"


def test_every_district_has_population_rows_with_a_source() -> None:
    for district in District.objects.all():
        rows = list(district.populations.all())
        assert rows, district
        assert all(r.population > 0 and r.source for r in rows), district
    census = {d: DistrictPopulation.objects.get(district__code=d, year=2020) for d in CODES}
    # The figures published per district (7th census, 2020).
    assert {d: census[d].population for d in ("321102", "321181", "321183")} == {
        "321102": 355_757, "321181": 988_900, "321183": 639_266}
    assert not any(census[d].is_estimate for d in ("321102", "321181", "321183"))
    # Published only together: the split is an estimate, says so, and adds up to the published total.
    split = [census[d] for d in ("321111", "321112", "321171")]
    assert all(r.is_estimate and "估算" in r.source for r in split)
    assert sum(r.population for r in split) == 850_000
    assert census["321182"].population == 315_900 and census["321182"].is_estimate  # "about 315,900"


def test_every_day_since_the_first_wage_row_is_covered_once_in_every_district() -> None:
    first = MinimumWage.objects.order_by("effective_from").values_list("effective_from", flat=True).first()
    assert first == dt.date(2018, 8, 1)
    for district in District.objects.all():
        rows = list(MinimumWage.objects.filter(district=district).order_by("effective_from"))
        assert rows[0].effective_from == first, district
        # Chained without gap or overlap: each row ends (exclusively) the day the next begins; the last is open.
        for row, following in itertools.pairwise(rows):
            assert row.effective_to == following.effective_from, row
        assert rows[-1].effective_to is None
        assert [(r.effective_from, str(r.monthly_amount)) for r in rows] == WAGES
        assert all(r.tier == "一类" and "江苏省最低工资标准" in r.legal_basis for r in rows)
    assert not MinimumWage.objects.in_force_on(first - dt.timedelta(days=1)).exists()


@pytest.mark.parametrize(("day", "amount"), [
    (dt.date(2018, 8, 1), "2020.00"), (dt.date(2021, 7, 31), "2020.00"), (dt.date(2021, 8, 1), "2280.00"),
    (dt.date(2023, 12, 31), "2280.00"), (dt.date(2024, 1, 1), "2490.00"), (dt.date(2025, 12, 31), "2490.00"),
    (dt.date(2026, 1, 1), "2660.00"), (dt.date(2030, 6, 1), "2660.00"),
])
def test_one_wage_row_is_in_force_per_district_on_any_day(day: dt.date, amount: str) -> None:
    rows = MinimumWage.objects.in_force_on(day)
    assert sorted(rows.values_list("district__code", flat=True)) == sorted(CODES)
    assert set(rows.values_list("monthly_amount", flat=True)) == {Decimal(amount)}


def test_the_migration_brings_rows_of_an_older_demo_up_to_date_and_adds_nothing_twice() -> None:
    """Databases seeded by the old demo hold the same natural keys with other texts: migrating updates them."""
    jingkou = District.objects.get(code="321102")
    MinimumWage.objects.filter(district=jingkou).update(legal_basis="江苏省最低工资标准调整通知（一类地区），旧文本")
    DistrictPopulation.objects.filter(district__code="321111").update(source="按演示口径拆分")
    counts = _counts()
    reference.load(apps, None)
    assert _counts() == counts
    assert all("待核实补充" in basis for basis in
               MinimumWage.objects.filter(district=jingkou).values_list("legal_basis", flat=True))
    assert "估算" in DistrictPopulation.objects.get(district__code="321111").source


def _counts() -> dict[str, Any]:
    return {m.__name__: m.objects.count() for m in (District, DistrictPopulation, MinimumWage)}
