"""Acceptance (issue 7): a worker killed with SIGKILL in the middle of a batch of texts loses none of them once a
new worker runs, and a text delivered twice (sent, then killed before it was marked sent) carries the same message
id both times, so the resend is recognisable. Real worker processes (``manage.py db_worker``) on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fayuan.notifications.models import SmsMessage, SmsStatus
from fayuan.notifications.sms import send_sms

# Committed data, for the worker processes to see; the flush afterwards empties every table, and the serialized
# rollback brings back the rows the migrations loaded (as every transactional test here does).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BATCH = 200
KILL_AFTER = 40  # deliveries seen before the first worker is killed
LEASE_SECONDS = 2


def _wait_until(condition: Callable[[], bool], *, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n--- worker log ---\n{tail}")
        time.sleep(0.005)


def _database_url() -> str:
    db = connection.settings_dict  # the test database pytest-django made (test_..., per xdist worker)
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(env: dict[str, str], log: Path, name: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603  (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05",
             "--worker-id", name],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_a_worker_killed_mid_batch_loses_no_text_and_a_resend_carries_the_same_id(task_queue: Any,
                                                                                  tmp_path: Path) -> None:
    deliveries, log = tmp_path / "deliveries.txt", tmp_path / "workers.log"

    def delivered() -> list[str]:
        return deliveries.read_text().split() if deliveries.exists() else []

    with transaction.atomic():  # one request queues a batch: the rows commit together, then 200 tasks are enqueued
        ids = {str(send_sms(f"139{i:08d}", f"【镇江法援】批量测试短信 {i}").pk) for i in range(BATCH)}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == BATCH

    env = {**os.environ, "FAYUAN_ENV": "test", "TASKS_BACKEND": "database", "DATABASE_URL": _database_url(),
           "SMS_BACKEND": "fayuan.notifications.tests.recording_backend.RecordingSMSBackend",
           "SMS_RECORD_FILE": str(deliveries), "SMS_RECORD_DELAY": "0.05",
           "TASKS_WORKER_LEASE_SECONDS": str(LEASE_SECONDS), "LOG_LEVEL": "WARNING"}
    first = _start_worker(env, log, "worker-first")
    try:
        _wait_until(lambda: len(delivered()) >= KILL_AFTER, timeout=90, what="the first deliveries", log=log)
        first.send_signal(signal.SIGKILL)  # right after a delivery: most likely inside the gateway's acknowledgement
        first.wait(timeout=10)
    finally:
        _stop(first)
    at_kill = len(delivered())
    assert KILL_AFTER <= at_kill < BATCH, "the worker must die mid-batch"
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("id", flat=True))

    second = _start_worker(env, log, "worker-second")
    try:
        _wait_until(lambda: not SmsMessage.objects.exclude(status=SmsStatus.SENT).exists()
                    and not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY,
                                                                    TaskResultStatus.RUNNING]).exists(),
                    timeout=180, what="the queue to drain", log=log)
    finally:
        _stop(second)

    counts = Counter(delivered())
    duplicates = {message_id: n for message_id, n in counts.items() if n > 1}
    print(f"\nSIGKILL test: queued {BATCH}, delivered before the kill {at_kill}, left RUNNING {len(running)}, "
          f"deliveries {sum(counts.values())}, distinct {len(counts)}, delivered twice {len(duplicates)}")
    assert set(counts) == ids, "every message delivered, and nothing that was not queued"
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == BATCH
    # Only the one message in flight when the worker died can have gone out twice, under its own id both times.
    assert len(duplicates) <= 1 and all(n == 2 for n in duplicates.values())
    assert len(running) <= 1
    for task_id in running:  # the task the dead worker held was run again by the new worker
        row = DBTaskResult.objects.get(id=task_id)
        assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["worker-first", "worker-second"]
    for message_id in duplicates:
        message = SmsMessage.objects.get(pk=message_id)
        assert message.attempts == 2 and message.log.filter(ok=True).count() == 1
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
