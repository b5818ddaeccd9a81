"""The statutory rule rows: Legal Aid Law 2021 (in force 2022-01-01), the 2003 Regulation before it, and the
city's supplementary matters and green channel from the 2018 work plan. All editable in the admin."""

import datetime as dt

from django.db import migrations

LAW = dt.date(2022, 1, 1)          # 法律援助法施行
REG = dt.date(2003, 9, 1)          # 法律援助条例施行
PLAN = dt.date(2018, 1, 1)         # 2018年镇江市法律援助工作要点
L31 = "法律援助法第三十一条第{}项"
R10 = "法律援助条例第十条第一款第{}项"
JS = "江苏省法律援助条例（省人民政府依法律援助条例第十条第二款所作补充规定）"

# (code, name, law item, regulation item or None when only Jiangsu's regulation covered it before 2022)
MATTERS = [
    ("state_compensation", "依法请求国家赔偿", "一", "一"),
    ("social_insurance", "请求给予社会保险待遇", "二", "二"),
    ("social_assistance", "请求给予社会救助（最低生活保障等）", "二", "二"),
    ("pension", "请求发给抚恤金", "三", "三"),
    ("support_elderly", "请求给付赡养费", "四", "四"),
    ("support_child", "请求给付抚养费", "四", "四"),
    ("support_spouse", "请求给付扶养费", "四", "四"),
    ("labour_relation", "请求确认劳动关系", "五", None),
    ("wages", "请求支付劳动报酬", "五", "五"),
    ("capacity_declaration", "请求认定公民无民事行为能力或者限制民事行为能力", "六", None),
    ("work_injury", "请求工伤事故人身损害赔偿", "七", None),
    ("traffic_injury", "请求交通事故人身损害赔偿", "七", None),
    ("food_drug_injury", "请求食品药品安全事故人身损害赔偿", "七", None),
    ("medical_injury", "请求医疗事故人身损害赔偿", "七", None),
    ("environmental_damage", "请求环境污染、生态破坏损害赔偿", "八", None),
]
SUPPLEMENTARY = [
    ("marriage_family", "婚姻家庭纠纷"),
    ("inheritance", "继承纠纷"),
    ("land_transfer", "土地承包经营权流转纠纷"),
    ("personal_injury", "其他人身损害赔偿"),
]
PLAN_BASIS = "2018年镇江市法律援助工作要点第四点（扩大法律援助覆盖面，本市补充事项）"

GROUNDS = [
    # code, name, mandatory, senior defender (art. 26), minor specialist, basis
    ("minor", "未成年人", True, False, True, "法律援助法第二十五条第一款第一项"),
    ("blind_deaf_mute", "视力、听力、言语残疾人", True, False, False, "法律援助法第二十五条第一款第二项"),
    ("mental_incapacity", "不能完全辨认自己行为的成年人", True, False, False, "法律援助法第二十五条第一款第三项"),
    ("life_or_death", "可能被判处无期徒刑、死刑的人", True, True, False,
     "法律援助法第二十五条第一款第四项、第二十六条"),
    ("death_review", "申请法律援助的死刑复核案件被告人", True, True, False,
     "法律援助法第二十五条第一款第五项、第二十六条"),
    ("absentia", "缺席审判案件的被告人", True, False, False, "法律援助法第二十五条第一款第六项"),
    ("none", "因经济困难没有委托辩护人（申请）", False, False, False, "法律援助法第二十四条"),
]

EXEMPTIONS = [
    # code, name, matters, requires_groups, basis
    ("minor", "无固定生活来源的未成年人", [], ["no_fixed_income"], "法律援助法第四十二条第一项"),
    ("elderly", "无固定生活来源的老年人", [], ["no_fixed_income"], "法律援助法第四十二条第一项"),
    ("disabled", "无固定生活来源的残疾人", [], ["no_fixed_income"], "法律援助法第四十二条第一项"),
    ("low_income_allowance", "最低生活保障对象（社会救助）", [], [], "法律援助法第四十二条第二项"),
    ("extreme_poverty", "特困供养人员（社会救助）", [], [], "法律援助法第四十二条第二项"),
    ("judicial_assistance", "司法救助对象", [], [], "法律援助法第四十二条第二项"),
    ("military_family", "优抚对象", [], [], "法律援助法第四十二条第二项"),
    ("migrant_worker", "申请支付劳动报酬或者请求工伤赔偿的进城务工人员", ["wages", "work_injury"], [],
     "法律援助法第四十二条第三项"),
]

FACTS = [
    ("martyr_honour", "英雄烈士近亲属为维护英雄烈士的人格权益", "no_means_test", "法律援助法第三十二条第一项"),
    ("brave_act", "因见义勇为行为主张相关民事权益", "no_means_test", "法律援助法第三十二条第二项"),
    ("retrial_acquittal_compensation", "再审改判无罪请求国家赔偿", "no_means_test", "法律援助法第三十二条第三项"),
    ("domestic_violence", "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益", "no_means_test",
     "法律援助法第三十二条第四项"),
    ("limitation_within_7_days", "距法定时效或者期限届满不足七日", "aid_first", "法律援助法第四十四条第一款第一项"),
    ("urgent_preservation", "需要立即申请财产保全、证据保全或者先予执行", "aid_first",
     "法律援助法第四十四条第一款第二项"),
]

GREEN_BASIS = "2018年镇江市法律援助工作要点第十四点（开辟绿色通道）"
GREEN = [
    # code, name, groups, facts, matters, min_age
    ("special_groups", "老年人、残疾人、未成年人、军人军属等特殊群体",
     ["elderly", "disabled", "minor", "military_family"], [], [], None),
    ("migrant_wages", "农民工讨薪、工伤赔偿", ["migrant_worker"], [], ["wages", "work_injury"], None),
    ("elderly_support", "七十五周岁以上老年人追索赡养费", [], [], ["support_elderly"], 75),
    ("family_rights", "婚姻家庭中人身权利受到严重侵害的受害人", [], ["serious_family_rights_violation"], [], None),
]


def load(apps, schema_editor):
    Matter = apps.get_model("eligibility", "Matter")
    for order, (code, name, law_item, reg_item) in enumerate(MATTERS):
        Matter.objects.update_or_create(code=code, effective_from=LAW, defaults={
            "name": name, "legal_basis": L31.format(law_item), "sort_order": order})
        Matter.objects.update_or_create(code=code, effective_from=REG, defaults={
            "name": name, "effective_to": LAW, "sort_order": order,
            "legal_basis": R10.format(reg_item) if reg_item else JS})
    for order, (code, name) in enumerate(SUPPLEMENTARY, start=100):
        Matter.objects.update_or_create(code=code, effective_from=PLAN, defaults={
            "name": name, "legal_basis": PLAN_BASIS, "is_supplementary": True, "sort_order": order})

    Ground = apps.get_model("eligibility", "CriminalGround")
    for code, name, mandatory, senior, minor, basis in GROUNDS:
        Ground.objects.update_or_create(code=code, effective_from=LAW, defaults={
            "name": name, "mandatory": mandatory, "requires_senior_defender": senior,
            "requires_minor_specialist": minor, "legal_basis": basis})

    Exemption = apps.get_model("eligibility", "ExemptionGroup")
    for code, name, matters, requires, basis in EXEMPTIONS:
        Exemption.objects.update_or_create(code=code, effective_from=LAW, defaults={
            "name": name, "matters": matters, "requires_groups": requires, "legal_basis": basis})

    Fact = apps.get_model("eligibility", "FactRule")
    for code, name, effect, basis in FACTS:
        Fact.objects.update_or_create(code=code, effect=effect, effective_from=LAW, defaults={
            "name": name, "legal_basis": basis})

    Green = apps.get_model("eligibility", "GreenChannelRule")
    for code, name, groups, facts, matters, min_age in GREEN:
        Green.objects.update_or_create(code=code, effective_from=PLAN, defaults={
            "name": name, "groups": groups, "facts": facts, "matters": matters, "min_age": min_age,
            "legal_basis": GREEN_BASIS})


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
