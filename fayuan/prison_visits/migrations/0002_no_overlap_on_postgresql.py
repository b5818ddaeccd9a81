"""No lawyer and no room booked twice at one time, enforced by PostgreSQL: two exclusion constraints over the
appointment's time range (a GiST index needs btree_gist for the equality on the room and the lawyer). A cancelled
appointment holds nothing. SQLite has no exclusion constraints; there the booking service's check under the room and
lawyer row locks is the guard (SQLite runs one writer at a time)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "prison_visits_appointment"
CONSTRAINTS = {"prison_appointment_room_no_overlap": "room_id",
               "prison_appointment_lawyer_no_overlap": "provider_id"}


def _up(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status <> 'cancelled')")


def _down(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("prison_visits", "0001_initial")]
    operations = [migrations.RunPython(_up, _down, elidable=False)]
