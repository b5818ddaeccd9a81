"""The groups of people the law and the plan name (exemptions, green channel). Editable in the admin."""

from django.db import migrations

TAGS = [
    ("low_income_allowance", "低保", "城乡最低生活保障对象", "法律援助法第四十二条第二项"),
    ("extreme_poverty", "特困", "特困供养人员", "法律援助法第四十二条第二项"),
    ("near_poverty", "低保边缘", "最低生活保障边缘家庭成员", "江苏省法律援助条例"),
    ("registered_poor", "建档立卡", "建档立卡贫困户（含防返贫监测对象）", "2018年镇江市法律援助工作要点第七点"),
    ("migrant_worker", "农民工", "进城务工人员", "法律援助法第四十二条第三项"),
    ("disabled", "残疾", "持有残疾人证的人员", "法律援助法第四十二条第一项"),
    ("military_family", "军人军属", "军人军属及优抚对象", "法律援助法第四十二条第二项"),
    ("elderly", "老年人", "六十周岁以上的老年人", "法律援助法第四十二条第一项"),
    ("minor", "未成年人", "未满十八周岁的未成年人", "法律援助法第四十二条第一项"),
    ("no_fixed_income", "无固定生活来源", "无固定生活来源的人员", "法律援助法第四十二条第一项"),
    ("judicial_assistance", "司法救助", "正在接受司法救助的人员", "法律援助法第四十二条第二项"),
    ("domestic_violence_victim", "家暴受害人", "遭受虐待、遗弃或者家庭暴力的受害人", "法律援助法第三十二条第四项"),
]


def load(apps, schema_editor):
    PersonTag = apps.get_model("people", "PersonTag")
    for code, name, description, basis in TAGS:
        PersonTag.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "legal_basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
