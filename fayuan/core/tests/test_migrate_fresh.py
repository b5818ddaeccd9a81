"""``migrate_fresh`` builds the same database as ``migrate``: every table, column, index, constraint, trigger and
shipped row (core/management/commands/migrate_fresh.py).

The reference is the test database itself, which pytest-django built by running every migration. The shortcut is
for the embedded SQLite database only (PostgreSQL always runs ``migrate``), so the comparison runs on SQLite.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from fayuan.core.management.commands.migrate_fresh import data_steps

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="捷径只用于内置 SQLite 数据库")

# Set to "now" by the data steps: differ by when each database was built.
WHEN_BUILT = frozenset({"created_at", "updated_at"})


def _catalogue(cursor: Any) -> dict[str, Any]:
    """Everything SQLite knows about the schema and the rows, in a form that ignores column order."""
    def rows(sql: str) -> list[tuple[Any, ...]]:
        cursor.execute(sql)
        return list(cursor.fetchall())

    out: dict[str, Any] = {}
    for name, kind, sql in rows("SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
        if kind == "table":
            columns = sorted(tuple(r[1:]) for r in rows(f'PRAGMA table_info("{name}")'))
            indexes = sorted((tuple(c[2] for c in rows(f'PRAGMA index_info("{i[1]}")')), i[2], i[4])
                             for i in rows(f'PRAGMA index_list("{name}")'))
            keys = sorted(tuple(r[2:5]) for r in rows(f'PRAGMA foreign_key_list("{name}")'))
            constraints = sorted(re.findall(r'CONSTRAINT "([^"]+)"', sql)), sql.count("CHECK")
            out[f"table {name}"] = columns, indexes, keys, constraints
            if name != "django_migrations":
                names = [c[0] for c in columns]
                kept = [c for c in names if c not in WHEN_BUILT]
                select = ", ".join(f'"{c}"' for c in kept)
                # Names from sqlite_master, not from input.
                out[f"rows {name}"] = sorted(map(repr, rows(f'SELECT {select} FROM "{name}"')))  # noqa: S608
        else:  # indexes (partial and expression ones carry their SQL) and the audit log's triggers
            out[f"{kind} {name}"] = sql
    out["migrations"] = sorted(rows("SELECT app, name FROM django_migrations"))
    return out


@pytest.mark.django_db
def test_migrate_fresh_builds_what_the_migrations_build(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SQLITE_PATH": str(path)}
    done = subprocess.run([sys.executable, "manage.py", "migrate_fresh", "--noinput"], cwd=settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "空数据库：已由模型" in done.stdout
    # Read as Django reads (its converters for bool, decimal and time columns are registered on the module).
    fresh = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        built = _catalogue(fresh.cursor())
    finally:
        fresh.close()
    with connection.cursor() as cursor:
        migrated = _catalogue(cursor)
    assert sorted(built) == sorted(migrated)
    different = [key for key in migrated if built[key] != migrated[key]]
    assert not different, different
    # Not vacuous: the shipped rule rows and the append-only triggers are there.
    assert migrated["rows eligibility_meansstandard"] and migrated["rows deadlines_deadlinerule"]
    assert any(key.startswith("trigger core_auditentry") for key in migrated)


@pytest.mark.django_db
def test_a_database_with_tables_is_migrated_not_rebuilt() -> None:
    """The test database is migrated already: the command hands it to ``migrate``, which finds nothing to do."""
    out = io.StringIO()
    call_command("migrate_fresh", "--noinput", stdout=out)
    assert "No migrations to apply" in out.getvalue() and "空数据库" not in out.getvalue()


def test_only_backfills_of_older_rows_are_skipped() -> None:
    """A data step left out of a new database must be elidable: it only converts rows that an older version wrote.
    The ones marked so are listed here, so marking another is a decision a reviewer sees."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    project = [m for key, m in loader.disk_migrations.items() if m.__module__.startswith("fayuan.")]
    elided = sorted(f"{m.app_label}.{m.name}" for m in project
                    for op in m.operations if getattr(op, "elidable", False))
    assert elided == [
        "accounts.0007_move_totp_secrets_encrypted",
        "accounts.0008_organs",
        "cases.0003_client_choice_within_art43",
        "cases.0007_queue_next_due",
        "cases.0011_next_due_without_paused",
        "criminal.0005_notice_duty_status",
        "lawyer_team.0002_members_from_flag",
        "notifications.0004_encrypt_contact_phones",
        "people.0006_encrypt_existing_phones",
    ]
    kept = {f"{m.app_label}.{m.name}" for m, _op in data_steps(sorted(project, key=lambda m: m.name))}
    assert "eligibility.0004_rules_by_date_and_source" in kept and "core.0002_audit_append_only" in kept
