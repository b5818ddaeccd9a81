"""Data for full defense coverage (刑事案件律师辩护全覆盖, plan point 3).

- Existing notices: their center is their case's; the old flag "simplified or fast-track" becomes the procedure
  (the flag did not say which of the two, so a flagged notice is recorded as simplified).
- The switches of the demo city: one row per district for the trial stage and one for the prosecution-review
  stage (since 2022). The dates are the city's own default (本地做法): the pilot documents named in the 2018 work
  plan and the 2022 implementing opinions are not held in this system, so their articles are pending (依据待补)
  and the bureau corrects each district's dates in the admin.

Self-contained: no application code.
"""

import datetime as dt

from django.db import migrations

DISTRICT_CODES = ("321102", "321111", "321112", "321181", "321182", "321183", "321171")
SWITCHES = [
    ("trial", dt.date(2018, 1, 1),
     "本市默认：审判阶段全覆盖（试点文件：省高院、省司法厅《关于开展刑事案件律师辩护全覆盖试点工作的实施意见》"
     "及市局、市中院通知，原文依据待补）；法律援助法第二十五条第二款（普通程序）、第三十条（值班律师法律帮助）"),
    ("prosecution_review", dt.date(2022, 1, 1),
     "本市默认：审查起诉阶段全覆盖（自2022年起；实施意见原文依据待补）；法律援助法第三十条（值班律师法律帮助）"),
]


def load(apps, schema_editor):
    Notice = apps.get_model("criminal", "Notice")
    for notice in Notice.objects.filter(center__isnull=True).select_related("case"):
        notice.center_id = notice.case.center_id
        notice.procedure = "simplified" if notice.simplified_procedure else "ordinary"
        notice.save(update_fields=["center", "procedure"])
    District = apps.get_model("org", "District")
    Switch = apps.get_model("criminal", "CoverageSwitch")
    for district in District.objects.filter(code__in=DISTRICT_CODES):
        for stage, start, basis in SWITCHES:
            Switch.objects.update_or_create(district=district, stage=stage, effective_from=start, defaults={
                "legal_basis": basis, "local_default": True})


class Migration(migrations.Migration):
    dependencies = [("criminal", "0002_coverage_switch_and_routes"), ("org", "0003_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
