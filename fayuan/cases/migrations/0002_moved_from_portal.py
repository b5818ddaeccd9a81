# The provider-change request and the client-choice window are assignment rules: their models move from the
# public site to cases. The tables stay where they are (db_table keeps their names): state only, no data moved.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
        ("org", "0001_initial"),
        ("portal", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ProviderChangeRequest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("reason", models.TextField(verbose_name="理由")),
                        ("created_at", models.DateTimeField()),
                        ("handled_at", models.DateTimeField(blank=True, null=True)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="change_requests", to="cases.case")),
                        ("provider", models.ForeignKey(blank=True, null=True,
                                                       on_delete=django.db.models.deletion.PROTECT,
                                                       related_name="+", to="org.provider")),
                        ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                           related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "更换承办人员申请",
                        "verbose_name_plural": "更换承办人员申请",
                        "db_table": "portal_providerchangerequest",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("handled_at__isnull", True)),
                                                    fields=("case",), name="portal_one_open_change_request"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ClientChoiceSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("choice_window_days", models.PositiveSmallIntegerField(
                            default=5,
                            help_text="决定给予法律援助后，受援人可在此期限内网上选择承办律师；逾期由中心轮派。",
                            validators=[django.core.validators.MinValueValidator(1),
                                        django.core.validators.MaxValueValidator(30)],
                            verbose_name="受援人选择律师期限（日）")),
                        ("center", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                        related_name="client_choice_settings", to="org.center",
                                                        verbose_name="中心")),
                    ],
                    options={
                        "verbose_name": "受援人选择律师设置（中心）",
                        "verbose_name_plural": "受援人选择律师设置（中心）",
                        "db_table": "portal_centerportalsettings",
                    },
                ),
            ],
        ),
    ]
