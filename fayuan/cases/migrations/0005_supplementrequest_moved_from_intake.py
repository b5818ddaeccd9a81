# The supplement request is a step of a case: its model moves from the consultations app (label "intake") to
# cases. The table keeps its name (db_table): state only, no data moved.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_objection_bureau"),
        ("intake", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SupplementRequest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("items", models.JSONField(verbose_name="需补充的材料")),
                        ("note", models.TextField(blank=True, verbose_name="说明")),
                        ("requested_at", models.DateTimeField()),
                        ("due_on", models.DateField(verbose_name="补充期限")),
                        ("fulfilled_at", models.DateTimeField(blank=True, null=True)),
                        ("case", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="supplement_request", to="cases.case")),
                        ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                           related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "补充材料通知",
                        "verbose_name_plural": "补充材料通知",
                        "db_table": "intake_supplementrequest",
                    },
                ),
            ],
        ),
    ]
