"""Enqueue each periodic job once per period, and put back the tasks of workers that died.

Idempotent by a unique row per job and period (``JobRun``): the row and the queued task are written in one
transaction (the database queue lives in the same database), so either both exist or neither; a second
scheduler, or a restart, finds the row and enqueues nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.core.worker import tasks_recover_orphans

from .models import JobRun
from .schedule import JOBS, PeriodicJob

log = logging.getLogger(__name__)


def _enqueue_once(job: PeriodicJob, now: dt.datetime) -> bool:
    period = job.period(now)
    try:
        with transaction.atomic():
            run, created = JobRun.objects.get_or_create(job=job.name, period=period.key)
            if not created:
                return False
            result = job.task.enqueue(**job.kwargs(period))
            run.task_id = str(result.id)[:64]
            run.save(update_fields=["task_id"])
    except IntegrityError:  # another scheduler took this period a moment ago
        return False
    log.info("enqueued %s for %s", job.name, period.key)
    return True


def schedule_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current period has no run yet. Returns the names of the jobs enqueued."""
    now = now or timezone.now()
    return [job.name for job in JOBS if _enqueue_once(job, now)]


def scheduler_tick(*, now: dt.datetime | None = None) -> tuple[int, list[str]]:
    """One pass of ``run_scheduler``: recover orphaned tasks (so they run again even when every worker restarted
    at once), then enqueue what is due."""
    return tasks_recover_orphans(now=now), schedule_due_jobs(now=now)
