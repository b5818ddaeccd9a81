"""An index added to a large table without stopping its writers.

A plain CREATE INDEX holds a lock that blocks every insert and update of the table while it builds: seconds to
minutes on a national table, while the site is up (docs/runbook.md, upgrades). On PostgreSQL this builds it with
CREATE INDEX CONCURRENTLY (the migration must say ``atomic = False``); SQLite has no such build and one writer
anyway, so it gets the plain one. Not for a partitioned table: PostgreSQL cannot build those concurrently."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexOnline(AddIndexConcurrently):
    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
