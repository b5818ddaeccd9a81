"""The case event log is split by year: a closed year is not written again and can be frozen.

PostgreSQL only (SQLite keeps the plain table): the rows, indexes, keys and triggers move to a table partitioned by
year, one partition per year (China time) and a DEFAULT one (fayuan/core/partitions.py, docs/capacity.md)."""

from django.db import migrations

from fayuan.core.partitions import partition_by_year, unpartition


def partition(apps, schema_editor):
    partition_by_year(schema_editor, "cases_caseevent", "at", freezable=True)


def plain(apps, schema_editor):
    unpartition(schema_editor, "cases_caseevent")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_assignment_provider_case"), ("core", "0006_frozen_partition")]

    operations = [migrations.RunPython(partition, plain)]
