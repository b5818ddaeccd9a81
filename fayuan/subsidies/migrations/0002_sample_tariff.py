"""The SAMPLE subsidy tariff (示例补贴标准), its direct-cost caps, the quality adjustment and the payment term.

Legal Aid Law art. 52 para. 2 (quoted from shared/spec/law/legal-aid-law-2021.md) gives the province's justice and
finance departments the standard; the Jiangsu standard's text is not held in this system, so every amount here is
an illustrative sample (``is_sample``), its basis marked pending (依据待补), for the bureau to replace in the admin.
The payment term rests on the 2018 work plan's point 3 (及时足额支付办案补贴); its 60 days are the system's sample.

Keyed on natural keys and written with update_or_create, so the migration may run again. Self-contained.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

FROM = dt.date(2022, 1, 1)  # the Legal Aid Law in force
LAW = "《法律援助法》第五十二条第二款；江苏省法律援助补贴标准（原文未收入本系统，依据待补）"
LAW_TEXT = ("《法律援助法》第五十二条：法律援助补贴的标准，由省、自治区、直辖市人民政府司法行政部门会同同级财政部门，"
            "根据当地经济发展水平和法律援助的服务类型、承办成本、基本劳务费用等确定，并实行动态调整。")
SAMPLE = "（金额为系统示例）"
PLAN = "《2018年全市法律援助工作要点》第三点（“及时足额支付办案补贴”；天数为系统示例，依据待补）"
PLAN_TEXT = "《2018年全市法律援助工作要点》第三点：……做好与财政部门的沟通协调,保障办案经费,及时足额支付办案补贴……"

# (service, procedure, district code or None, amount, unit)
TARIFF = [
    ("criminal_defense", "ordinary", None, "1500.00", "per_stage"),
    ("criminal_defense", "simplified", None, "1000.00", "per_stage"),
    ("criminal_defense", "fast_track", None, "600.00", "per_stage"),
    ("civil", "ordinary", None, "2000.00", "per_case"),
    ("civil", "simplified", None, "1200.00", "per_case"),
    ("civil", "ordinary", "321183", "2200.00", "per_case"),  # 句容市: a sample district row over the city's
    ("administrative", "ordinary", None, "2000.00", "per_case"),
    ("administrative", "simplified", None, "1200.00", "per_case"),
    ("state_compensation", "", None, "2000.00", "per_case"),
    ("non_litigation", "", None, "800.00", "per_case"),
    ("duty_help", "", None, "300.00", "per_day"),
    ("consultation", "", None, "50.00", "per_person"),
]
LIMITS = [("travel_local", "300.00"), ("travel_outside", "1500.00"), ("copying", "300.00"), ("evidence", "500.00"),
          ("translation", "1000.00"), ("notary", "500.00"), ("appraisal", "2000.00")]
ADJUSTMENTS = [("excellent", "10.00"), ("good", "0.00"), ("pass", "-10.00"), ("fail", "-100.00")]


def load(apps, schema_editor):
    District = apps.get_model("org", "District")
    Tariff = apps.get_model("subsidies", "Tariff")
    common = {"legal_basis": f"{LAW}{SAMPLE}", "basis_text": LAW_TEXT, "basis_status": "pending", "is_sample": True}
    for service, procedure, code, amount, unit in TARIFF:
        district = District.objects.filter(code=code).first() if code else None
        if code and district is None:
            continue
        Tariff.objects.update_or_create(service=service, procedure=procedure, district=district, effective_from=FROM,
                                        defaults={"amount": Decimal(amount), "unit": unit, **common})
    CostLimit = apps.get_model("subsidies", "CostLimit")
    for item, cap in LIMITS:
        CostLimit.objects.update_or_create(item=item, effective_from=FROM,
                                           defaults={"cap": Decimal(cap), **common})
    QualityAdjustment = apps.get_model("subsidies", "QualityAdjustment")
    for grade, percent in ADJUSTMENTS:
        QualityAdjustment.objects.update_or_create(grade=grade, effective_from=FROM, defaults={
            "percent": Decimal(percent), **common, "legal_basis": f"{LAW}（调整比例为系统示例）"})
    PaymentTerm = apps.get_model("subsidies", "PaymentTerm")
    PaymentTerm.objects.update_or_create(effective_from=FROM, defaults={
        "days": 60, "legal_basis": PLAN, "basis_text": PLAN_TEXT, "basis_status": "pending"})


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial"), ("org", "0003_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
