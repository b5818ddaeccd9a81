"""The acceptance check: a dump of the seeded demo database (SQLite file, pg_dump) holds no readable ID number."""

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from fayuan.people.models import Person


@pytest.fixture
def seeded_ids():
    call_command("seed_demo", persons=60, cases=0, stdout=io.StringIO())
    values = [p.decrypted_id_number() for p in Person.objects.exclude(id_number_encrypted="")]
    assert len(values) >= 60
    return values


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_dump_of_demo_city_has_no_plaintext_id_number(seeded_ids):
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "dump.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(copy)])
            raw = copy.read_bytes()
    else:
        pg_dump = shutil.which("pg_dump")
        assert pg_dump is not None, "pg_dump not found: apt-get install postgresql-client"
        s = connection.settings_dict
        raw = subprocess.run(  # noqa: S603
            [pg_dump, "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"], s["NAME"]],
            check=True, capture_output=True, env={**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}, timeout=300,
        ).stdout
    assert b"people_person" in raw
    leaked = [v for v in seeded_ids if v.encode() in raw]
    assert leaked == []
