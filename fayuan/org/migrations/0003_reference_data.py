"""Reference data for production: Zhenjiang's districts and county-level cities, their permanent population and the
Jiangsu minimum wage (the means-test standard), so that a database without the demo can take an application the
day it is installed. Everything here is editable in the admin; the bureau keeps it current.

Sources (the project's domain guide, shared/DOMAIN.md §3, §4, §6):
- codes: GB/T 2260 administrative division codes for the six districts and county-level cities. 镇江新区 is a
  functional area with no code of its own; 321171 is its statistical code (统计用区划代码), stored with
  ``code_is_official=False``.
- population: the 7th national census (2020). Runzhou, Dantu and the New Area are published only together (about
  850,000); the split below is an estimate made for this system, marked as such in each row, to be replaced by the
  bureau with the statistics office's figures.
- minimum wage: Jiangsu tier 1 (all of Zhenjiang): 2020 yuan from 2018-08-01, 2280 from 2021-08-01, 2490 from
  2024-01-01, 2660 from 2026-01-01. The provincial notices' document numbers are not in the sources: each row says
  so, for the bureau to complete.

Rows are keyed on their natural keys (district code; district and year; district and start date) and written with
update_or_create, so a database seeded by an older demo (which created the same rows) migrates cleanly. Reversing
leaves the rows in place: they may be referenced by centers and cases, and removing rule data is never wanted.
Self-contained on purpose: a migration must not depend on application code that may change later.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

# (code, name, kind, code is a GB/T 2260 code, sort order)
DISTRICTS = [
    ("321102", "京口区", "district", True, 1),
    ("321111", "润州区", "district", True, 2),
    ("321112", "丹徒区", "district", True, 3),
    ("321181", "丹阳市", "county_city", True, 4),
    ("321182", "扬中市", "county_city", True, 5),
    ("321183", "句容市", "county_city", True, 6),
    ("321171", "镇江新区", "functional_area", False, 7),
]

CENSUS = "第七次全国人口普查（2020）"
SPLIT = ("估算：第七次全国人口普查（2020）润州区、丹徒区、镇江新区合计约85万人，未分区公布；"
         "分区数为本系统按合计数拆分的估算值，请以统计部门公布数替换")
CENSUS_YEAR = 2020
# code: (permanent population, is an estimate, source)
POPULATION = {
    "321102": (355_757, False, CENSUS),
    "321111": (320_000, True, SPLIT),
    "321112": (310_000, True, SPLIT),
    "321181": (988_900, False, CENSUS),
    "321182": (315_900, True, f"{CENSUS}，约数"),
    "321183": (639_266, False, CENSUS),
    "321171": (220_000, True, SPLIT),
}

WAGE_TIER = "一类"
# Jiangsu's tier-1 monthly minimum wage; each row ends the day the next begins, the last stays open.
WAGES = [
    (dt.date(2018, 8, 1), Decimal("2020.00")),
    (dt.date(2021, 8, 1), Decimal("2280.00")),
    (dt.date(2024, 1, 1), Decimal("2490.00")),
    (dt.date(2026, 1, 1), Decimal("2660.00")),
]


def wage_basis(start):
    return (f"江苏省最低工资标准（一类地区），{start.year}年{start.month}月{start.day}日起执行"
            "（省人民政府调整通知文号未录入，待核实补充）")


def load(apps, schema_editor):
    District = apps.get_model("org", "District")
    DistrictPopulation = apps.get_model("org", "DistrictPopulation")
    MinimumWage = apps.get_model("org", "MinimumWage")
    for code, name, kind, official, order in DISTRICTS:
        district, _ = District.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "code_is_official": official, "sort_order": order},
        )
        population, estimate, source = POPULATION[code]
        DistrictPopulation.objects.update_or_create(
            district=district, year=CENSUS_YEAR,
            defaults={"population": population, "is_estimate": estimate, "source": source},
        )
        for i, (start, amount) in enumerate(WAGES):
            end = WAGES[i + 1][0] if i + 1 < len(WAGES) else None
            MinimumWage.objects.update_or_create(
                district=district, effective_from=start,
                defaults={"effective_to": end, "monthly_amount": amount, "tier": WAGE_TIER,
                          "legal_basis": wage_basis(start)},
            )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_center_seat_district")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
