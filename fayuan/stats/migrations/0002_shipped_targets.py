"""The work plan's targets (2018 Zhenjiang legal aid work plan, points 8 and 17), quoted from the plan's text held in
this system. They stay in force until the bureau dates them out."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PLAN = "《2018年镇江市法律援助工作计划》"
TARGETS = [
    dict(code="aid_rate_per_10k", value=Decimal("10"), legal_basis=f"{PLAN}第八点",
         basis_text=f"{PLAN}第八点：……努力确保全市及各辖市区都能完成常住人口每万人获得援助率达万分之十以上的目标任务……"),
    dict(code="qualified_staff_percent", value=Decimal("40"), legal_basis=f"{PLAN}第十七点",
         basis_text=f"{PLAN}第十七点：……今年内机构人员中具有法律职业(律师)资格的人员比例达40%以上。"),
    dict(code="certified_staff_cases", value=Decimal("2"), legal_basis=f"{PLAN}第十七点",
         basis_text=f"{PLAN}第十七点：……积极支持领取法律援助工作证和公职律师证的人员办理法律援助案件,"
                    "每年每人至少办理2件援助案件。"),
]


def ship(apps, schema_editor):
    Target = apps.get_model("stats", "Target")
    for row in TARGETS:
        Target.objects.update_or_create(code=row["code"], effective_from=dt.date(2018, 1, 1),
                                        defaults={**row, "basis_status": "confirmed"})


def unship(apps, schema_editor):
    apps.get_model("stats", "Target").objects.filter(effective_from=dt.date(2018, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_rollups_and_targets")]
    operations = [migrations.RunPython(ship, unship)]
