"""Statutory and local deadline rules, each with the text it rests on.

Rows marked 本地默认/本地内部期限 are the city's own practice, not statute: the bureau may change them (close the row
with effective_to and add a new one). The 2003 Regulation's rows keep older events judged by the rules of their date.
"""

import datetime as dt

from django.db import migrations

LAW_2021 = dt.date(2022, 1, 1)  # 《法律援助法》第七十一条：自2022年1月1日起施行
REG_2003 = dt.date(2003, 9, 1)  # 《法律援助条例》第三十一条：自2003年9月1日起施行

DECISION_EVENTS = ["decision_made", "aid_granted", "aid_refused"]

RULES = [
    dict(
        code="decide-application", name="收到申请后7日内作出是否给予法律援助的决定",
        start_event="application_received", stop_events=DECISION_EVENTS, length=7, day_kind="calendar",
        responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="《法律援助法》第四十三条第一款：法律援助机构应当自收到法律援助申请之日起七日内进行审查，"
                    "作出是否给予法律援助的决定。",
    ),
    dict(
        code="assign-provider", name="决定给予法律援助后3日内指派法律援助人员",
        start_event="aid_granted", stop_events=["provider_assigned"], length=3, day_kind="calendar",
        responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="《法律援助法》第四十三条第一款：决定给予法律援助的，应当自作出决定之日起三日内指派"
                    "法律援助人员为受援人提供法律援助。",
    ),
    dict(
        code="sign-agreement", name="接受指派后5日内签订委托协议（本地默认）",
        start_event="provider_assigned", stop_events=["agreement_signed"], length=5, day_kind="calendar",
        responsible_role="provider", effective_from=LAW_2021,
        legal_basis="本市法律援助办案流程：法律援助人员自接受指派之日起五日内与受援人签订委托协议（本地默认值，"
                    "市局可调整）；参见《法律援助法》第四十六条第一款：法律援助人员接受指派后，无正当理由不得拒绝、"
                    "拖延或者终止提供法律援助服务。",
    ),
    dict(
        code="decide-objection", name="收到异议后5日内作出审查决定",
        start_event="objection_filed", stop_events=["objection_decided"], length=5, day_kind="calendar",
        responsible_role="bureau_supervisor", effective_from=LAW_2021,
        legal_basis="《法律援助法》第四十九条第二款：司法行政部门应当自收到异议之日起五日内进行审查，"
                    "作出维持法律援助机构决定或者责令法律援助机构改正的决定。",
    ),
    dict(
        code="decide-objection", name="收到异议后5个工作日内审查（2003年条例）",
        start_event="objection_filed", stop_events=["objection_decided"], length=5, day_kind="working",
        responsible_role="bureau_supervisor", effective_from=REG_2003, effective_to=LAW_2021,
        legal_basis="《法律援助条例》（2003）第十九条：司法行政部门应当在收到异议之日起5个工作日内进行审查。",
    ),
    dict(
        code="supplement-materials", name="补充材料期限15日（本地默认）",
        start_event="supplement_requested", stop_events=["supplement_received"], length=15, day_kind="calendar",
        responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="《法律援助法》第四十三条第二款：申请材料不齐全的，应当一次性告知申请人需要补充的材料；"
                    "申请人未按要求补充材料的，视为撤回申请。法律未规定补充期限，15日为本中心实践做法"
                    "（本地默认值，市局可调整）。",
    ),
    dict(
        code="forward-custody-application", name="在押人员的申请24小时内转交法律援助机构",
        start_event="station_received", stop_events=["forwarded_to_center"], length=1, day_kind="calendar",
        custody=True, custody_condition="in_custody", responsible_role="station_clerk", effective_from=LAW_2021,
        legal_basis="《法律援助法》第三十九条：被羁押的犯罪嫌疑人、被告人、服刑人员，以及强制隔离戒毒人员等"
                    "提出法律援助申请的，办案机关、监管场所应当在二十四小时内将申请转交法律援助机构。"
                    "按1日计算，不因节假日延长。",
    ),
    dict(
        code="forward-custody-application", name="在押人员的申请24小时内转交（2003年条例）",
        start_event="station_received", stop_events=["forwarded_to_center"], length=1, day_kind="calendar",
        custody=True, custody_condition="in_custody", responsible_role="station_clerk", effective_from=REG_2003,
        effective_to=LAW_2021,
        legal_basis="《法律援助条例》（2003）第十五条：被羁押的犯罪嫌疑人的申请由看守所在24小时内转交法律援助机构。"
                    "按1日计算，不因节假日延长。",
    ),
    dict(
        code="forward-station-application", name="工作站收到的申请3个工作日内转交中心（本地做法）",
        start_event="station_received", stop_events=["forwarded_to_center"], length=3, day_kind="working",
        custody_condition="not_in_custody", responsible_role="station_clerk", effective_from=LAW_2021,
        legal_basis="本市工作站初审后转交中心的实践做法（本地默认值，法律未规定期限，市局可调整）；"
                    "参见镇江市2018年法律援助工作要点第14条（发挥工作站申请初审作用，畅通申请渠道）。",
    ),
    dict(
        code="assign-on-notice", name="收到办案机关通知后3日内指派律师",
        start_event="notice_received", stop_events=["provider_assigned"], length=3, day_kind="calendar",
        custody=True, responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="《法律援助法》第三十六条：法律援助机构收到通知后，应当在三日内指派律师并通知人民法院、"
                    "人民检察院、公安机关。刑事案件按在押期间计算，不因节假日延长。",
    ),
    dict(
        code="submit-closing", name="收到判决后30日内提交结案材料（本地默认）",
        start_event="judgment_received", stop_events=["closing_submitted"], length=30, day_kind="calendar",
        responsible_role="provider", effective_from=LAW_2021,
        legal_basis="《法律援助法》第五十条：法律援助事项办理结束后，法律援助人员应当及时提交有关法律文书副本、"
                    "办理情况报告等材料。30日期限依《江苏省法律援助条例》及本市实践（本地默认值，条例原文未收入"
                    "本系统，市局可调整）。",
    ),
    dict(
        code="green-decide", name="绿色通道：收到申请后2日内作出决定（本地内部期限）",
        start_event="application_received", stop_events=DECISION_EVENTS, length=2, day_kind="calendar",
        track="green_channel", responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="镇江市2018年法律援助工作要点第14条：继续开通法律援助“绿色通道”，免除经济困难审查，"
                    "并快速受理、指派、办理。本地内部期限，严于《法律援助法》第四十三条的七日。",
    ),
    dict(
        code="green-assign", name="绿色通道：决定后1日内指派（本地内部期限）",
        start_event="aid_granted", stop_events=["provider_assigned"], length=1, day_kind="calendar",
        track="green_channel", responsible_role="center_reviewer", effective_from=LAW_2021,
        legal_basis="镇江市2018年法律援助工作要点第14条：绿色通道快速受理、指派、办理。本地内部期限，"
                    "严于《法律援助法》第四十三条的三日。",
    ),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for row in RULES:
        row = dict(row)
        DeadlineRule.objects.update_or_create(
            code=row.pop("code"), effective_from=row.pop("effective_from"), defaults=row
        )


def unload(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for row in RULES:
        DeadlineRule.objects.filter(code=row["code"], effective_from=row["effective_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_load_holiday_calendar")]
    operations = [migrations.RunPython(load, unload)]
