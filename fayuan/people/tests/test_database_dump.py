"""A dump of the database holds no readable national ID number (SQLite file and pg_dump)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from fayuan.people.models import Person


def _plaintexts() -> list[str]:
    values = [p.decrypted_id_number() for p in Person.objects.exclude(id_number_encrypted="")]
    assert len(values) >= 4
    return values


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_file_contains_no_plaintext_id_number(city):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "dump.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        raw = copy.read_bytes()
    for value in _plaintexts():
        assert value.encode() not in raw
        assert value.encode("utf-16-le") not in raw


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_contains_no_plaintext_id_number(city):
    pg_dump = shutil.which("pg_dump")
    assert pg_dump is not None, "pg_dump not found: apt-get install postgresql-client"
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    out = subprocess.run(  # noqa: S603
        [pg_dump, "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"], s["NAME"]],
        check=True, capture_output=True, env=env, timeout=120,
    ).stdout
    assert b"core_auditentry" in out  # the dump is real and complete
    for value in _plaintexts():
        assert value.encode() not in out
