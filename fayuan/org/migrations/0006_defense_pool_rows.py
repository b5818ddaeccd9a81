"""The admission criteria of the criminal-defense pool as dated rows, and the former yes/no mark carried over.

Only the lawyer requirement rests on a statute text held in this system (Legal Aid Law art. 25, quoted); the other
thresholds are the city's own defaults (本地做法) for the pool the 2018 work plan sets up (point 3), which the bureau
may end and replace. Providers marked as pool members before this migration become members from the day they took
up criminal defense (or 2018-01-01), with a note that the criteria were not checked one by one.
Self-contained: no application code."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

FROM = dt.date(2018, 1, 1)
PLAN = "2018年镇江市法律援助工作计划第三点“建立刑事辩护法律援助律师库”；国家层面依据待补"
ROWS = [
    ("lawyer", None, False,
     "《法律援助法》第二十五条：刑事案件的犯罪嫌疑人、被告人属于下列人员之一，没有委托辩护人的，"
     "人民法院、人民检察院、公安机关应当通知法律援助机构指派律师担任辩护人"),
    ("min_criminal_years", 1, True, f"本市默认：从事刑事辩护满一年（{PLAN}）"),
    ("min_training_hours", 12, True, f"本市默认：近一年参加刑事辩护业务培训不少于十二学时（{PLAN}）"),
    ("no_recent_sanction", 3, True, f"本市默认：近三年内未受过行业处分或行政处罚（{PLAN}）"),
]
CARRIED = "由原“刑事辩护律师库成员”标记转入，未逐项审查入库条件"


def load(apps, schema_editor):
    Criterion = apps.get_model("org", "DefensePoolCriterion")
    for code, threshold, local, basis in ROWS:
        Criterion.objects.update_or_create(code=code, effective_from=FROM, defaults={
            "threshold": threshold, "legal_basis": basis, "local_default": local})
    Member = apps.get_model("org", "DefensePoolMember")
    Provider = apps.get_model("org", "Provider")
    today = timezone.localdate()
    for provider in Provider.objects.filter(criminal_pool=True):
        if Member.objects.filter(provider=provider, left_on__isnull=True).exists():
            continue
        since = max(provider.criminal_defense_since or FROM, FROM)
        Member.objects.create(provider=provider, admitted_on=min(since, today), criteria_check=CARRIED)


class Migration(migrations.Migration):
    dependencies = [("org", "0005_defense_pool")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
