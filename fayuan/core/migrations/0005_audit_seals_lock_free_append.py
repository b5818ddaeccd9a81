"""Audit entries are numbered by the table's identity sequence and sealed in keyed batches (docs/audit.md).

- ``seq`` becomes the primary key (an identity column on PostgreSQL, AUTOINCREMENT on SQLite), so an append takes a
  number without locking the old one-row chain head, which goes. The existing numbers stay; the sequence continues
  after the highest.
- ``entry_hash`` becomes ``digest``: for the entries written so far it is their old chain hash, which verification
  still recomputes from their fields (``prev_hash``, now only set on those entries, tells which form to use). The
  first sealer run seals them together with the new ones.
- ``AuditSeal`` holds the chain of seals. Like the entries it is append-only in the database itself: triggers refuse
  UPDATE and DELETE on both tables (SQLite rebuilds the entry table here, dropping its triggers: they are made
  again).
"""

from django.db import migrations, models

TABLES = ("core_auditentry", "core_auditseal")

SQLITE_UP = [
    sql
    for table in TABLES
    for sql in (
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    )
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in TABLES for op in ("update", "delete")]

# The function core_auditentry_append_only() and the entry table's trigger come from 0002 and survive here (no
# table rebuild on PostgreSQL); the seal table gets the same guard.
PG_UP = [
    """CREATE TRIGGER core_auditseal_no_change BEFORE UPDATE OR DELETE ON core_auditseal
       FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
    # The identity column starts at 1 unless told: continue after the numbers already used.
    """SELECT setval(pg_get_serial_sequence('core_auditentry', 'seq'), COALESCE(MAX(seq), 1), MAX(seq) IS NOT NULL)
       FROM core_auditentry;""",
]
PG_DOWN = ["DROP TRIGGER IF EXISTS core_auditseal_no_change ON core_auditseal;"]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0004_rule_stamp")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_DOWN[:2]}), _run({"sqlite": SQLITE_UP[:2]})),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_seq", models.PositiveBigIntegerField(unique=True, verbose_name="起始序号")),
                ("last_seq", models.PositiveBigIntegerField(unique=True, verbose_name="截止序号")),
                ("entries", models.PositiveIntegerField(verbose_name="记录数")),
                ("batch_digest", models.CharField(max_length=64, verbose_name="批次摘要")),
                ("prev_mac", models.CharField(max_length=64, unique=True, verbose_name="前一封存 MAC")),
                ("mac", models.CharField(max_length=64, unique=True, verbose_name="MAC")),
                ("key_id", models.CharField(max_length=16, verbose_name="密钥标识")),
                ("sealed_at", models.DateTimeField(verbose_name="封存时间")),
            ],
            options={
                "verbose_name": "审计封存",
                "verbose_name_plural": "审计封存",
                "ordering": ["id"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("last_seq__gte", models.F("first_seq"))),
                                           name="auditseal_range_ordered"),
                ],
            },
        ),
        migrations.DeleteModel(name="AuditHead"),
        migrations.RenameField(model_name="auditentry", old_name="entry_hash", new_name="digest"),
        migrations.AlterField(
            model_name="auditentry",
            name="digest",
            field=models.CharField(max_length=64, verbose_name="摘要"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="旧链前一哈希"),
        ),
        migrations.RemoveField(model_name="auditentry", name="id"),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigAutoField(primary_key=True, serialize=False, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditverification",
            name="sealed_through",
            field=models.PositiveBigIntegerField(default=0, verbose_name="已封存至"),
        ),
        migrations.AddField(
            model_name="auditverification",
            name="unsealed",
            field=models.PositiveBigIntegerField(default=0, verbose_name="未封存条数"),
        ),
        migrations.AddField(
            model_name="auditverification",
            name="exports_checked",
            field=models.PositiveIntegerField(default=0, verbose_name="比对导出封存数"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        ),
    ]
