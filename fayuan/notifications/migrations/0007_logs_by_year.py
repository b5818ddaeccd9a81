"""The SMS attempt log and the in-app notifications are split by year. Notifications are marked read long after they are made, so their years are never frozen.

PostgreSQL only (SQLite keeps the plain table): the rows, indexes, keys and triggers move to a table partitioned by
year, one partition per year (China time) and a DEFAULT one (fayuan/core/partitions.py, docs/capacity.md)."""

from django.db import migrations

from fayuan.core.partitions import partition_by_year, unpartition


def partition(apps, schema_editor):
    partition_by_year(schema_editor, "notifications_smslog", "sent_at", freezable=True)
    partition_by_year(schema_editor, "notifications_notification", "created_at", freezable=False)


def plain(apps, schema_editor):
    unpartition(schema_editor, "notifications_smslog")
    unpartition(schema_editor, "notifications_notification")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_sms_gateway_receipts"), ("core", "0006_frozen_partition")]

    operations = [migrations.RunPython(partition, plain)]
