"""One demo seeding per database at a time.

Two `make run` on one database (a second terminal, another PORT) would each replay the demo history into it: the
second would find a history "in progress" and add to it, or interleave its writes with the first's. The seeder
holds a lock the operating system or the database drops with its process, so a run that died leaves nothing to
clean up: on SQLite an flock on a file beside the database, on PostgreSQL a session advisory lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from fayuan.core.audit import LOCK_SPACE

LOCK_SEEDER = 3  # in the audit log's lock space (1: appends, 2: the sealer)
ALREADY = "另一个进程正在为同一数据库生成演示数据（例如另一个 make run）：请等它完成，或先停止它，再运行。"


def _lock_file(name: str) -> Path | None:
    """Beside the SQLite file; None for an in-memory database (one process has it)."""
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(f"{name}.seed.lock")


@contextmanager
def only_seeder() -> Iterator[None]:
    """Hold the database's seeding lock for the block, or stop with a clear message if another process holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, LOCK_SEEDER])
            if not cursor.fetchone()[0]:
                raise CommandError(ALREADY)
        try:
            yield
        finally:
            if connection.connection is not None:  # a closed connection has dropped the lock already
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, LOCK_SEEDER])
        return
    path = _lock_file(str(settings.DATABASES["default"]["NAME"]))
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(ALREADY) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
