"""The scheduler enqueues each periodic job once per period, however often (and by however many schedulers) it
runs; the queued jobs run on the worker; run_daily_jobs runs the same jobs at once for operators."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from fayuan.core.models import AuditVerification
from fayuan.jobs.models import JobRun
from fayuan.jobs.schedule import DAILY_JOBS, JOBS
from fayuan.jobs.scheduler import schedule_due_jobs, scheduler_tick

TZ = ZoneInfo("Asia/Shanghai")
ALL = sorted(job.name for job in JOBS)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def test_each_due_job_is_enqueued_once_per_period_even_when_run_twice(db, task_queue):
    assert sorted(schedule_due_jobs(now=at(1, 9))) == ALL
    assert schedule_due_jobs(now=at(1, 9)) == []  # a second scheduler, or a restart
    assert schedule_due_jobs(now=at(1, 9, 0) + dt.timedelta(seconds=59)) == []
    # The sealer's next minute, and the fourth ten minutes of the big scopes' sums.
    assert sorted(schedule_due_jobs(now=at(1, 9, 40))) == ["seal_audit", "sum_big_scopes"]
    assert task_queue.results().count() == len(JOBS) + 2 == JobRun.objects.count()
    assert sorted(schedule_due_jobs(now=at(1, 10))) == ["seal_audit", "send_hour_deadline_reminders",
                                                        "sms_fetch_receipts", "sms_requeue_stranded",
                                                        "sum_big_scopes"]  # next hour
    # Just after midnight: only the jobs whose time of day has come start the new day.
    assert sorted(schedule_due_jobs(now=at(2, 0, 12))) == ["expire_supplements", "seal_audit",
                                                           "send_hour_deadline_reminders", "sms_fetch_receipts",
                                                           "sms_requeue_stranded", "sum_big_scopes"]
    assert sorted(schedule_due_jobs(now=at(2, 0, 30))) == ["lapse_client_choice", "seal_audit", "sum_big_scopes"]
    runs = set(JobRun.objects.values_list("job", "period"))
    assert ("expire_supplements", "2026-12-02") in runs and ("send_deadline_reminders", "2026-12-01") in runs
    assert ("seal_audit", "2026-12-02T00:12:00") in runs
    assert task_queue.results().count() == JobRun.objects.count() == len(JOBS) + 2 + 5 + 6 + 3


def test_the_sealer_runs_every_minute():
    (seal,) = [job for job in JOBS if job.name == "seal_audit"]
    assert seal.period(at(1, 9, 5) + dt.timedelta(seconds=7)).key == "2026-12-01T09:05:00"
    assert seal.period(at(1, 9, 5) + dt.timedelta(seconds=59)).key == "2026-12-01T09:05:00"
    assert seal.period(at(1, 9, 6)).key == "2026-12-01T09:06:00"
    assert seal not in DAILY_JOBS


def test_dated_jobs_treat_their_own_day_and_a_missed_day_is_caught_up_once(db, task_queue):
    # The scheduler was down yesterday evening and starts at 07:00, before today's reminders are due (08:00).
    assert "send_deadline_reminders" in schedule_due_jobs(now=at(3, 7))
    run = JobRun.objects.get(job="send_deadline_reminders")
    assert run.period == "2026-12-02"
    row = task_queue.results().get(id=run.task_id)
    assert row.args_kwargs["kwargs"] == {"on": "2026-12-02"}
    schedule_due_jobs(now=at(3, 7, 30))
    assert JobRun.objects.filter(job="send_deadline_reminders").count() == 1


def test_a_period_another_scheduler_already_took_is_not_enqueued(db, task_queue):
    JobRun.objects.create(job="verify_audit", period="2026-12-01")
    assert "verify_audit" not in schedule_due_jobs(now=at(1, 9))
    assert not task_queue.results().filter(task_path="fayuan.core.tasks.audit_verify").exists()


def test_the_enqueued_jobs_run_on_the_worker(city, task_queue):
    with time_machine.travel(at(1, 9), tick=False):
        recovered, enqueued = scheduler_tick()
        assert (recovered, sorted(enqueued)) == (0, ALL)
        assert task_queue.drain() == len(JOBS)
    assert {r.status for r in task_queue.results()} == {TaskResultStatus.SUCCESSFUL}
    assert AuditVerification.objects.get().ok


def test_run_daily_jobs_runs_every_daily_job_at_once(city, capsys):
    call_command("run_daily_jobs", "--date", "2026-12-01")
    out = capsys.readouterr().out
    assert "每日任务（2026-12-01）" in out
    for job in DAILY_JOBS:
        assert f"{job.name}=" in out
    assert AuditVerification.objects.count() == 1


@pytest.mark.parametrize("verbosity", ["2"])
def test_run_scheduler_once(db, task_queue, capsys, verbosity):
    call_command("run_scheduler", "--once", "--verbosity", verbosity)
    assert "入队" in capsys.readouterr().out
    assert JobRun.objects.count() == len(JOBS)


def test_expired_sign_in_sessions_are_purged_and_live_ones_kept(db, client):
    from django.contrib.sessions.models import Session

    from fayuan.jobs.tasks import purge_expired_sessions

    client.get("/")  # an anonymous visit keeps no session
    session = client.session
    session["seen"] = True
    session.save()  # a live session (signed in or not)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert purge_expired_sessions.call() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [session.session_key]
    assert purge_expired_sessions.call() == 0  # a second run finds nothing


def test_task_records_are_purged_after_a_month(db, task_queue):
    from fayuan.core.models import TaskOutcome, TaskProgress
    from fayuan.jobs.tasks import purge_task_records

    with time_machine.travel(at(1, 9), tick=False):
        schedule_due_jobs()
        task_queue.drain()
        TaskProgress.objects.update(outcome=TaskOutcome.SUCCEEDED, finished_at=at(1, 9))
    with time_machine.travel(at(1, 9) + dt.timedelta(days=29), tick=False):
        assert purge_task_records.call() == 0
    with time_machine.travel(at(1, 9) + dt.timedelta(days=31), tick=False):
        assert purge_task_records.call() == 1 + len(JOBS) + len(JOBS)  # progress, results, runs
    assert not JobRun.objects.exists() and not task_queue.results().exists()
