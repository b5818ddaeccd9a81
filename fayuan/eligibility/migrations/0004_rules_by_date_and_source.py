"""The eligibility rows reviewed against the texts the system holds (issue 8; issue 7 item 3).

- Every row says which text and article it rests on; ``basis_text`` quotes only the statutes in spec/law (the 2021
  Legal Aid Law, the 2003 Regulation, the 2018 Criminal Procedure Law, the 2020 police rules, the 2021 SPC
  interpretation) and the 2018 work plan. Rows resting on a text the system does not hold (the Jiangsu legal aid
  regulation in its 2024 or earlier versions, the 2012 Criminal Procedure Law, the city's 2016 notice on
  supplementary matters, the laws that fix the ages of minors and elderly people) quote nothing and are marked
  ``pending`` for the bureau to complete in the admin.
- Criminal grounds have a history of dated rows with the text in force at each date (2003 Regulation art. 12,
  Criminal Procedure Law 2012 and 2018, SPC interpretation 2021, Legal Aid Law 2021), instead of starting in 2022.
- The green channel keeps only the plan's named groups, each with its conditions and its two effects; the old
  ``special_groups`` row (every elderly person, minor, disabled person and military family member, whatever their
  income) is removed: it never was the plan's rule. The provincial regulation's special groups are entered by the
  bureau from the text in force.
- Art. 42(2) exempts 优抚对象, not every military family member: the exemption row is ``entitled_group``.
- The Jiangsu regulation revised in 2024 (in force 2025-01-01): new matters, the minimum wage as the hardship
  standard, groups not limited to the catalogue; rows built from the bureau's summary, marked pending.
- The ages (minor, elderly) and the matter-to-specialty map are dated rows, not constants in code.
"""

import datetime as dt

from django.db import migrations

REG = dt.date(2003, 9, 1)       # 法律援助条例第三十一条：自2003年9月1日起施行
CPL2012 = dt.date(2013, 1, 1)   # 刑事诉讼法2012年修正施行
CPL2018 = dt.date(2018, 10, 26)  # 刑事诉讼法2018年修正（公布之日起施行）
PLAN = dt.date(2018, 1, 1)      # 2018年全市法律援助工作要点（全年）
SPC2021 = dt.date(2021, 3, 1)   # 最高人民法院刑诉法解释：2021年3月1日施行
LAW = dt.date(2022, 1, 1)       # 法律援助法第七十一条：自2022年1月1日起施行
JS2025 = dt.date(2025, 1, 1)    # 江苏省法律援助条例（2024年修订）施行

CONFIRMED, PENDING = "confirmed", "pending"

LAL = "《法律援助法》"
REG_T = "《法律援助条例》"
CPL = "《刑事诉讼法》"
SPC = "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》"
PLAN_T = "《2018年全市法律援助工作要点》"

L31_HEAD = "下列事项的当事人，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
L31_ITEMS = {
    "一": "（一）依法请求国家赔偿；",
    "二": "（二）请求给予社会保险待遇或者社会救助；",
    "三": "（三）请求发给抚恤金；",
    "四": "（四）请求给付赡养费、抚养费、扶养费；",
    "五": "（五）请求确认劳动关系或者支付劳动报酬；",
    "六": "（六）请求认定公民无民事行为能力或者限制民事行为能力；",
    "七": "（七）请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿；",
    "八": "（八）请求环境污染、生态破坏损害赔偿；",
}
R10_HEAD = "公民对下列需要代理的事项，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
R10_ITEMS = {
    "一": "（一）依法请求国家赔偿的；",
    "二": "（二）请求给予社会保险待遇或者最低生活保障待遇的；",
    "三": "（三）请求发给抚恤金、救济金的；",
    "四": "（四）请求给付赡养费、抚养费、扶养费的；",
    "五": "（五）请求支付劳动报酬的；",
    "六": "（六）主张因见义勇为行为产生的民事权益的。",
}
JS_OLD = ("江苏省法律援助条例（2022年前施行的版本，依《法律援助条例》第十条第二款所作补充规定；"
          "条文序号及原文未收入本系统，待市局核对）")
JS_NEW = "江苏省法律援助条例（2024年修订，2025年1月1日起施行；条文序号及原文未收入本系统，待市局核对）"

# code, name, law item, regulation item (None: only Jiangsu's regulation covered it before 2022), specialty
MATTERS = [
    ("state_compensation", "依法请求国家赔偿", "一", "一", "state_compensation"),
    ("social_insurance", "请求给予社会保险待遇", "二", "二", "labour"),
    ("social_assistance", "请求给予社会救助（最低生活保障等）", "二", "二", "administrative"),
    ("pension", "请求发给抚恤金", "三", "三", "administrative"),
    ("support_elderly", "请求给付赡养费", "四", "四", "elderly"),
    ("support_child", "请求给付抚养费", "四", "四", "marriage_family"),
    ("support_spouse", "请求给付扶养费", "四", "四", "marriage_family"),
    ("labour_relation", "请求确认劳动关系", "五", None, "labour"),
    ("wages", "请求支付劳动报酬", "五", "五", "labour"),
    ("capacity_declaration", "请求认定公民无民事行为能力或者限制民事行为能力", "六", None, "elderly"),
    ("work_injury", "请求工伤事故人身损害赔偿", "七", None, "work_injury"),
    ("traffic_injury", "请求交通事故人身损害赔偿", "七", None, "traffic"),
    ("food_drug_injury", "请求食品药品安全事故人身损害赔偿", "七", None, "medical"),
    ("medical_injury", "请求医疗事故人身损害赔偿", "七", None, "medical"),
    ("environmental_damage", "请求环境污染、生态破坏损害赔偿", "八", None, "administrative"),
]
SUPPLEMENTARY_SPECIALTY = {"marriage_family": "marriage_family", "inheritance": "marriage_family",
                           "land_transfer": "land", "personal_injury": "traffic"}
SUPPLEMENTARY_BASIS = ("镇江市人民政府办公室《关于进一步扩大法律援助事项范围的通知》（2016年）（原文未收入本系统，"
                       "事项清单及生效日期待市局核对）；参见2018年全市法律援助工作要点第四点")
PLAN4 = (f"{PLAN_T}第四点：在认真贯彻执行2016年市政府办公室下发的《关于进一步扩大法律援助事项范围的通知》基础上，"
         "……进一步增加法律援助补充事项，将本市经济困难标准调整至最低工资标准。")

# The Jiangsu regulation revised in 2024: matters built from the bureau's summary (DOMAIN §3), article pending.
JS_MATTERS = [
    ("school_bullying", "未成年人因学生欺凌主张相关权益", "juvenile"),
    ("crop_damage", "农作物、养殖产品受到损害请求赔偿", "land"),
    ("expropriation_harm", "征地拆迁中合法权益受到严重损害", "land"),
]

R12_2 = ("被告人是盲、聋、哑人或者未成年人而没有委托辩护人的，或者被告人可能被判处死刑而没有委托辩护人的，"
         "人民法院为被告人指定辩护时，法律援助机构应当提供法律援助，无须对被告人进行经济状况的审查。")
CPL35_2 = ("犯罪嫌疑人、被告人是盲、聋、哑人，或者是尚未完全丧失辨认或者控制自己行为能力的精神病人，没有委托辩护人的，"
           "人民法院、人民检察院和公安机关应当通知法律援助机构指派律师为其提供辩护。")
CPL35_3 = ("犯罪嫌疑人、被告人可能被判处无期徒刑、死刑，没有委托辩护人的，人民法院、人民检察院和公安机关应当通知"
           "法律援助机构指派律师为其提供辩护。")
CPL278 = f"{CPL}第二百七十八条：未成年犯罪嫌疑人、被告人没有委托辩护人的，人民法院、人民检察院、公安机关应当通知法律援助机构指派律师为其提供辩护。"
SPC564 = (f"{SPC}第五百六十四条：审判时不满十八周岁的未成年被告人没有委托辩护人的，人民法院应当通知法律援助机构指派"
          "熟悉未成年人身心特点的律师为其提供辩护。")
L25 = ("刑事案件的犯罪嫌疑人、被告人属于下列人员之一，没有委托辩护人的，人民法院、人民检察院、公安机关应当通知"
       "法律援助机构指派律师担任辩护人：")
L26 = (f"{LAL}第二十六条：对可能被判处无期徒刑、死刑的人，以及死刑复核案件的被告人，法律援助机构收到人民法院、"
       "人民检察院、公安机关通知后，应当指派具有三年以上相关执业经历的律师担任辩护人。")
CPL2012_PENDING = "《刑事诉讼法》（2012年修正）{}（原文未收入本系统，待市局核对）"
SPC564_BASIS = "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释第五百六十四条"
TRIAL = ["trial"]

# code, effective_from, effective_to, name, mandatory, stages, applies_to_groups, senior, minor specialist,
# legal basis, basis text, status
GROUNDS = [
    # Minors: the 2003 Regulation (at trial, when the court appoints), CPL 2012 art. 267, CPL 2018 art. 278; from
    # 2021-03-01 the SPC interpretation asks for a lawyer familiar with minors; from 2022 Legal Aid Law art. 25.
    ("minor", REG, CPL2012, "未成年被告人（审判阶段，人民法院指定辩护）", True, TRIAL, ["minor"], False, False,
     "法律援助条例第十二条第二款", f"{REG_T}第十二条：{R12_2}", CONFIRMED),
    ("minor", CPL2012, CPL2018, "未成年犯罪嫌疑人、被告人", True, [], ["minor"], False, False,
     CPL2012_PENDING.format("第二百六十七条"), "", PENDING),
    ("minor", CPL2018, SPC2021, "未成年犯罪嫌疑人、被告人", True, [], ["minor"], False, False,
     "刑事诉讼法第二百七十八条", CPL278, CONFIRMED),
    ("minor", SPC2021, LAW, "未成年犯罪嫌疑人、被告人", True, [], ["minor"], False, True,
     f"刑事诉讼法第二百七十八条；{SPC564_BASIS}", f"{CPL278}\n{SPC564}", CONFIRMED),
    ("minor", LAW, None, "未成年人", True, [], ["minor"], False, True,
     f"法律援助法第二十五条第一款第一项；{SPC564_BASIS}", f"{LAL}第二十五条：{L25}……（一）未成年人；\n{SPC564}",
     CONFIRMED),
    # Blind, deaf or mute persons.
    ("blind_deaf_mute", REG, CPL2012, "盲、聋、哑被告人（审判阶段，人民法院指定辩护）", True, TRIAL,
     ["blind_deaf_mute"], False, False, "法律援助条例第十二条第二款", f"{REG_T}第十二条：{R12_2}", CONFIRMED),
    ("blind_deaf_mute", CPL2012, CPL2018, "盲、聋、哑犯罪嫌疑人、被告人", True, [], ["blind_deaf_mute"], False, False,
     CPL2012_PENDING.format("第三十四条第二款"), "", PENDING),
    ("blind_deaf_mute", CPL2018, LAW, "盲、聋、哑犯罪嫌疑人、被告人", True, [], ["blind_deaf_mute"], False, False,
     "刑事诉讼法第三十五条第二款", f"{CPL}第三十五条：{CPL35_2}", CONFIRMED),
    ("blind_deaf_mute", LAW, None, "视力、听力、言语残疾人", True, [], ["blind_deaf_mute"], False, False,
     "法律援助法第二十五条第一款第二项", f"{LAL}第二十五条：{L25}……（二）视力、听力、言语残疾人；", CONFIRMED),
    # Persons who may not fully understand or control their conduct (not in the 2003 Regulation).
    ("mental_incapacity", CPL2012, CPL2018, "尚未完全丧失辨认或者控制自己行为能力的精神病人", True, [],
     ["mental_incapacity"], False, False, CPL2012_PENDING.format("第三十四条第二款"), "", PENDING),
    ("mental_incapacity", CPL2018, LAW, "尚未完全丧失辨认或者控制自己行为能力的精神病人", True, [],
     ["mental_incapacity"], False, False, "刑事诉讼法第三十五条第二款", f"{CPL}第三十五条：{CPL35_2}", CONFIRMED),
    ("mental_incapacity", LAW, None, "不能完全辨认自己行为的成年人", True, [], ["mental_incapacity"], False, False,
     "法律援助法第二十五条第一款第三项", f"{LAL}第二十五条：{L25}……（三）不能完全辨认自己行为的成年人；", CONFIRMED),
    # Possible life imprisonment or death (the 2003 Regulation: death only, at trial). The three-year rule is the
    # 2021 law's (art. 26).
    ("life_or_death", REG, CPL2012, "可能被判处死刑的被告人（审判阶段，人民法院指定辩护）", True, TRIAL, [], False,
     False, "法律援助条例第十二条第二款", f"{REG_T}第十二条：{R12_2}", CONFIRMED),
    ("life_or_death", CPL2012, CPL2018, "可能被判处无期徒刑、死刑的人", True, [], [], False, False,
     CPL2012_PENDING.format("第三十四条第三款"), "", PENDING),
    ("life_or_death", CPL2018, LAW, "可能被判处无期徒刑、死刑的人", True, [], [], False, False,
     "刑事诉讼法第三十五条第三款", f"{CPL}第三十五条：{CPL35_3}", CONFIRMED),
    ("life_or_death", LAW, None, "可能被判处无期徒刑、死刑的人", True, [], [], True, False,
     "法律援助法第二十五条第一款第四项、第二十六条",
     f"{LAL}第二十五条：{L25}……（四）可能被判处无期徒刑、死刑的人；\n{L26}", CONFIRMED),
    ("death_review", LAW, None, "申请法律援助的死刑复核案件被告人", True, [], [], True, False,
     "法律援助法第二十五条第一款第五项、第二十六条",
     f"{LAL}第二十五条：{L25}……（五）申请法律援助的死刑复核案件被告人；\n{L26}", CONFIRMED),
    ("absentia", CPL2018, LAW, "缺席审判案件的被告人", True, TRIAL, [], False, False, "刑事诉讼法第二百九十三条",
     f"{CPL}第二百九十三条：被告人及其近亲属没有委托辩护人的，人民法院应当通知法律援助机构指派律师为其提供辩护。",
     CONFIRMED),
    ("absentia", LAW, None, "缺席审判案件的被告人", True, [], [], False, False, "法律援助法第二十五条第一款第六项",
     f"{LAL}第二十五条：{L25}……（六）缺席审判案件的被告人；", CONFIRMED),
    # Hardship applications.
    ("none", REG, CPL2018, "因经济困难没有委托辩护人（申请）", False, [], [], False, False,
     "法律援助条例第十一条第一项、第十二条第一款",
     f"{REG_T}第十一条：刑事诉讼中有下列情形之一的，公民可以向法律援助机构申请法律援助：（一）犯罪嫌疑人在被侦查机关"
     "第一次讯问后或者采取强制措施之日起，因经济困难没有聘请律师的；\n"
     f"{REG_T}第十二条：公诉人出庭公诉的案件，被告人因经济困难或者其他原因没有委托辩护人，人民法院为被告人指定辩护时，"
     "法律援助机构应当提供法律援助。", CONFIRMED),
    ("none", CPL2018, LAW, "因经济困难没有委托辩护人（申请）", False, [], [], False, False,
     "刑事诉讼法第三十五条第一款",
     f"{CPL}第三十五条：犯罪嫌疑人、被告人因经济困难或者其他原因没有委托辩护人的，本人及其近亲属可以向法律援助机构"
     "提出申请。", CONFIRMED),
    ("none", LAW, None, "因经济困难没有委托辩护人（申请）", False, [], [], False, False, "法律援助法第二十四条",
     f"{LAL}第二十四条：刑事案件的犯罪嫌疑人、被告人因经济困难或者其他原因没有委托辩护人的，本人及其近亲属可以向"
     "法律援助机构申请法律援助。", CONFIRMED),
]

L42_HEAD = "法律援助申请人有材料证明属于下列人员之一的，免予核查经济困难状况："
L42_1 = f"{LAL}第四十二条：{L42_HEAD}（一）无固定生活来源的未成年人、老年人、残疾人等特定群体；"
L42_2 = f"{LAL}第四十二条：{L42_HEAD}……（二）社会救助、司法救助或者优抚对象；"
L42_3 = f"{LAL}第四十二条：{L42_HEAD}……（三）申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员；"
EXEMPTIONS = [
    # code, name, matters, requires_groups, basis, text
    ("minor", "无固定生活来源的未成年人", [], ["no_fixed_income"], "法律援助法第四十二条第一项", L42_1),
    ("elderly", "无固定生活来源的老年人", [], ["no_fixed_income"], "法律援助法第四十二条第一项", L42_1),
    ("disabled", "无固定生活来源的残疾人", [], ["no_fixed_income"], "法律援助法第四十二条第一项", L42_1),
    ("low_income_allowance", "最低生活保障对象（社会救助）", [], [], "法律援助法第四十二条第二项", L42_2),
    ("extreme_poverty", "特困供养人员（社会救助）", [], [], "法律援助法第四十二条第二项", L42_2),
    ("judicial_assistance", "司法救助对象", [], [], "法律援助法第四十二条第二项", L42_2),
    ("entitled_group", "优抚对象", [], [], "法律援助法第四十二条第二项", L42_2),
    ("migrant_worker", "申请支付劳动报酬或者请求工伤赔偿的进城务工人员", ["wages", "work_injury"], [],
     "法律援助法第四十二条第三项", L42_3),
]

L32_HEAD = "有下列情形之一，当事人申请法律援助的，不受经济困难条件的限制："
L44_HEAD = "法律援助机构收到法律援助申请后，发现有下列情形之一的，可以决定先行提供法律援助："
FACTS = [
    # code, effect, basis, text
    ("martyr_honour", "no_means_test", "法律援助法第三十二条第一项",
     f"{LAL}第三十二条：{L32_HEAD}（一）英雄烈士近亲属为维护英雄烈士的人格权益；"),
    ("brave_act", "no_means_test", "法律援助法第三十二条第二项",
     f"{LAL}第三十二条：{L32_HEAD}……（二）因见义勇为行为主张相关民事权益；"),
    ("retrial_acquittal_compensation", "no_means_test", "法律援助法第三十二条第三项",
     f"{LAL}第三十二条：{L32_HEAD}……（三）再审改判无罪请求国家赔偿；"),
    ("domestic_violence", "no_means_test", "法律援助法第三十二条第四项",
     f"{LAL}第三十二条：{L32_HEAD}……（四）遭受虐待、遗弃或者家庭暴力的受害人主张相关权益；"),
    ("limitation_within_7_days", "aid_first", "法律援助法第四十四条第一款第一项",
     f"{LAL}第四十四条：{L44_HEAD}（一）距法定时效或者期限届满不足七日，需要及时提起诉讼或者申请仲裁、行政复议；"),
    ("urgent_preservation", "aid_first", "法律援助法第四十四条第一款第二项",
     f"{LAL}第四十四条：{L44_HEAD}……（二）需要立即申请财产保全、证据保全或者先予执行；"),
]

PLAN14 = (f"{PLAN_T}第十四点：继续开通法律援助“绿色通道”，对省条例第十四条规定的特殊人群以及申请支付劳动报酬、工伤赔偿的"
          "农民工，要求赡养的75岁以上老年人，婚姻家庭关系中人身权遭受严重侵犯的弱势群体免除经济困难审查，并快速受理、指派、"
          "办理。")
PLAN14_BASIS = "2018年全市法律援助工作要点第十四点（继续开通法律援助“绿色通道”）"
GREEN = [
    # code, name, groups, facts, matters, min_age
    ("migrant_wages", "申请支付劳动报酬、工伤赔偿的农民工", ["migrant_worker"], [], ["wages", "work_injury"], None),
    ("elderly_support", "要求赡养的七十五周岁以上老年人", [], [], ["support_elderly"], 75),
    ("family_rights", "婚姻家庭关系中人身权遭受严重侵犯的弱势群体", [], ["serious_family_rights_violation"], [], None),
]

AGES = [
    ("minor_below", "未成年人", 18,
     "《中华人民共和国未成年人保护法》关于未成年人年龄的规定（以十八周岁为界；条文原文未收入本系统，待市局核对）"),
    ("elderly_from", "老年人", 60,
     "《中华人民共和国老年人权益保障法》关于老年人年龄的规定（以六十周岁为界；条文原文未收入本系统，待市局核对）"),
]

MEANS = [
    # from, to, basis, text
    (REG, LAW, "法律援助条例第十三条；江苏省人民政府规定的经济困难标准（当地月最低工资标准；原文未收入本系统，待市局核对）",
     f"{REG_T}第十三条：本条例所称公民经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展状况和法律援助"
     "事业的需要规定。"),
    (LAW, JS2025, "法律援助法第三十四条；江苏省人民政府确定的经济困难标准（当地月最低工资标准；原文未收入本系统，待市局核对）",
     f"{LAL}第三十四条：经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展状况和法律援助工作需要确定，"
     "并实行动态调整。"),
    (JS2025, None, f"法律援助法第三十四条；{JS_NEW}：以当地月最低工资标准为经济困难标准",
     f"{LAL}第三十四条：经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展状况和法律援助工作需要确定，"
     "并实行动态调整。"),
]

OPEN_SCOPE = [
    # The 2024 regulation frees six special groups from the catalogue; the bureau's summary names two of them.
    ("low_income", "低收入人口", ["low_income"]),
    ("orphan", "孤儿", ["orphan"]),
]


def _put(model, keys, values):
    model.objects.update_or_create(**keys, defaults=values)


def load(apps, schema_editor):
    Matter = apps.get_model("eligibility", "Matter")
    for order, (code, name, law_item, reg_item, specialty) in enumerate(MATTERS):
        _put(Matter, {"code": code, "effective_from": LAW}, {
            "name": name, "sort_order": order, "specialty": specialty, "effective_to": None,
            "legal_basis": f"法律援助法第三十一条第{law_item}项", "basis_status": CONFIRMED,
            "basis_text": f"{LAL}第三十一条：{L31_HEAD}" + ("" if law_item == "一" else "……") + L31_ITEMS[law_item]})
        if reg_item:
            values = {"legal_basis": f"法律援助条例第十条第一款第{reg_item}项", "basis_status": CONFIRMED,
                      "basis_text": f"{REG_T}第十条：{R10_HEAD}" + ("" if reg_item == "一" else "……")
                      + R10_ITEMS[reg_item]}
        else:
            values = {"legal_basis": JS_OLD, "basis_status": PENDING, "basis_text": ""}
        _put(Matter, {"code": code, "effective_from": REG}, {
            "name": name, "effective_to": LAW, "sort_order": order, "specialty": specialty, **values})
    # Brave acts were a catalogue matter before 2022 (2003 Regulation art. 10(1)(6)); since then an art. 32 fact.
    _put(Matter, {"code": "brave_act", "effective_from": REG}, {
        "name": "主张因见义勇为行为产生的民事权益", "effective_to": LAW, "sort_order": 50, "specialty": "",
        "legal_basis": "法律援助条例第十条第一款第六项", "basis_status": CONFIRMED,
        "basis_text": f"{REG_T}第十条：{R10_HEAD}……{R10_ITEMS['六']}"})
    for code, specialty in SUPPLEMENTARY_SPECIALTY.items():
        Matter.objects.filter(code=code, effective_from=PLAN).update(
            specialty=specialty, legal_basis=SUPPLEMENTARY_BASIS, basis_text=PLAN4, basis_status=PENDING)
    for order, (code, name, specialty) in enumerate(JS_MATTERS, start=200):
        _put(Matter, {"code": code, "effective_from": JS2025}, {
            "name": name, "sort_order": order, "specialty": specialty, "legal_basis": JS_NEW, "basis_text": "",
            "basis_status": PENDING})

    Ground = apps.get_model("eligibility", "CriminalGround")
    for code, since, until, name, mandatory, stages, groups, senior, minor, basis, text, status in GROUNDS:
        _put(Ground, {"code": code, "effective_from": since}, {
            "effective_to": until, "name": name, "mandatory": mandatory, "stages": stages,
            "applies_to_groups": groups, "requires_senior_defender": senior, "requires_minor_specialist": minor,
            "legal_basis": basis, "basis_text": text, "basis_status": status, "specialty": "criminal"})

    Exemption = apps.get_model("eligibility", "ExemptionGroup")
    # Art. 42(2) names 优抚对象; a row keyed on every military family member was wider than the law.
    Exemption.objects.filter(code="military_family", effective_from=LAW).delete()
    for code, name, matters, requires, basis, text in EXEMPTIONS:
        _put(Exemption, {"code": code, "effective_from": LAW}, {
            "name": name, "matters": matters, "requires_groups": requires, "legal_basis": basis,
            "basis_text": text, "basis_status": CONFIRMED})

    Fact = apps.get_model("eligibility", "FactRule")
    for code, effect, basis, text in FACTS:
        Fact.objects.filter(code=code, effect=effect, effective_from=LAW).update(
            legal_basis=basis, basis_text=text, basis_status=CONFIRMED)

    Green = apps.get_model("eligibility", "GreenChannelRule")
    Green.objects.filter(code="special_groups").delete()
    for code, name, groups, facts, matters, min_age in GREEN:
        _put(Green, {"code": code, "effective_from": PLAN}, {
            "name": name, "groups": groups, "facts": facts, "matters": matters, "min_age": min_age,
            "waives_means_test": True, "fast_track": True, "legal_basis": PLAN14_BASIS, "basis_text": PLAN14,
            "basis_status": CONFIRMED})

    Age = apps.get_model("eligibility", "AgeRule")
    for code, name, age, basis in AGES:
        _put(Age, {"code": code, "effective_from": REG}, {
            "name": name, "age": age, "legal_basis": basis, "basis_text": "", "basis_status": PENDING})

    Means = apps.get_model("eligibility", "MeansStandard")
    for since, until, basis, text in MEANS:
        _put(Means, {"code": "minimum_wage", "effective_from": since}, {
            "effective_to": until, "name": "家庭人均月收入不高于当地月最低工资标准", "legal_basis": basis,
            "basis_text": text, "basis_status": PENDING})

    Open = apps.get_model("eligibility", "OpenScopeGroup")
    for code, name, groups in OPEN_SCOPE:
        _put(Open, {"code": code, "effective_from": JS2025}, {
            "name": name, "groups": groups,
            "legal_basis": f"{JS_NEW}：六类特殊群体申请法律援助不受事项范围限制（其余四类待市局按原文补录）",
            "basis_text": "", "basis_status": PENDING})


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0003_rule_sources")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
