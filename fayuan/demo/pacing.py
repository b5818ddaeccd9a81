"""Leave SQLite's write lock free now and then while the seeder runs beside the web server (``make run``).

SQLite has one writer at a time. A writer that finds the lock taken does not queue: its busy handler sleeps and
retries, every 100 ms once it has waited a while. A seeder that commits and begins its next transaction at once
leaves gaps far shorter than that, so a sign-in could wait through a whole run of back-to-back transactions: measured
at 15.6 s of the 20-second busy timeout while 2,000 persons were registered. Before it begins a transaction, the
seeder pauses a little longer than one retry interval whenever it has worked a second without pausing: every waiting
writer then gets the lock within about a second, for about a tenth more time on the seeder's side.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

WORK_SECONDS = 1.0
PAUSE_SECONDS = 0.11  # more than the busy handler's longest sleep (100 ms)


@contextmanager
def yielding_write_lock(*, work: float = WORK_SECONDS, pause: float = PAUSE_SECONDS) -> Iterator[None]:
    """Within the block, every ``BEGIN`` that comes ``work`` seconds after the last pause waits ``pause`` first
    (outside any transaction, so nothing is held). Nothing happens on PostgreSQL, whose writers lock rows, not the
    database."""
    if connection.vendor != "sqlite":
        yield
        return
    last = time.monotonic()  # monotonic: time_machine, which the replay travels with, leaves it alone

    def pace(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        nonlocal last
        if sql.startswith("BEGIN") and time.monotonic() - last >= work:
            time.sleep(pause)
            last = time.monotonic()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(pace):
        yield
