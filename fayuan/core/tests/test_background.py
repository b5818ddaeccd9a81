"""Retries with backoff on the real database queue, and the recovery of tasks whose worker died."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django_tasks import TaskResultStatus, task

from fayuan.conftest import TaskQueue
from fayuan.core.background import backoff_delay, retrying
from fayuan.core.models import TaskFailure, WorkerLease
from fayuan.core.worker import tasks_recover_orphans, worker_lease_renew

CALLS: list[str] = []
FAIL_TIMES = {"n": 0}


@task()
@retrying(attempts=3, base_delay=10, max_delay=15)
def flaky(label: str) -> str:
    CALLS.append(label)
    if len(CALLS) <= FAIL_TIMES["n"]:
        raise ConnectionError("gateway down")
    return label


@task()
def noop(label: str) -> str:
    return label


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    FAIL_TIMES["n"] = 0


def by_attempt(queue: TaskQueue) -> list[Any]:
    """The queue's rows in attempt order (with the clock stopped, they share one enqueue time)."""
    return sorted(queue.results(), key=lambda r: r.args_kwargs["kwargs"].get("attempt", 1))


START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, base=30, cap=100).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_failing_task_is_requeued_with_backoff_and_stops_after_the_bound(db, task_queue):
    FAIL_TIMES["n"] = 99
    with time_machine.travel(START, tick=False):
        flaky.enqueue("x")
        assert task_queue.drain() == 1
        first, retry = by_attempt(task_queue)
        assert first.status == TaskResultStatus.FAILED and "ConnectionError" in first.traceback
        assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {"attempt": 2}
        assert retry.run_after == START + dt.timedelta(seconds=10)
        assert task_queue.drain() == 0  # not before its time
    with time_machine.travel(START + dt.timedelta(seconds=10), tick=False):
        assert task_queue.drain() == 1
        third = by_attempt(task_queue)[-1]
        assert third.args_kwargs["kwargs"] == {"attempt": 3}
        assert third.run_after == START + dt.timedelta(seconds=10 + 15)  # 20 s, capped at 15
    with time_machine.travel(START + dt.timedelta(seconds=25), tick=False):
        assert task_queue.drain() == 1
    assert CALLS == ["x", "x", "x"]
    assert [r.status for r in by_attempt(task_queue)] == [TaskResultStatus.FAILED] * 3  # no fourth attempt
    failure = TaskFailure.objects.get()
    assert (failure.task_path, failure.attempts, failure.arguments) == (
        "fayuan.core.tests.test_background.flaky", 3, {"args": ["x"]})
    assert failure.error.startswith("builtins.ConnectionError: gateway down")


def test_a_retry_that_succeeds_ends_the_retries(db, task_queue):
    FAIL_TIMES["n"] = 1
    with time_machine.travel(START, tick=False):
        flaky.enqueue("y")
        task_queue.drain()
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        task_queue.drain()
    first, second = by_attempt(task_queue)
    assert (first.status, second.status) == (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
    assert second.return_value == "y"
    assert not TaskFailure.objects.exists()


def _claimed_by(worker_id: str) -> str:
    result = noop.enqueue("z")
    row = result.db_result  # type: ignore[attr-defined]
    row.claim(worker_id)
    return str(row.id)


def test_a_task_left_running_by_a_dead_worker_is_queued_again_and_runs(db, task_queue):
    task_id = _claimed_by("dead-worker")  # claimed, then the process was killed: no lease
    assert tasks_recover_orphans() == 1
    row = task_queue.results().get(id=task_id)
    assert row.status == TaskResultStatus.READY and row.worker_ids == ["dead-worker"]
    assert task_queue.drain() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["dead-worker", "test-worker"]


def test_a_live_workers_task_is_left_alone_until_its_lease_lapses(db, task_queue, settings):
    settings.TASKS_WORKER_LEASE_SECONDS = 60
    with time_machine.travel(START, tick=False):
        worker_lease_renew(worker_id="live-worker")
        task_id = _claimed_by("live-worker")
    with time_machine.travel(START + dt.timedelta(seconds=59), tick=False):
        assert tasks_recover_orphans() == 0
        assert task_queue.results().get(id=task_id).status == TaskResultStatus.RUNNING
    with time_machine.travel(START + dt.timedelta(seconds=61), tick=False):
        assert tasks_recover_orphans() == 1
    assert task_queue.results().get(id=task_id).status == TaskResultStatus.READY


def test_leases_of_workers_long_gone_are_dropped(db, task_queue):
    with time_machine.travel(START, tick=False):
        worker_lease_renew(worker_id="old")
    tasks_recover_orphans(now=START + dt.timedelta(days=1, seconds=1))
    assert not WorkerLease.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queue_lost_right_after_the_commit_does_not_fail_the_committed_request(monkeypatch, caplog):
    """The database restarting between a commit and its enqueue (bench/faults.py saw it): the work stays committed,
    the request answers normally and the failure is logged (a sweep re-enqueues what must not be lost)."""
    from django.db import OperationalError, transaction

    from fayuan.core.background import enqueue_on_commit
    from fayuan.core.models import RuleStamp

    def lost(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(type(noop), "enqueue", lost)
    with transaction.atomic():
        RuleStamp.objects.create()
        enqueue_on_commit(noop, "after the commit")
    assert RuleStamp.objects.count() == 1
    assert "enqueue_on_commit" in caplog.text
