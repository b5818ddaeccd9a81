"""Reports read from a read replica when one is configured (REPLICA_DATABASE_URL; docs/runbook.md).

Only the code inside ``reports_reads()`` is routed: the statistical report, its exports and the dashboards, whose
queries scan months of rollups and can wait a second or two of replication lag. Everything else, every write and
every ``select_for_update`` (Django routes those as writes) goes to ``default``; the audit rows a report writes
therefore land on the primary too. Without a replica ``REPORTS_DATABASE`` is ``default`` and nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_reports = ContextVar("fayuan_reports_reads", default=False)


@contextmanager
def reports_reads() -> Iterator[None]:
    """Reads inside the block go to ``settings.REPORTS_DATABASE`` (the replica when configured)."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


class ReportsRouter:
    """Reads of a report to the replica, everything else to the primary; migrations on the primary only."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reports.get():
            return str(getattr(settings, "REPORTS_DATABASE", "default"))
        return None  # Django's default: the instance's own database, else ``default``

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"  # never the replica, even for an instance that was read from it

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: a row read there is the same row

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"
