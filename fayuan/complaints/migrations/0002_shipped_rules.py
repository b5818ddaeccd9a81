"""The rule rows complaints ship (issue 12 part 7), each with the words it rests on.

- Deadlines on the deadlines app's clocks: handling a complaint (``complaint_received`` → ``complaint_decided``) and
  telling the complainant the result (``complaint_decided`` → ``complainant_informed``). Art. 56 says the bureau
  handles it "依照有关规定" and tells the complainant "及时"; the rules that fix the days are not held here, so the
  lengths are the city's defaults and the rows are pending (依据待补).
- The repeated-complaint flag: 3 complaints in 12 months still being handled or found (partly) substantiated. The
  figures are the city's own; art. 56's complaint system is the basis, the numbers pending.
Keyed on natural keys with ``update_or_create``; the reverse is a no-op (rows may be referenced)."""

import datetime as dt

from django.db import migrations

LAW_2021 = dt.date(2022, 1, 1)
LAL = "《法律援助法》"
A55 = (f"{LAL}第五十五条：受援人有权向法律援助机构、法律援助人员了解法律援助事项办理情况；法律援助机构、法律援助人员未依法"
       "履行职责的，受援人可以向司法行政部门投诉，并可以请求法律援助机构更换法律援助人员。")
A56 = (f"{LAL}第五十六条：司法行政部门应当建立法律援助工作投诉查处制度；接到投诉后，应当依照有关规定受理和调查处理，"
       "并及时向投诉人告知处理结果。")
PENDING = "pending"

DEADLINES = [
    dict(code="handle-complaint", name="收到投诉后45日内调查处理", start_event="complaint_received",
         stop_events=["complaint_decided"], length=45, day_kind="calendar", responsible_role="bureau_supervisor",
         effective_from=LAW_2021, basis_status=PENDING, basis_text=f"{A55}\n{A56}",
         legal_basis="法律援助法第五十五条、第五十六条；处理期限（45日）为本市默认值，所依据的“有关规定”原文未收入本系统，依据待补"),
    dict(code="inform-complainant", name="作出处理后5日内告知投诉人", start_event="complaint_decided",
         stop_events=["complainant_informed"], length=5, day_kind="calendar", responsible_role="bureau_supervisor",
         effective_from=LAW_2021, basis_status=PENDING, basis_text=A56,
         legal_basis="法律援助法第五十六条（“及时向投诉人告知处理结果”）；5日为本市默认值，依据待补"),
]

REPEAT = dict(effective_from=LAW_2021, threshold=3, window_months=12, basis_status=PENDING, basis_text=A56,
              legal_basis="法律援助法第五十六条（投诉查处制度）；提示标准（12个月内3件）为本市做法，依据待补")


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for row in DEADLINES:
        row = dict(row)
        DeadlineRule.objects.update_or_create(code=row.pop("code"), effective_from=row.pop("effective_from"),
                                              defaults=row)
    RepeatRule = apps.get_model("complaints", "RepeatRule")
    row = dict(REPEAT)
    RepeatRule.objects.update_or_create(effective_from=row.pop("effective_from"), defaults=row)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("deadlines", "0006_queue_next_due")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
