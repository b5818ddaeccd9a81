"""Deadline rules reviewed against the statute texts (issue 8 items 2, 3, 11).

- Forwarding a detained person's application is a 24-hour clock from instant to instant (Legal Aid Law art. 39;
  police rules art. 47; before 2022 Regulation art. 15), not one calendar day.
- The decision periods stop while a supplement request is open and resume with the days left when the materials
  arrive (the Ministry of Justice's procedure rules: the time to supplement is not counted; text not held, so the
  rows that rest on it are marked pending). The supplement period has a row before 2022 too (Regulation art. 18),
  so the automatic withdrawal always follows a rule.
- Quotations move to ``basis_text``, word for word (the closing-file row quoted art. 50 with words missing); a
  period whose length is the city's own choice, or rests on a text not held, is marked pending.
"""

import datetime as dt

from django.db import migrations

LAW_2021 = dt.date(2022, 1, 1)
REG_2003 = dt.date(2003, 9, 1)
LAL, REG, POLICE = "《法律援助法》", "《法律援助条例》", "《公安机关办理刑事案件程序规定》"
PLAN = "《2018年全市法律援助工作要点》"
CONFIRMED, PENDING = "confirmed", "pending"
MOJ = "司法部《办理法律援助案件程序规定》：申请人补充材料、作出说明所需的时间不计入审查期限（原文未收入本系统，条文序号待市局核对）"
LOCAL = "期限长度为本市默认值，待市局确认"
PLAN14 = (f"{PLAN}第十四点：继续开通法律援助“绿色通道”，对省条例第十四条规定的特殊人群以及申请支付劳动报酬、工伤赔偿的农民工，"
          "要求赡养的75岁以上老年人，婚姻家庭关系中人身权遭受严重侵犯的弱势群体免除经济困难审查，并快速受理、指派、办理。")
L43_1 = f"{LAL}第四十三条：法律援助机构应当自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定。"
L43_2 = (f"{LAL}第四十三条：申请人提交的申请材料不齐全的，法律援助机构应当一次性告知申请人需要补充的材料或者要求申请人"
         "作出说明。申请人未按要求补充材料或者作出说明的，视为撤回申请。")
SUPPLEMENT = ["supplement_requested"], ["supplement_received"]

# (code, effective_from): changed fields
ROWS = {
    ("decide-application", LAW_2021): dict(
        pause_events=SUPPLEMENT[0], resume_events=SUPPLEMENT[1], basis_status=PENDING,
        legal_basis=f"法律援助法第四十三条第一款；{MOJ}", basis_text=L43_1),
    ("assign-provider", LAW_2021): dict(
        basis_status=CONFIRMED, legal_basis="法律援助法第四十三条第一款",
        basis_text=f"{LAL}第四十三条：决定给予法律援助的，应当自作出决定之日起三日内指派法律援助人员为受援人提供法律援助"),
    ("sign-agreement", LAW_2021): dict(
        basis_status=PENDING,
        legal_basis=f"本市法律援助办案流程：接受指派之日起五日内签订委托协议（{LOCAL}）；参见法律援助法第四十六条第一款",
        basis_text=f"{LAL}第四十六条：法律援助人员接受指派后，无正当理由不得拒绝、拖延或者终止提供法律援助服务。"),
    ("decide-objection", LAW_2021): dict(
        basis_status=CONFIRMED, legal_basis="法律援助法第四十九条第二款",
        basis_text=f"{LAL}第四十九条：司法行政部门应当自收到异议之日起五日内进行审查，作出维持法律援助机构决定或者责令"
                   "法律援助机构改正的决定。"),
    ("decide-objection", REG_2003): dict(
        basis_status=CONFIRMED, legal_basis="法律援助条例第十九条",
        basis_text=f"{REG}第十九条：司法行政部门应当在收到异议之日起5个工作日内进行审查"),
    ("supplement-materials", LAW_2021): dict(
        basis_status=PENDING,
        legal_basis=f"法律援助法第四十三条第二款；补充期限（15日）法律未作规定，{LOCAL}",
        basis_text=L43_2),
    ("forward-custody-application", LAW_2021): dict(
        length=24, day_kind="hours", basis_status=CONFIRMED,
        name="在押人员的申请24小时内转交法律援助机构",
        legal_basis="法律援助法第三十九条第一款；公安机关办理刑事案件程序规定第四十七条（以小时计算，不因节假日延长）",
        basis_text=f"{LAL}第三十九条：被羁押的犯罪嫌疑人、被告人、服刑人员，以及强制隔离戒毒人员等提出法律援助申请的，"
                   "办案机关、监管场所应当在二十四小时内将申请转交法律援助机构。\n"
                   f"{POLICE}第四十七条：公安机关收到在押的犯罪嫌疑人提出的法律援助申请后，应当在二十四小时以内将其申请"
                   "转交所在地的法律援助机构"),
    ("forward-custody-application", REG_2003): dict(
        length=24, day_kind="hours", basis_status=CONFIRMED,
        name="在押人员的申请24小时内转交（2003年条例）",
        legal_basis="法律援助条例第十五条（以小时计算，不因节假日延长）",
        basis_text=f"{REG}第十五条：被羁押的犯罪嫌疑人的申请由看守所在24小时内转交法律援助机构"),
    ("forward-station-application", LAW_2021): dict(
        basis_status=PENDING,
        legal_basis=f"本市工作站初审后转交中心的实践做法（法律未规定期限，{LOCAL}）；参见2018年全市法律援助工作要点第十四点",
        basis_text=f"{PLAN}第十四点：强化司法所和司法行政服务站及时收集群众服务信息、加强援助申请初审的作用，"
                   "进一步畅通基层困难群众申请渠道。"),
    ("assign-on-notice", LAW_2021): dict(
        basis_status=CONFIRMED, legal_basis="法律援助法第三十六条（刑事案件按在押期间计算，不因节假日延长）",
        basis_text=f"{LAL}第三十六条：法律援助机构收到通知后，应当在三日内指派律师并通知人民法院、人民检察院、公安机关。"),
    ("submit-closing", LAW_2021): dict(
        basis_status=PENDING,
        legal_basis="法律援助法第五十条；30日期限：江苏省法律援助条例及本市实践（原文未收入本系统，待市局核对）",
        basis_text=f"{LAL}第五十条：法律援助事项办理结束后，法律援助人员应当及时向法律援助机构报告，提交有关法律文书的副本"
                   "或者复印件、办理情况报告等材料。"),
    ("green-decide", LAW_2021): dict(
        pause_events=SUPPLEMENT[0], resume_events=SUPPLEMENT[1], basis_status=PENDING,
        legal_basis=f"2018年全市法律援助工作要点第十四点（快速受理、指派、办理；2日为本地内部期限，严于法律援助法第四十三条的"
                    f"七日，待市局确认）；{MOJ}",
        basis_text=PLAN14),
    ("green-assign", LAW_2021): dict(
        basis_status=PENDING,
        legal_basis="2018年全市法律援助工作要点第十四点（快速受理、指派、办理；1日为本地内部期限，严于法律援助法第四十三条的"
                    "三日，待市局确认）",
        basis_text=PLAN14),
}

NEW = [
    dict(code="supplement-materials", name="补充材料期限15日（2003年条例，本地默认）", start_event="supplement_requested",
         stop_events=["supplement_received"], length=15, day_kind="calendar", responsible_role="center_reviewer",
         effective_from=REG_2003, effective_to=LAW_2021, basis_status=PENDING,
         legal_basis=f"法律援助条例第十八条第一款；补充期限（15日）条例未作规定，{LOCAL}",
         basis_text=f"{REG}第十八条：认为申请人提交的证件、证明材料不齐全的，可以要求申请人作出必要的补充或者说明，申请人"
                    "未按要求作出补充或者说明的，视为撤销申请"),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for (code, since), values in ROWS.items():
        updated = DeadlineRule.objects.filter(code=code, effective_from=since).update(**values)
        assert updated == 1, (code, since)
    for row in NEW:
        row = dict(row)
        DeadlineRule.objects.update_or_create(code=row.pop("code"), effective_from=row.pop("effective_from"),
                                              defaults=row)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0004_hour_clocks_and_pauses")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
