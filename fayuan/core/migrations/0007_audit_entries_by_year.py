"""The audit log is split by year: sealed years are frozen and left out of the nightly dump.

PostgreSQL only (SQLite keeps the plain table): the rows, indexes, keys and triggers move to a table partitioned by
year, one partition per year (China time) and a DEFAULT one (fayuan/core/partitions.py, docs/capacity.md)."""

from django.db import migrations

from fayuan.core.partitions import partition_by_year, unpartition


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A pattern index (for LIKE) on the digest, left from when the digest was a unique column (0005): nothing
        # searches digests by prefix, and on the largest table it cost ~20% of the bytes of every entry.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'core_auditentry' "
                           "AND indexdef LIKE '%(digest varchar_pattern_ops)'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
    partition_by_year(schema_editor, "core_auditentry", "occurred_at", freezable=True)


def plain(apps, schema_editor):
    unpartition(schema_editor, "core_auditentry")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_frozen_partition")]

    operations = [migrations.RunPython(partition, plain)]
