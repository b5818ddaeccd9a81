"""``manage.py backup_sqlite --to PATH``: an online backup of the SQLite database (the default installation).

SQLite's backup API copies the database page by page inside one read transaction: in WAL mode writers carry on
meanwhile and the copy is the database as of the moment the backup began, with no half-written transaction in it
(copying the file with ``cp`` can catch a page mid-write and leaves the -wal file's recent transactions out). The
copy is written beside the target under a temporary name, checked with ``PRAGMA integrity_check``, switched to a
self-contained file (rollback journal: no -wal/-shm beside it) and only then renamed onto the target, so a failed
or interrupted backup never leaves a partial file where the last good one was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.backends.sqlite3._functions import register as register_django_functions
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper


def integrity_problems(copy: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong (empty when the copy is sound). The check evaluates the
    expression indexes, some of which call the SQL functions Django adds to SQLite (``django_date_extract``):
    they are registered on the copy's connection first, as Django does on its own."""
    register_django_functions(copy)
    rows = [str(r[0]) for r in copy.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Command(BaseCommand):
    help = ("在线备份 SQLite 数据库（SQLite 在线备份接口，校验后原子替换目标文件）。"
            "Online backup of the SQLite database: copied with SQLite's backup API, checked, renamed into place.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, required=True, metavar="PATH",
                            help="备份文件路径；若为已有目录，则在其中生成带时间的文件名")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        if connections[options["database"]].vendor != "sqlite":
            raise CommandError("当前数据库不是 SQLite，本命令不适用。PostgreSQL 请用 pg_dump"
                               "（deploy/backup/fayuan-pg-dump.sh）或基础备份加 WAL 归档，见 docs/runbook.md。")
        connection = cast(SQLiteWrapper, connections[options["database"]])
        target = options["to"]
        if target.is_dir():
            target = target / f"fayuan-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.sqlite3"
        target = target.resolve()
        if not target.parent.is_dir():
            raise CommandError(f"备份目录不存在：{target.parent}")
        source_name = str(connection.settings_dict["NAME"])
        if not connection.is_in_memory_db() and Path(source_name).resolve() in {
                target, Path(f"{source_name}-wal").resolve(), Path(f"{source_name}-shm").resolve()}:
            raise CommandError("备份文件不能是数据库文件本身。")

        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        connection.ensure_connection()
        try:
            copy = sqlite3.connect(tmp)
            try:
                # One step (pages=-1): one read snapshot for the whole copy; in WAL mode writers are not blocked.
                connection.connection.backup(copy, pages=-1)
                problems = integrity_problems(copy)
                if problems:
                    raise CommandError(f"备份副本完整性校验未通过，未保存：{'; '.join(problems[:5])}")
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            finally:
                copy.close()
            with open(tmp, "rb") as written:
                os.fsync(written.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except sqlite3.Error as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        finally:
            for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        size = target.stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {target}（{size / 1048576:.1f} MB，{tables} 张表，完整性校验通过）。"))
