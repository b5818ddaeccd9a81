"""On SQLite (the embedded default) nothing is partitioned: the partitions command says so, or refuses."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fayuan.core.partitions import partition_ensure, partitioned_tables


@pytest.mark.django_db
def test_on_sqlite_there_is_nothing_to_partition_and_freezing_is_refused() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (test_partitions.py covers PostgreSQL)")
    assert partitioned_tables() == [] and partition_ensure() == ([], [])
    out = io.StringIO()
    call_command("partitions", "ensure", stdout=out)
    assert "不是 PostgreSQL" in out.getvalue()
    with pytest.raises(CommandError, match="只在 PostgreSQL"):
        call_command("partitions", "freeze", "--table", "cases_caseevent", "--year", "2020")


def test_the_command_asks_for_what_it_needs(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with pytest.raises(CommandError, match="请给出 --table --year"):
        call_command("partitions", "freeze")
