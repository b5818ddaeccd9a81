"""The audit log is split by year: sealed years are frozen and left out of the nightly dump.

PostgreSQL only (SQLite keeps the plain table): the rows, indexes, keys and triggers move to a table partitioned by
year, one partition per year (China time) and a DEFAULT one (fayuan/core/partitions.py, docs/capacity.md)."""

from django.db import migrations

from fayuan.core.partitions import partition_by_year


def partition(apps, schema_editor):
    partition_by_year(schema_editor, "core_auditentry", "occurred_at", freezable=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_frozen_partition")]

    # Not reversed: going back to one table is a dump and reload, not a migration step (docs/runbook.md).
    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
