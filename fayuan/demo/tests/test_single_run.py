"""Two seeders on one database: the second stops with a clear message before writing anything."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fayuan.accounts.models import User
from fayuan.core.audit import LOCK_SPACE
from fayuan.demo.single_run import ALREADY, LOCK_SEEDER, _lock_file, only_seeder

pytestmark = pytest.mark.django_db

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_the_lock_file_lies_beside_a_database_file_and_an_in_memory_database_needs_none() -> None:
    assert _lock_file("/srv/fayuan/var/fayuan.sqlite3") == Path("/srv/fayuan/var/fayuan.sqlite3.seed.lock")
    assert _lock_file(":memory:") is None and _lock_file("file:memorydb_default?mode=memory&cache=shared") is None


def test_a_second_seeder_of_one_sqlite_file_stops_and_changes_nothing(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the file lock is SQLite's; PostgreSQL's is tested below")
    database = tmp_path / "fayuan.sqlite3"
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(database))  # where the lock file goes
    holder = subprocess.Popen([sys.executable, "-c", HOLD, f"{database}.seed.lock"],  # noqa: S603
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        users = User.objects.count()
        with pytest.raises(CommandError, match=ALREADY):
            call_command("seed_demo", "--stage", "base")
        assert User.objects.count() == users
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    # The holder died and its lock went with it; a lock held in this process stops a second one here too.
    with only_seeder(), pytest.raises(CommandError, match=ALREADY), only_seeder():
        pass


@pytest.mark.postgres
def test_a_second_seeder_of_one_postgresql_database_stops_and_changes_nothing() -> None:
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")},
                            autocommit=True)
    pid = other.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, LOCK_SEEDER])
        users = User.objects.count()
        with pytest.raises(CommandError, match=ALREADY):
            call_command("seed_demo", "--stage", "base")
        assert User.objects.count() == users
    finally:
        other.close()  # its session ends, and its lock with it
    # close() returns before the server has ended the session: on a loaded machine the lock was still held when
    # the next line asked for it (a CI failure). Wait for the session to be gone, as a seeder after a crash would.
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
    with only_seeder():
        pass
