"""The rollups under real concurrency on PostgreSQL: decisions in one center and month, at once, each add their
count to the same cell (the UPDATE takes the row lock; a missing cell created twice is summed), so the dashboard's
figure equals the number of decisions. The row lock is taken last, just before the commit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from fayuan.accounts.models import User
from fayuan.cases import services as cases
from fayuan.core.tests.access_support import Cases
from fayuan.stats.models import Tally

DECISIONS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_decisions_all_count(city):
    made = [Cases(city).get("received", fresh=True).public_id for _ in range(DECISIONS)]
    # Counted from here: a committed row another transactional test left behind (test order is random) is not ours.
    before = Tally.objects.filter(measure="aided", center=city.center_a).aggregate(n=Sum("count"))["n"] or 0
    barrier = threading.Barrier(DECISIONS)
    errors: list[BaseException] = []

    def decide(public_id: object) -> None:
        try:
            actor = User.objects.get(username="reviewer_a")
            barrier.wait()
            cases.case_decide(actor=actor, public_id=public_id, kind="grant")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(pid,)) for pid in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    aided = Tally.objects.filter(measure="aided", center=city.center_a).aggregate(n=Sum("count"))["n"]
    assert aided - before == DECISIONS


@pytest.mark.django_db
def test_a_decision_writes_its_rollups_after_everything_else(city):
    """The rollup rows are the center's hot rows (every decision of the month adds to them): they are written after
    the events, documents and deadlines, so their lock is held only while the transaction commits."""
    case = Cases(city).get("received", fresh=True)
    with CaptureQueriesContext(connection) as queries:
        cases.case_decide(actor=User.objects.get(username="reviewer_a"), public_id=case.public_id, kind="grant")
    sql = [q["sql"] for q in queries.captured_queries]
    tally = [n for n, text in enumerate(sql) if '"stats_tally"' in text]
    writes = [n for n, text in enumerate(sql) if text.startswith(("INSERT", "UPDATE", "DELETE"))
              and '"stats_tally"' not in text and '"core_auditentry"' not in text]
    assert tally and writes and min(tally) > max(writes)


class _GoOn(Exception):
    pass


@pytest.mark.django_db
def test_a_decision_rolled_back_to_its_savepoint_inside_a_service_adds_nothing_to_the_rollups(city):
    """Code inside a service that tries a decision in its own savepoint, fails and goes on: the decision's events
    are gone, so its increments must be too (they wait for the commit, and are dropped with the savepoint)."""
    from django.db import transaction

    from fayuan.core.transactions import atomic_service

    kept, dropped = Cases(city).get("received", fresh=True), Cases(city).get("received", fresh=True)
    reviewer = User.objects.get(username="reviewer_a")
    before = Tally.objects.filter(measure="aided", center=city.center_a).aggregate(n=Sum("count"))["n"] or 0

    @atomic_service
    def decide_both() -> None:
        try:
            with transaction.atomic():
                cases.case_decide(actor=reviewer, public_id=dropped.public_id, kind="grant")
                raise _GoOn
        except _GoOn:
            pass
        cases.case_decide(actor=reviewer, public_id=kept.public_id, kind="grant")

    decide_both()
    dropped.refresh_from_db()
    assert dropped.status == "received"
    aided = Tally.objects.filter(measure="aided", center=city.center_a).aggregate(n=Sum("count"))["n"]
    assert aided - before == 1
