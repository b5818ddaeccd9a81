"""Consultations (20 million a year nationally) are split by year; outreach's link to one is no longer a database constraint (0003 there) since nothing can reference a partitioned table.

PostgreSQL only (SQLite keeps the plain table): the rows, indexes, keys and triggers move to a table partitioned by
year, one partition per year (China time) and a DEFAULT one (fayuan/core/partitions.py, docs/capacity.md)."""

from django.db import migrations

from fayuan.core.partitions import partition_by_year, unpartition


def partition(apps, schema_editor):
    partition_by_year(schema_editor, "intake_consultation", "occurred_at", freezable=True)


def plain(apps, schema_editor):
    unpartition(schema_editor, "intake_consultation")


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_supplementrequest_moved_to_cases"), ("outreach", "0003_consultation_link_without_constraint"),
                    ("lawyer_team", "0003_consultation_link_without_constraint"), ("core", "0006_frozen_partition")]

    operations = [migrations.RunPython(partition, plain)]
