"""The station network's reach as data.

- The targets: 15 minutes in town, 30 in the countryside (2018 work plan, point 14, quoted from
  shared/spec/2018-zhenjiang-legal-aid-work-plan.txt). No national or provincial text the project holds sets a
  reach in minutes (the Legal Aid Law art. 13 only lets centers set up stations "就近受理"), so the plan is the basis.
- The travel assumptions are the city's own estimate, not law (依据待补): in town 15 km/h door to door (walking to a
  bus, the ride, walking on; an e-bike does about the same), in the countryside 30 km/h by road (bus or e-bike on
  county roads); roads are taken as 1.3 times the straight line. So 15 minutes in town reach 2.9 km as the crow
  flies, 30 minutes in the countryside 11.5 km.

Self-contained: no application code.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PLAN = "《2018年全市法律援助工作要点》第十四点"
PLAN_TEXT = (f"{PLAN}：……依托镇(街道)公共法律服务中心、村(社区)司法行政服务站,做实镇(街道)工作站和村(社区)联系点工作,"
             "进一步构建覆盖全面、功能完备的工作网络,真正实现“城市一刻钟、农村半小时”法律援助服务圈。")
ASSUMPTION = "本市测算假设：直线距离×绕行系数÷平均速度（依据待补）"
START = dt.date(2018, 1, 1)


def load(apps, schema_editor):
    Target = apps.get_model("places", "ReachTarget")
    for setting, minutes in (("urban", 15), ("rural", 30)):
        Target.objects.update_or_create(setting=setting, effective_from=START, defaults={
            "minutes": minutes, "legal_basis": PLAN, "basis_text": PLAN_TEXT, "basis_status": "confirmed"})
    Travel = apps.get_model("places", "TravelAssumption")
    for setting, speed in (("urban", Decimal("15.0")), ("rural", Decimal("30.0"))):
        Travel.objects.update_or_create(setting=setting, effective_from=START, defaults={
            "speed_kmh": speed, "detour_factor": Decimal("1.30"), "legal_basis": ASSUMPTION, "basis_text": "",
            "basis_status": "pending"})


class Migration(migrations.Migration):
    dependencies = [("places", "0002_reach_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
