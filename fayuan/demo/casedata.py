"""Words for the demo history: case mix, charges, summaries, parties, organs, reasons and handling notes.

Plain data and small pure helpers, so that ``cases.py`` stays about *when* things happen and this file about *what*
is written. Company, hospital and insurer names are invented from neutral words; any resemblance to a real
organisation is accidental. Organs (courts, procuratorates, police) are the real institutions of each district.
"""

from __future__ import annotations

import random

from .builders import CITY_KEY
from .names import person_name

# --- Case mix --------------------------------------------------------------------------------------------------

# Final status of a case and its share of the history (the whole year: most cases are long finished).
TARGETS: tuple[tuple[str, float], ...] = (
    ("at_station", 1.0), ("received", 2.2), ("supplement_requested", 1.2), ("under_review", 1.0),
    ("aid_first", 0.6), ("granted", 1.4), ("refused", 6.5), ("objection", 0.5), ("assigned", 2.0),
    ("agreement_signed", 2.0), ("in_progress", 17.0), ("closing_submitted", 3.0), ("closed", 8.0),
    ("archived", 44.0), ("withdrawn", 5.6), ("terminated", 3.0),
)

CASE_TYPES: tuple[tuple[str, float], ...] = (
    ("criminal", 35), ("civil", 55), ("administrative", 4), ("state_compensation", 2), ("non_litigation", 4),
)

# Criminal grounds (codes of eligibility.CriminalGround): most are hardship applications (art. 24); the rest are
# the mandatory grounds of art. 25, life or death among them (art. 26: a lawyer with three years of defense).
GROUNDS: tuple[tuple[str, float], ...] = (
    ("none", 56), ("minor", 13), ("blind_deaf_mute", 6), ("mental_incapacity", 6), ("life_or_death", 14),
    ("death_review", 2), ("absentia", 1),
)

CIVIL_MATTERS: tuple[tuple[str, float], ...] = (
    ("wages", 18), ("labour_relation", 6), ("social_insurance", 3), ("work_injury", 8), ("traffic_injury", 10),
    ("medical_injury", 3), ("food_drug_injury", 0.5), ("support_elderly", 7), ("support_child", 6),
    ("support_spouse", 1), ("marriage_family", 14), ("inheritance", 4), ("personal_injury", 4),
    ("land_transfer", 2), ("capacity_declaration", 1.5), ("environmental_damage", 0.5), ("pension", 1),
    ("social_assistance", 1),
)
ADMIN_MATTERS: tuple[tuple[str, float], ...] = (
    ("social_assistance", 4), ("social_insurance", 3), ("work_injury", 3), ("pension", 1),
)
NON_LITIGATION_MATTERS: tuple[tuple[str, float], ...] = (
    ("wages", 5), ("labour_relation", 2), ("marriage_family", 2), ("traffic_injury", 2), ("inheritance", 1),
)

# --- Summaries (案由) ----------------------------------------------------------------------------------------------

CHARGES = {
    "ordinary": ("盗窃罪", "诈骗罪", "故意伤害罪", "危险驾驶罪", "帮助信息网络犯罪活动罪", "寻衅滋事罪", "开设赌场罪",
                 "交通肇事罪", "掩饰、隐瞒犯罪所得罪", "非法吸收公众存款罪", "聚众斗殴罪", "抢夺罪", "非法拘禁罪"),
    "minor": ("盗窃罪", "寻衅滋事罪", "抢劫罪", "聚众斗殴罪", "故意伤害罪", "帮助信息网络犯罪活动罪"),
    "life_or_death": ("故意杀人罪", "抢劫罪（入户抢劫）", "贩卖毒品罪", "故意伤害罪（致人死亡）", "绑架罪",
                      "强奸罪（情节恶劣）"),
    "death_review": ("故意杀人罪", "贩卖、运输毒品罪"),
    "absentia": ("贪污罪", "受贿罪"),
}

MATTER_SUMMARIES = {
    "wages": ("追索劳动报酬纠纷", "拖欠工资纠纷", "追索劳务报酬纠纷"),
    "labour_relation": ("确认劳动关系纠纷", "违法解除劳动合同赔偿金纠纷"),
    "social_insurance": ("社会保险待遇纠纷", "养老保险待遇纠纷"),
    "work_injury": ("工伤保险待遇纠纷", "工伤事故损害赔偿纠纷"),
    "traffic_injury": ("机动车交通事故责任纠纷",),
    "medical_injury": ("医疗损害责任纠纷",),
    "food_drug_injury": ("产品责任纠纷（食品安全）",),
    "support_elderly": ("赡养费纠纷",),
    "support_child": ("抚养费纠纷", "变更抚养关系纠纷"),
    "support_spouse": ("扶养费纠纷",),
    "marriage_family": ("离婚纠纷", "离婚后财产纠纷", "婚姻家庭纠纷（家庭暴力）", "探望权纠纷"),
    "inheritance": ("法定继承纠纷", "遗嘱继承纠纷"),
    "personal_injury": ("生命权、身体权、健康权纠纷", "饲养动物损害责任纠纷"),
    "land_transfer": ("土地承包经营权流转纠纷",),
    "capacity_declaration": ("申请宣告限制民事行为能力",),
    "environmental_damage": ("环境污染责任纠纷",),
    "pension": ("抚恤金给付纠纷",),
    "social_assistance": ("最低生活保障待遇纠纷",),
    "state_compensation": ("刑事赔偿", "行政赔偿"),
}
ADMIN_SUMMARIES = {
    "social_assistance": "不服取消最低生活保障待遇决定",
    "social_insurance": "不服社会保险行政确认",
    "work_injury": "不服不予认定工伤决定",
    "pension": "不服抚恤金核定决定",
}
# Matters outside the catalogue (refused for scope, art. 31).
OUT_OF_SCOPE = ("民间借贷纠纷", "房屋买卖合同纠纷", "物业服务合同纠纷", "买卖合同纠纷", "名誉权纠纷", "股权转让纠纷")

FACTS = {
    "wages": "申请人在{party}务工，被拖欠工资{amount}元，多次催讨未果。",
    "labour_relation": "申请人在{party}工作两年未签订书面劳动合同，被口头辞退，用人单位否认存在劳动关系。",
    "social_insurance": "用人单位未为申请人足额缴纳社会保险费，致其退休后养老金待遇受损。",
    "work_injury": "申请人在{party}工作期间受伤，经鉴定为伤残，用人单位拒绝支付工伤待遇。",
    "traffic_injury": "申请人骑电动车被机动车撞伤，住院治疗，对方及保险公司对赔偿数额有争议。",
    "medical_injury": "申请人家属在医院手术后出现严重并发症，申请人认为医疗机构存在过错。",
    "food_drug_injury": "申请人食用购买的食品后中毒住院，要求经营者赔偿。",
    "support_elderly": "申请人年老体弱，无固定收入，子女{party}长期不支付赡养费。",
    "support_child": "申请人离婚后独自抚养子女，对方{party}未按约定支付抚养费。",
    "support_spouse": "申请人患病丧失劳动能力，配偶{party}拒绝履行扶养义务。",
    "marriage_family": "申请人与{party}感情破裂，要求离婚并分割共同财产。",
    "inheritance": "申请人父母去世后，与{party}就房产继承发生争议。",
    "personal_injury": "申请人被{party}打伤，要求赔偿医疗费、误工费等损失。",
    "land_transfer": "申请人的承包地被村集体流转给他人，未获补偿。",
    "capacity_declaration": "申请人的近亲属患有精神疾病，需申请宣告其为限制民事行为能力人并指定监护人。",
    "environmental_damage": "附近企业排放废水致申请人鱼塘养殖损失。",
    "pension": "申请人系烈士遗属，抚恤金未按标准发放。",
    "social_assistance": "申请人家庭被取消最低生活保障待遇，申请人认为家庭情况未发生变化。",
    "state_compensation": "申请人曾被羁押，后经再审改判无罪，依法申请国家赔偿。",
    "criminal": "犯罪嫌疑人（被告人）{name}{summary}，本人及家属无力委托辩护人。",
    "criminal_mandatory": "犯罪嫌疑人（被告人）{name}{summary}，属于应当通知辩护的情形。",
}

# --- Parties and organs --------------------------------------------------------------------------------------------

_FIRM_WORDS = ("恒达", "金诚", "华盛", "宏远", "鑫源", "永泰", "润丰", "通达", "江海", "锦程", "瑞祥", "万和", "联创",
               "顺发", "天润", "嘉禾")
_TRADES = ("建筑劳务", "机械制造", "物流", "电子科技", "餐饮管理", "服装", "装饰工程", "物业管理", "纺织", "汽车配件",
           "眼镜", "五金工具")
INSURERS = ("中国人民财产保险股份有限公司镇江市分公司", "中国平安财产保险股份有限公司镇江中心支公司",
            "中国太平洋财产保险股份有限公司镇江中心支公司", "中华联合财产保险股份有限公司镇江中心支公司")
_HOSPITAL_WORDS = ("仁和", "康宁", "博爱", "济民", "安康")

# Courts, procuratorates, police and labour arbitration by center (the city center: city-level organs).
COURTS = {
    CITY_KEY: "镇江市中级人民法院", "jingkou": "镇江市京口区人民法院", "runzhou": "镇江市润州区人民法院",
    "dantu": "镇江市丹徒区人民法院", "danyang": "丹阳市人民法院", "yangzhong": "扬中市人民法院",
    "jurong": "句容市人民法院", "xinqu": "镇江经济开发区人民法院",
}
PROCURATORATES = {
    CITY_KEY: "镇江市人民检察院", "jingkou": "镇江市京口区人民检察院", "runzhou": "镇江市润州区人民检察院",
    "dantu": "镇江市丹徒区人民检察院", "danyang": "丹阳市人民检察院", "yangzhong": "扬中市人民检察院",
    "jurong": "句容市人民检察院", "xinqu": "镇江市京口区人民检察院",
}
POLICE = {
    CITY_KEY: "镇江市公安局", "jingkou": "镇江市公安局京口分局", "runzhou": "镇江市公安局润州分局",
    "dantu": "镇江市公安局丹徒分局", "danyang": "丹阳市公安局", "yangzhong": "扬中市公安局", "jurong": "句容市公安局",
    "xinqu": "镇江市公安局新区分局",
}
ARBITRATION = {
    CITY_KEY: "镇江市劳动人事争议仲裁委员会", "jingkou": "镇江市京口区劳动人事争议仲裁委员会",
    "runzhou": "镇江市润州区劳动人事争议仲裁委员会", "dantu": "镇江市丹徒区劳动人事争议仲裁委员会",
    "danyang": "丹阳市劳动人事争议仲裁委员会", "yangzhong": "扬中市劳动人事争议仲裁委员会",
    "jurong": "句容市劳动人事争议仲裁委员会", "xinqu": "镇江新区劳动人事争议仲裁委员会",
}
PLACE = {
    CITY_KEY: "镇江", "jingkou": "镇江", "runzhou": "镇江", "dantu": "镇江", "danyang": "丹阳", "yangzhong": "扬中",
    "jurong": "句容", "xinqu": "镇江",
}
GOVERNMENT = {
    CITY_KEY: "镇江市", "jingkou": "镇江市京口区", "runzhou": "镇江市润州区", "dantu": "镇江市丹徒区",
    "danyang": "丹阳市", "yangzhong": "扬中市", "jurong": "句容市", "xinqu": "镇江新区",
}
LABOUR_MATTERS = frozenset({"wages", "labour_relation", "social_insurance", "work_injury"})
FAMILY_MATTERS = frozenset({"support_elderly", "support_child", "support_spouse", "marriage_family", "inheritance"})


def company(r: random.Random, center_key: str) -> str:
    return f"{PLACE[center_key]}{r.choice(_FIRM_WORDS)}{r.choice(_TRADES)}有限公司"


def opposing_party(r: random.Random, case_type: str, matter: str, center_key: str) -> str:
    if case_type == "criminal" or matter == "capacity_declaration":
        return ""
    if case_type == "administrative":
        if matter == "social_assistance":
            return f"{GOVERNMENT[center_key]}民政局"
        return f"{GOVERNMENT[center_key]}人力资源和社会保障局"
    if case_type == "state_compensation":
        return r.choice((POLICE[center_key], PROCURATORATES[center_key]))
    if matter in LABOUR_MATTERS:
        return company(r, center_key)
    if matter == "traffic_injury":
        return f"{person_name(r, 'M', r.randint(1965, 2000))}、{r.choice(INSURERS)}"
    if matter == "medical_injury":
        return f"{PLACE[center_key]}{r.choice(_HOSPITAL_WORDS)}医院"
    if matter == "food_drug_injury":
        return f"{PLACE[center_key]}{r.choice(_FIRM_WORDS)}超市有限公司"
    if matter in ("land_transfer", "environmental_damage"):
        return company(r, center_key) if matter == "environmental_damage" else f"{GOVERNMENT[center_key]}某村村民委员会"
    if matter in ("pension", "social_assistance"):
        return f"{GOVERNMENT[center_key]}民政局" if matter == "social_assistance" else \
            f"{GOVERNMENT[center_key]}退役军人事务局"
    return person_name(r, r.choice("MF"), r.randint(1950, 2000))


def handling_organ(r: random.Random, case_type: str, matter: str, stage: str, ground: str, center_key: str) -> str:
    if case_type == "criminal":
        if stage == "death_review":
            return "最高人民法院"
        if stage == "investigation":
            return POLICE[center_key]
        if stage == "prosecution_review":
            return PROCURATORATES[center_key]
        # Life or death cases are tried at first instance by the intermediate court.
        return COURTS[CITY_KEY] if ground == "life_or_death" else COURTS[center_key]
    if case_type == "non_litigation":
        return ARBITRATION[center_key] if matter in LABOUR_MATTERS and r.random() < 0.6 else ""
    if case_type == "state_compensation":
        return f"{COURTS[CITY_KEY]}赔偿委员会"
    if matter in LABOUR_MATTERS and matter != "work_injury" and r.random() < 0.5:
        return ARBITRATION[center_key]
    return COURTS[center_key]


# --- Steps: what people write ------------------------------------------------------------------------------------

SUPPLEMENT_ITEMS = ("身份证复印件", "户口簿复印件", "经济困难状况说明表（个人诚信承诺）", "劳动合同或工资欠条等证据",
                    "医疗费票据及病历", "交通事故责任认定书", "离婚协议或法院判决书", "村（居）委会出具的家庭情况证明",
                    "残疾人证复印件", "伤残等级鉴定意见书")
WITHDRAW_REASONS = ("申请人与对方达成和解，申请撤回法律援助申请。", "申请人已自行委托律师，撤回申请。",
                    "申请人表示暂不提起诉讼，撤回申请。", "用人单位已支付拖欠款项，申请人撤回申请。",
                    "申请人外出务工，无法配合办理，撤回申请。")
STATION_WITHDRAW_REASONS = ("申请人到站表示与对方已协商解决，撤回申请。", "申请人家属已为其委托律师，撤回申请。")
GRANT_NOTES = {
    "green": "属于绿色通道情形，免予经济困难审查，优先指派。",
}
OBJECTION_GROUNDS_REFUSAL = (
    "申请人认为家庭人口计算有误，实际共同生活的家庭成员多于申报人数，人均收入不高于当地最低工资标准。",
    "申请人提出其收入系临时性收入，近期已失业，家庭经济困难。",
    "申请人认为所涉纠纷属于法律援助事项范围，请求重新审查。",
)
OBJECTION_GROUNDS_TERMINATION = (
    "受援人认为其并未自行委托律师，终止法律援助的决定事实认定错误。",
    "受援人认为其经济状况并未改善，请求恢复法律援助。",
)
UPHOLD_REASONS = (
    "经审查，法律援助中心认定事实清楚，适用依据正确，程序合法，维持原决定。",
    "经审查，申请人提出的理由缺乏证据支持，维持原决定。",
)
OVERTURN_REASONS = (
    "经审查，申请人补充提交的户籍及收入证明显示其家庭人均收入不高于当地最低工资标准，责令法律援助中心改正，给予法律援助。",
    "经审查，原决定认定事实不清，责令法律援助中心改正。",
)
DECLINE_REASONS = ("本人近期承办案件较多并需赴外地出庭，无法保证办案时间，请求另行指派。",
                   "本人与对方当事人存在亲属关系，依法应当回避。")
CHANGE_REASONS = ("受援人反映承办人员沟通不及时，申请更换承办人员。",
                  "承办人员因身体原因无法继续承办，受援人同意更换。",
                  "受援人与承办人员就代理思路存在较大分歧，申请更换承办人员。")
RETURN_NOTES = ("结案报告未附裁判文书，请补充后重新提交。", "办案进展记录不完整，请补充会见笔录后重新提交。")
AID_FIRST_CONFIRM = "申请人已补齐材料，经审查符合法律援助条件，确认给予法律援助。"

TERMINATIONS: tuple[tuple[str, float, str], ...] = (
    ("own_lawyer", 30, "受援人已自行委托律师担任代理人（辩护人），依法终止法律援助。"),
    ("recipient_request", 22, "受援人以与对方达成和解为由，书面要求终止法律援助。"),
    ("proceedings_ended", 24, "办案机关已撤销案件（对方已撤诉），法律援助事项终止。"),
    ("means_changed", 12, "经核查，受援人家庭经济状况已明显改善，不再符合经济困难条件。"),
    ("concealment", 8, "受援人故意隐瞒与案件有关的重要事实，依法终止法律援助。"),
    ("fraud", 4, "受援人提供虚假经济困难证明骗取法律援助，依法终止并追偿已支付的费用。"),
)
PROVIDER_REPORT = "承办人员报告：已会见受援人并开展前期工作，现出现终止情形，建议终止法律援助。"

PROGRESS = {
    "meeting": ("会见受援人，了解案件事实并告知权利义务。", "约见受援人，核对证据材料，制定代理方案。"),
    "meeting_custody": ("至看守所会见犯罪嫌疑人，告知诉讼权利，听取其辩解。",
                        "会见被告人，核实案件事实，听取其对指控的意见。"),
    "file_reading": ("至检察院（法院）阅卷，复制全部案卷材料。", "查阅案卷，梳理证据，形成阅卷笔录。"),
    "evidence": ("调取劳动考勤记录和工资流水。", "向交警部门调取事故认定材料，委托伤残等级鉴定。",
                 "走访证人，制作调查笔录。"),
    "mediation": ("参加调解，双方就赔偿数额达成初步意向。", "在人民调解委员会主持下调解，对方同意分期履行。"),
    "hearing": ("出庭参加庭审，发表代理（辩护）意见。", "参加开庭审理，围绕争议焦点发表意见并提交书面意见。"),
    "judgment": ("收到判决书，诉讼请求获得支持。", "收到调解书，双方已签收。", "收到判决书，已向受援人送达并释明。"),
    "judgment_criminal": ("收到刑事判决书，辩护意见部分被采纳。", "收到判决书，法院采纳了从轻处罚的辩护意见。"),
    "other_criminal": ("犯罪嫌疑人已被取保候审，侦查阶段辩护工作结束。", "检察院作出不起诉决定。"),
}
CLOSING_REPORTS = {
    "criminal": "本案依法履行辩护职责：会见、阅卷、提交书面辩护意见并出庭辩护，辩护意见{adopted}。",
    "civil": "本案经调查取证、参加庭审（调解），受援人的主要诉求{result}，已向受援人说明结果并送达法律文书。",
    "non_litigation": "经协商调解，双方达成协议，对方已履行（或承诺分期履行）给付义务，法律援助事项办结。",
}
CLOSING_OUTCOMES_CIVIL: tuple[tuple[str, float], ...] = (("won", 40), ("partly", 25), ("mediated", 28), ("lost", 7))
CLOSING_OUTCOMES_CRIMINAL: tuple[tuple[str, float], ...] = (
    ("criminal_adopted", 30), ("criminal_partly", 50), ("criminal_not_adopted", 20),
)
RESULT_WORDS = {"won": "得到支持", "partly": "部分得到支持", "mediated": "通过调解实现", "lost": "未获支持",
                "criminal_adopted": "被采纳", "criminal_partly": "被部分采纳", "criminal_not_adopted": "未被采纳",
                "other": "已依法处理"}
# Money recovered by matter: (low, high) in yuan.
RECOVERED = {
    "wages": (3_000, 80_000), "labour_relation": (8_000, 60_000), "social_insurance": (5_000, 40_000),
    "work_injury": (40_000, 400_000), "traffic_injury": (20_000, 300_000), "medical_injury": (30_000, 200_000),
    "food_drug_injury": (2_000, 20_000), "support_elderly": (6_000, 36_000), "support_child": (10_000, 80_000),
    "support_spouse": (6_000, 24_000), "marriage_family": (10_000, 200_000), "inheritance": (50_000, 400_000),
    "personal_injury": (5_000, 80_000), "land_transfer": (5_000, 50_000), "environmental_damage": (10_000, 80_000),
    "pension": (5_000, 30_000), "social_assistance": (3_000, 15_000), "state_compensation": (20_000, 300_000),
}


def pick(r: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    codes, weights = zip(*table, strict=True)
    return r.choices(codes, weights=weights)[0]

# The collective discussion of a major or difficult case before it closes (quality, issue 12).
DISCUSSION_PARTICIPANTS = "中心主任、分管副主任、两名审查人员、承办律师"
DISCUSSION_OPINIONS = ("承办律师汇报案情和拟定的代理（辩护）方案；与会人员认为证据和法律适用的主要争点已梳理清楚，"
                       "方案可行。")
DISCUSSION_CONCLUSION = "同意承办律师的方案，按期提交结案材料。"
