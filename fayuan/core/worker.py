"""Workers that die are noticed: leases, and the recovery of the tasks they left RUNNING.

The queue library (django-tasks-db) claims a task by setting it RUNNING in a short transaction and then runs it
outside any transaction; if the worker process dies there (SIGKILL, a crash, a lost machine) nothing ever puts the
task back: it stays RUNNING for good. So each worker holds a lease (``WorkerLease``), renews it every quarter of
``TASKS_WORKER_LEASE_SECONDS`` from a thread (a long task does not stop the renewals), and every worker and the
scheduler periodically put back in the queue the RUNNING tasks whose worker's lease has lapsed. The task then runs
again, on whichever worker claims it first: hence tasks are idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerLease

log = logging.getLogger(__name__)


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASKS_WORKER_LEASE_SECONDS)


def worker_lease_renew(*, worker_id: str) -> None:
    now = timezone.now()
    if not WorkerLease.objects.filter(worker_id=worker_id).update(renewed_at=now):
        WorkerLease.objects.create(worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(),
                                   started_at=now, renewed_at=now)


def worker_lease_release(*, worker_id: str) -> None:
    """A worker that stops cleanly gives its lease back, so a task it was forced to drop is recovered at once."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def tasks_recover_orphans(*, now: dt.datetime | None = None) -> int:
    """Put back in the queue every RUNNING task whose worker holds no live lease. Returns how many.

    The update is conditional on the row still being RUNNING under the same workers, so a worker finishing the
    task at that moment, or another recoverer, wins or loses cleanly.
    """
    now = now or timezone.now()
    live = set(WorkerLease.objects.filter(renewed_at__gte=now - lease_length()).values_list("worker_id", flat=True))
    recovered = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "task_path"):
        if row.worker_ids and row.worker_ids[-1] in live:
            continue
        with transaction.atomic():
            updated = (DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING)
                       .filter(worker_ids=row.worker_ids).update(status=TaskResultStatus.READY))
        if updated:
            recovered += 1
            log.warning("task %s (%s) was left RUNNING by worker %s, whose lease lapsed: queued again",
                        row.id, row.task_path, (row.worker_ids or ["?"])[-1])
    # Leases of workers long gone are of no further use.
    WorkerLease.objects.filter(renewed_at__lt=now - dt.timedelta(days=1)).delete()
    return recovered


class LeaseKeeper(threading.Thread):
    """Renews the worker's lease and recovers other workers' orphans, on its own database connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"lease-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        beat = max(0.2, settings.TASKS_WORKER_LEASE_SECONDS / 4)
        beats = 0
        try:
            while not self.stopped.wait(beat):
                beats += 1
                try:
                    worker_lease_renew(worker_id=self.worker_id)
                    if beats % 2 == 0:  # every half lease
                        tasks_recover_orphans()
                except Exception:
                    # A database blip: the next beat tries again (the lease is four beats long).
                    log.exception("worker %s could not renew its lease", self.worker_id)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
