"""The library's rules as data.

- The monthly quota: 1-2 typical cases a month from each district center (2018 work plan, point 20, quoted from
  shared/spec/2018-zhenjiang-legal-aid-work-plan.txt). The reminder day (the 20th) is the city's own default, not the
  plan's: the plan says only "每月底", so the reminder goes out ten days before the month ends.
- The excellent-case rubric: the plan asks for the annual review but gives no rubric; the five items and their
  points are a SAMPLE (示例) the bureau edits in the admin, so their basis is marked pending.

Self-contained: no application code.
"""

import datetime as dt

from django.db import migrations

PLAN = "《2018年全市法律援助工作要点》第二十点"
QUOTA_TEXT = (f"{PLAN}：推动法律援助案例库建设。建立月度案例报送制度，严格按照司法部和省厅要求编撰报送案例。"
              "各市(县)区法律援助中心每月底向市局报送1-2件典型案例。")
REVIEW_TEXT = f"{PLAN}：……继续开展年度法律援助优秀案件评审，加大优秀案件宣传力度。"
CRITERIA = [
    ("typicality", "典型性与难度", "案件类型有代表性，法律关系或事实认定有一定难度", 20),
    ("handling", "办案质量", "证据收集、程序把握、法律文书与庭审表现", 30),
    ("result", "办理效果", "受援人合法权益得到维护的程度", 25),
    ("guidance", "社会效果与指导意义", "对同类案件办理和法治宣传的示范作用", 15),
    ("writing", "案例撰写", "脱敏规范、条理清楚、文字简练", 10),
]


def load(apps, schema_editor):
    Quota = apps.get_model("typical_cases", "MonthlyQuota")
    Quota.objects.update_or_create(effective_from=dt.date(2018, 1, 1), defaults={
        "minimum": 1, "maximum": 2, "remind_from_day": 20, "legal_basis": PLAN, "basis_text": QUOTA_TEXT,
        "basis_status": "confirmed"})
    Criterion = apps.get_model("typical_cases", "ExcellenceCriterion")
    for position, (code, name, description, points) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(code=code, effective_from=dt.date(2018, 1, 1), defaults={
            "name": name, "description": description, "max_points": points, "position": position,
            "legal_basis": f"{PLAN}（评分项目与分值为系统示例，待市局确定）", "basis_text": REVIEW_TEXT,
            "basis_status": "pending"})


class Migration(migrations.Migration):
    dependencies = [("typical_cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
