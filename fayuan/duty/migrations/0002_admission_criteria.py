"""The admission criteria for duty pools as dated rows. No statute text held in this system fixes them (the 2017
opinion of the two high courts and three ministries and the 2020 duty lawyer measures are not held), so each row is
the city's own default (本地做法), which the bureau may end and replace. Self-contained: no application code."""

import datetime as dt

from django.db import migrations

FROM = dt.date(2018, 1, 1)
ROWS = [
    ("min_years_practice", 2, "本市默认：执业满二年（国家层面依据待补）"),
    ("assessment_passed", None, "本市默认：经中心入库考核通过（国家层面依据待补）"),
    ("no_sanctions", None, "本市默认：未受过行业处分或行政处罚（国家层面依据待补）"),
]


def load(apps, schema_editor):
    Criterion = apps.get_model("duty", "AdmissionCriterion")
    for code, years, basis in ROWS:
        Criterion.objects.update_or_create(code=code, effective_from=FROM, defaults={
            "min_years": years, "legal_basis": basis, "local_default": True})


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
