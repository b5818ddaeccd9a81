"""The peer-review rubric sample (同行评估评分标准（示例）). The national peer-review standard's item weights are
not public (shared/DOMAIN.md §6), so this is an editable 100-point sample, marked as such, with its basis pending
(依据待补); the bureau replaces or edits it in the admin. Self-contained: no application code."""

import datetime as dt

from django.db import migrations

FROM = dt.date(2018, 1, 1)
BASIS = ("示例：法律援助案件质量同行评估的国家标准分值未公开，本样表各项分值与等级分数线为本地示例，"
         "供市局修改（依据待补）")
ITEMS = [
    ("接待与会见", "及时会见或约见受援人，了解案情，告知权利义务与办案风险，记录完整。", 10),
    ("阅卷与调查取证", "全面阅卷，必要的调查取证完整，证据与争议焦点相关。", 15),
    ("法律分析与办案方案", "事实认定清楚，法律适用准确，办案思路与方案合理。", 15),
    ("法律文书质量", "代理词、辩护词、起诉状等观点明确、论证充分、格式规范、引用法律准确。", 20),
    ("出庭、调解或谈判表现", "按时出庭，举证质证、辩论或调解谈判有效维护受援人权益。", 15),
    ("沟通与进展告知", "及时告知受援人案件进展和结果，认真听取受援人意见。", 10),
    ("办案效果", "受援人合法权益得到维护，结果与案情相称。", 10),
    ("案卷规范", "案卷材料齐全，装订归档规范，办结及时。", 5),
]


def load(apps, schema_editor):
    Rubric = apps.get_model("quality", "Rubric")
    rubric, _ = Rubric.objects.update_or_create(
        purpose="peer_review", sample=True, effective_from=FROM,
        defaults={"name": "同行评估评分标准（示例）", "excellent_from": 90, "good_from": 75, "pass_from": 60,
                  "legal_basis": BASIS})
    Item = apps.get_model("quality", "RubricItem")
    if not Item.objects.filter(rubric=rubric).exists():
        for order, (title, guidance, points) in enumerate(ITEMS, start=1):
            Item.objects.create(rubric=rubric, order=order, title=title, guidance=guidance, max_points=points)


class Migration(migrations.Migration):
    dependencies = [("quality", "0003_peer_review")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
