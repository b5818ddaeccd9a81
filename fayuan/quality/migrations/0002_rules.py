"""The quality rules as dated rows. No text held in this system fixes which cases are major or difficult, the file
inspection rubric or the combination weights (the national quality standards and the province's peer-review
standard are not held), so every row is the city's own default (本地做法) with its basis pending (依据待补), which
the bureau corrects in the admin. Art. 59 of the Legal Aid Law (held) names the four tools combined at closing.
Self-contained: no application code."""

import datetime as dt

from django.db import migrations

FROM = dt.date(2018, 1, 1)
PENDING = "重大疑难案件认定标准：依据待补"
CRITERIA = [
    # code, name, grade, match_on, values, basis
    ("life_or_death", "可能被判处无期徒刑、死刑的案件", "major", "criminal_ground", ["life_or_death"],
     f"{PENDING}（情形见《法律援助法》第二十五条第一款第四项）"),
    ("death_review", "死刑复核案件", "major", "criminal_stage", ["death_review"],
     f"{PENDING}（情形见《法律援助法》第二十五条第一款第五项）"),
    ("minor_defendant", "未成年犯罪嫌疑人、被告人的案件", "difficult", "criminal_ground", ["minor"],
     f"{PENDING}（情形见《法律援助法》第二十五条第一款第一项）"),
    ("minor_applicant", "受援人为未成年人的案件", "difficult", "group", ["minor"], PENDING),
    ("group_dispute", "群体性纠纷案件", "major", "manual", [], PENDING),
    ("public_attention", "社会关注度高、可能引发舆情的案件", "major", "manual", [], PENDING),
    ("complex_law", "案情复杂或法律适用有较大争议的案件", "difficult", "manual", [], PENDING),
]
RUBRIC_ITEMS = [
    ("受理、审查与指派手续完备", "申请、审查、决定和指派文书齐全，时限符合规定。", 10),
    ("委托协议签订及时规范", "指派后及时签订委托协议，内容完整。", 10),
    ("会见、约见受援人", "会见或约见记录完整，及时告知案件进展。", 15),
    ("阅卷与调查取证", "阅卷笔录、调查取证材料完整，与案件争点相关。", 15),
    ("法律文书质量", "代理词、辩护词等文书观点明确、论证充分、引用法律准确。", 20),
    ("出庭与办案进展记录", "按时出庭，办案进展记录及时完整。", 10),
    ("结案材料", "结案材料齐全，承办情况报告规范。", 10),
    ("办结与归档", "办结及时，案卷装订归档规范。", 10),
]
SCRIPT = ("您好，我是法律援助中心的工作人员，就您的法律援助案件做一次回访，大约占用您两分钟。\n"
          "1. 承办人员是否及时与您联系，并告知案件进展和结果？\n"
          "2. 承办人员是否向您收取过费用或财物？\n"
          "3. 您对承办人员的服务是满意、基本满意还是不满意？\n"
          "4. 您对法律援助工作还有什么意见和建议？\n"
          "感谢您的配合。")


def load(apps, schema_editor):
    Criterion = apps.get_model("quality", "GradingCriterion")
    for code, name, grade, match_on, values, basis in CRITERIA:
        Criterion.objects.update_or_create(code=code, effective_from=FROM, defaults={
            "name": name, "grade": grade, "match_on": match_on, "match_values": values, "legal_basis": basis,
            "basis_status": "pending", "local_default": True})
    Rubric = apps.get_model("quality", "Rubric")
    rubric, _ = Rubric.objects.update_or_create(
        purpose="file_inspection", sample=True, effective_from=FROM,
        defaults={"name": "案卷检查评分标准（示例）", "excellent_from": 90, "good_from": 75, "pass_from": 60,
                  "legal_basis": "示例：案卷质量评估的国家标准分值未收入本系统，本样表供市局修改（依据待补）"})
    Item = apps.get_model("quality", "RubricItem")
    if not Item.objects.filter(rubric=rubric).exists():
        for order, (title, guidance, points) in enumerate(RUBRIC_ITEMS, start=1):
            Item.objects.create(rubric=rubric, order=order, title=title, guidance=guidance, max_points=points)
    Combination = apps.get_model("quality", "CombinationRule")
    Combination.objects.update_or_create(effective_from=FROM, defaults={
        "weight_rating": 20, "weight_inspection": 50, "weight_organ": 15, "weight_attendance": 15,
        "excellent_from": 90, "good_from": 75, "pass_from": 60, "local_default": True,
        "legal_basis": "《法律援助法》第五十九条（庭审旁听、案卷检查、征询司法机关意见、回访受援人）；"
                       "各项权重与等级分数线为本地默认值，依据待补"})
    FollowUp = apps.get_model("quality", "FollowUpRule")
    FollowUp.objects.update_or_create(center=None, effective_from=FROM, defaults={
        "rate": 30, "script": SCRIPT, "local_default": True,
        "legal_basis": "《法律援助法》第五十九条（回访受援人）；回访比例为本地默认值，依据待补"})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
