"""Tags for the groups the eligibility rules now name (issue 8 items 10, 11): 优抚对象 (law art. 42(2) names them,
not every military family member), and the 2024 Jiangsu regulation's low-income people and orphans."""

from django.db import migrations

TAGS = [
    ("entitled_group", "优抚对象", "享受国家抚恤、优待的优抚对象", "法律援助法第四十二条第二项"),
    ("low_income", "低收入人口", "民政部门认定的低收入人口", "江苏省法律援助条例（2024年修订，条文序号待核对）"),
    ("orphan", "孤儿", "民政部门认定的孤儿", "江苏省法律援助条例（2024年修订，条文序号待核对）"),
]


def load(apps, schema_editor):
    PersonTag = apps.get_model("people", "PersonTag")
    for code, name, description, basis in TAGS:
        PersonTag.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "legal_basis": basis})
    # Being a soldier's relative is not by itself an exemption from the means test.
    PersonTag.objects.filter(code="military_family").update(
        description="军人军属（优抚对象另见“优抚对象”标签）", legal_basis="法律援助法第七十条")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_tag_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
