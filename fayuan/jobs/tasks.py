"""The periodic jobs as tasks: each calls one app's service for its period. All are idempotent for their period
(expiry and lapse are state changes, reminders are recorded per day, purges delete what is already gone), so a
second run, a retry, or a rerun after a worker died does no harm."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from fayuan.cases.services import client_choice_expire, supplement_expire_overdue
from fayuan.core.background import retrying
from fayuan.core.models import TaskOutcome, TaskProgress
from fayuan.core.uploads import purge_orphan_uploads
from fayuan.deadlines.services import deadline_send_hour_reminders, deadline_send_reminders
from fayuan.portal.services import draft_purge_stale, otp_purge
from fayuan.privacy.services import anonymize_expired

from .models import JobRun

OTP_KEPT = dt.timedelta(days=1)
DRAFTS_KEPT = dt.timedelta(days=90)
TASK_RECORDS_KEPT = dt.timedelta(days=30)


@task(priority=-10)
@retrying(attempts=5, base_delay=120)
def expire_supplements(*, on: str) -> int:
    """Art. 43: an application whose supplement request went unanswered by its deadline counts as withdrawn."""
    return supplement_expire_overdue(on=dt.date.fromisoformat(on))


@task(priority=-10)
@retrying(attempts=5, base_delay=120)
def lapse_client_choice(*, on: str) -> int:
    """点援制: where the recipient did not choose within the window, assign by rotation."""
    return int(client_choice_expire(on=dt.date.fromisoformat(on))["assigned"])


@task(priority=-10)
@retrying(attempts=5, base_delay=120)
def send_deadline_reminders(*, on: str) -> int:
    return deadline_send_reminders(on=dt.date.fromisoformat(on))


@task(priority=-10)
@retrying(attempts=3, base_delay=120)
def send_hour_deadline_reminders() -> int:
    return deadline_send_hour_reminders(at=timezone.now())


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def purge_sign_in_codes() -> int:
    return otp_purge(before=timezone.now() - OTP_KEPT)


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def purge_expired_sessions() -> int:
    """Sign-in sessions past their expiry (8 hours for the office; a browser closed without signing out leaves its
    row). Django's database sessions are removed only by ``clearsessions``: without this the table grows by every
    sign-in of every staff member and applicant, for ever, and every request reads it. The engine's own
    ``clear_expired`` for a store without rows (cookies, cache: they expire by themselves)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        store.clear_expired()
        return 0
    deleted, _ = store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()
    return int(deleted)


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def purge_stale_drafts() -> int:
    return draft_purge_stale(before=timezone.now() - DRAFTS_KEPT)


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def purge_orphan_upload_files() -> int:
    """Files no row references (drafts purged above, uploads of rolled-back transactions), older than an hour."""
    return len(purge_orphan_uploads())


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def purge_task_records() -> int:
    """Finished progress rows, the queue's finished result rows and the scheduler's past periods after a month
    (``TaskFailure`` rows stay, and the messages' own rows are the record of what was sent). The scheduler only
    ever looks at the current period, so old ``JobRun`` rows are of no further use."""
    before = timezone.now() - TASK_RECORDS_KEPT
    finished = [TaskOutcome.SUCCEEDED, TaskOutcome.FAILED, TaskOutcome.CANCELLED]
    progress, _ = TaskProgress.objects.filter(outcome__in=finished, finished_at__lt=before).delete()
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    runs, _ = JobRun.objects.filter(enqueued_at__lt=before).delete()
    return progress + results + runs


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def anonymize_expired_cases(*, on: str) -> dict[str, int]:
    """Retention: archived cases past their retention date, rights notifications and duty help records past the
    same period, and then their people, are anonymized."""
    return anonymize_expired(on=dt.date.fromisoformat(on))
