"""The rebuild (``manage.py stats_rebuild``) counts in the database, one row per cell: its cells equal the cells the
subscribers kept event by event (applications, aid begun, refusals, closings, deadlines met on time and late), in
two centers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.tests.conftest import granted, receive
from fayuan.stats import measures
from fayuan.stats.models import Tally
from fayuan.stats.services import tally_rebuild
from fayuan.typical_cases.tests.support import closed_case

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple, tuple[int, Decimal]]:
    """The cells as stored, summed per address (two rows may hold one cell: readers sum)."""
    cells: dict[tuple, tuple[int, Decimal]] = {}
    for t in Tally.objects.all():
        address = (t.measure, t.center_id, t.district_id, t.month, t.key)
        count, amount = cells.get(address, (0, Decimal("0.00")))
        cells[address] = (count + t.count, amount + t.amount)
    return cells


def test_the_rebuild_grouped_in_the_database_equals_the_cells_the_subscribers_kept(city: Any) -> None:
    closed_case(city)
    closed_case(city, reviewer="reviewer_b")
    refused = receive(city)
    services.case_decide(actor=city.user("reviewer_a"), public_id=refused.public_id, kind="refuse",
                         reasons="不符合经济困难标准。")
    granted(city)
    with time_machine.travel(timezone.now() - dt.timedelta(days=45), tick=False):
        late = receive(city)  # decided today: its decision deadline is met late
    services.case_decide(actor=city.user("reviewer_a"), public_id=late.public_id, kind="grant")
    kept = _kept()
    assert {a[0] for a in kept} >= {"applications", "aided", "refused", "closed", "deadline"}
    assert any(a[0] == "deadline" and a[4].endswith("|late") for a in kept)
    assert any(a[0] == "deadline" and a[4].endswith("|on_time") for a in kept)
    assert len({a[1] for a in kept}) == 2

    rebuilt = {c.address: (c.count, c.amount) for c in measures.merge(measures.rebuild_cells())}
    assert rebuilt == kept
    tally_rebuild()
    assert _kept() == kept


def test_the_rebuild_leaves_the_planner_the_new_size_of_the_rollups(city: Any) -> None:
    """After a rebuild the planner must know how many cells there are: with the figures of before it, the
    dashboard's query sorted a country's cells on disk (294 ms) where a hash of the analyzed table takes 66 ms."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and the planner's row counts are PostgreSQL's")
    closed_case(city)
    granted(city)

    def planner_rows() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Tally._meta.db_table])
            return float(cursor.fetchone()[0])

    tally_rebuild()
    assert planner_rows() == Tally.objects.count() > 0
