"""Backups that restore. On PostgreSQL: a ``pg_dump -Fc`` of a database filled through the services, restored
with ``pg_restore`` into a new empty database, holds every table's rows and an audit chain that ``verify_audit``
finds whole (and broken once an entry is changed there). On SQLite: ``backup_sqlite`` makes a checked copy that
holds the same rows and chain, atomically, and refuses to run on PostgreSQL."""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from fayuan.cases.tests.conftest import granted, receive
from fayuan.consultations.services import consultation_record
from fayuan.core.audit import audit_seal
from fayuan.core.management.commands import backup_sqlite
from fayuan.core.models import AuditEntry, AuditSeal

ROOT = Path(settings.BASE_DIR)


def _fill(city: Any) -> None:
    """Cases, decisions and consultations through the services (each audited), then the audit log sealed."""
    for _ in range(3):
        granted(city)
    receive(city)
    consultation_record(actor=city.user("reviewer_a"), channel="phone", question="工资被拖欠", advice="可申请援助")
    assert audit_seal(batch=10, wait_seconds=0)
    assert AuditSeal.objects.exists() and AuditEntry.objects.count() > 10


def _verify_audit(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``manage.py verify_audit`` in a separate process, against the database that ``env`` names."""
    full = {**os.environ, "FAYUAN_ENV": "test", "AUDIT_SEAL_KEY": settings.AUDIT_SEAL_KEY,
            "AUDIT_SEAL_RETIRED_KEYS": ",".join(settings.AUDIT_SEAL_RETIRED_KEYS), **env}
    if "DATABASE_URL" not in env:  # SQLite: the suite's own DATABASE_URL must not win over SQLITE_PATH
        full.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "manage.py", "verify_audit"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300, check=False)


# --- PostgreSQL: pg_dump / pg_restore -------------------------------------------------------------------------


def _pg_tool(name: str, server_major: int) -> str:
    """The client of the server's own major version (Debian keeps one per version), else the one on PATH, which
    must not be older than the server (pg_dump refuses a newer server)."""
    own = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    found = str(own) if own.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: install postgresql-client-{server_major}")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)\.", version)
    assert match and int(match.group(1)) >= server_major, f"{found} is {version.strip()}, the server {server_major}"
    return found


def _table_counts_pg(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[index]  # noqa: S608
                for t in tables}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pg_dump_restores_into_an_empty_database_with_its_rows_and_audit_chain(city: Any, tmp_path: Path) -> None:
    _fill(city)
    params = connection.get_connection_params()
    source = str(connection.settings_dict["NAME"])
    restored = f"{source[:40]}_restored_{os.getpid()}"
    env = {**os.environ, "PGHOST": str(params.get("host") or "127.0.0.1"), "PGPORT": str(params.get("port") or 5432),
           "PGUSER": str(params.get("user") or "postgres")}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    server_major = connection.cursor().connection.info.server_version // 10000
    dump = tmp_path / "fayuan.dump"
    subprocess.run([_pg_tool("pg_dump", server_major), "--format=custom", f"--file={dump}", source],  # noqa: S603
                   env=env, check=True, capture_output=True)

    def conninfo(db: str) -> str:
        return psycopg.conninfo.make_conninfo(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                                              password=env.get("PGPASSWORD"), dbname=db)

    with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}" TEMPLATE template0 ENCODING \'UTF8\'')
    try:
        subprocess.run([_pg_tool("pg_restore", server_major), "--no-owner", "--exit-on-error",  # noqa: S603
                        f"--dbname={restored}", str(dump)], env=env, check=True, capture_output=True)
        before, after = _table_counts_pg(conninfo(source)), _table_counts_pg(conninfo(restored))
        assert after == before
        assert before["core_auditentry"] > 10 and before["core_auditseal"] >= 2 and before["cases_case"] == 4

        url = (f"postgres://{env['PGUSER']}:{env.get('PGPASSWORD', '')}@{env['PGHOST']}:{env['PGPORT']}/{restored}"
               if env.get("PGPASSWORD") else f"postgres://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{restored}")
        checked = _verify_audit({"DATABASE_URL": url, "AUDIT_SEAL_EXPORT_PATH": str(tmp_path / "seals.jsonl")})
        assert checked.returncode == 0, checked.stderr
        assert f"已校验 {before['core_auditentry']} 条记录" in checked.stdout

        # The check can fail: one entry changed in the restored copy (the append-only trigger bypassed as the
        # superuser a restore runs as) breaks the chain there.
        with psycopg.connect(conninfo(restored), autocommit=True) as copy:
            copy.execute("SET session_replication_role = replica")
            forged = copy.execute("UPDATE core_auditentry SET object_id = 'forged' "
                                  "WHERE seq = (SELECT min(seq) + 2 FROM core_auditentry)")
            assert forged.rowcount == 1
        broken = _verify_audit({"DATABASE_URL": url, "AUDIT_SEAL_EXPORT_PATH": str(tmp_path / "seals.jsonl")})
        assert broken.returncode != 0 and "断裂" in broken.stderr
    finally:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


# --- SQLite: backup_sqlite -----------------------------------------------------------------------------------


def _table_counts_sqlite(conn: Any) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_sqlite_copies_every_row_and_a_whole_audit_chain(city: Any, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (the PostgreSQL pass tests pg_dump/pg_restore above)")
    _fill(city)
    target = tmp_path / "fayuan-backup.sqlite3"
    call_command("backup_sqlite", to=target, stdout=io.StringIO())
    with connection.cursor() as cursor:
        before = _table_counts_sqlite(cursor)
    copy = sqlite3.connect(target)
    try:
        assert _table_counts_sqlite(copy) == before
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "fayuan-backup" in p.name) == ["fayuan-backup.sqlite3"]
    checked = _verify_audit({"SQLITE_PATH": str(target), "AUDIT_SEAL_EXPORT_PATH": str(tmp_path / "seals.jsonl")})
    assert checked.returncode == 0, checked.stderr
    assert f"已校验 {before['core_auditentry']} 条记录" in checked.stdout

    # Into a folder: a dated name there.
    folder = tmp_path / "nightly"
    folder.mkdir()
    call_command("backup_sqlite", to=folder, stdout=io.StringIO())
    (made,) = folder.iterdir()
    assert re.fullmatch(r"fayuan-\d{8}T\d{6}Z\.sqlite3", made.name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_copy_that_fails_its_check_replaces_nothing(city: Any, tmp_path: Path, monkeypatch: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    target = tmp_path / "last-good.sqlite3"
    target.write_bytes(b"the last good backup")
    monkeypatch.setattr(backup_sqlite, "integrity_problems", lambda copy: ["*** in database main ***"])
    with pytest.raises(CommandError, match="完整性校验未通过"):
        call_command("backup_sqlite", to=target)
    assert target.read_bytes() == b"the last good backup"
    assert [p.name for p in tmp_path.iterdir() if p.name != "audit-seals.jsonl"] == ["last-good.sqlite3"]


def test_backup_sqlite_refuses_postgresql_and_bad_targets(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    with pytest.raises(CommandError, match=r"不是 SQLite.*pg_dump"):
        call_command("backup_sqlite", to=tmp_path / "x.sqlite3")
    assert not (tmp_path / "x.sqlite3").exists()
    monkeypatch.undo()
    if connection.vendor != "sqlite":
        return
    with pytest.raises(CommandError, match="备份目录不存在"):
        call_command("backup_sqlite", to=tmp_path / "missing" / "x.sqlite3")
