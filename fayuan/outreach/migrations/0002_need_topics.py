"""The legal needs a visit records (plan point 5 names 赡养、婚姻、继承、土地流转、人身损害; the rest are the
needs the 12348 teams meet most). A catalogue: a bureau may add or retire rows in the admin."""

from django.db import migrations

TOPICS = [
    ("support", "赡养/抚养扶养"),
    ("marriage", "婚姻家庭"),
    ("inheritance", "继承"),
    ("land", "土地承包经营权流转"),
    ("injury", "人身损害"),
    ("wages", "劳动报酬/欠薪"),
    ("social_security", "社会保障"),
    ("housing", "房屋宅基地"),
    ("other", "其他"),
]


def load(apps, schema_editor):
    NeedTopic = apps.get_model("outreach", "NeedTopic")
    for order, (code, name) in enumerate(TOPICS, start=1):
        NeedTopic.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
