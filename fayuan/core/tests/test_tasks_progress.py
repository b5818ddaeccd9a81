"""The daily audit check as a task: progress, cancellation, its recorded result on the auditor's page; and the
progress page, which only the task's owner can see."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core import audit
from fayuan.core.audit import audit_record
from fayuan.core.models import (
    AuditAction,
    AuditEntry,
    AuditVerification,
    TaskOutcome,
    TaskProgress,
    VerificationTrigger,
)
from fayuan.core.progress import Progress, task_progress_cancel, task_progress_start
from fayuan.core.tasks import audit_verify

from .test_audit import _disable_append_only_guard


def _entries(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id=str(i))


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_scheduled_check_records_its_result_and_reports_progress(city):
    entries = audit.AuditEntry.objects.count()
    result = audit_verify.call()
    run = AuditVerification.objects.get()
    assert (run.ok, run.checked, run.trigger, run.by) == (True, entries, VerificationTrigger.SCHEDULED, None)
    assert result == {"checked": entries, "ok": True, "verification": run.pk}
    progress = TaskProgress.objects.get()  # a scheduled run has a row, without an owner (and so without a page)
    assert (progress.owner, progress.outcome, progress.done, progress.total) == (
        None, TaskOutcome.SUCCEEDED, entries, entries)
    assert progress.message == f"审计链完整：已校验 {entries} 条记录。"


def test_an_auditor_starts_a_background_check_and_polls_it(city, django_capture_on_commit_callbacks):
    auditor = city.user("auditor")
    client = _client(auditor)
    with django_capture_on_commit_callbacks(execute=True):  # enqueued after commit
        response = client.post(reverse("audit:verify_start"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    progress = TaskProgress.objects.get(owner=auditor)
    # The tests' immediate backend ran it already: the panel says so and stops polling.
    assert progress.outcome == TaskOutcome.SUCCEEDED
    page = client.get(reverse("tasks:progress", args=[progress.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已完成" in page and "审计链完整" in page and "hx-trigger" not in page
    run = AuditVerification.objects.get()
    assert (run.trigger, run.by) == (VerificationTrigger.AUDITOR, auditor)
    assert client.post(reverse("audit:verify_start")).status_code == 302  # without htmx: to the progress page


def test_a_running_task_polls_and_can_be_cancelled_by_its_owner_only(city):
    reviewer, other = city.user("reviewer_a"), city.user("reviewer_b")
    progress = task_progress_start(owner=reviewer, label="导入登记册")
    url = reverse("tasks:progress", args=[progress.pk])
    cancel = reverse("tasks:cancel", args=[progress.pk])
    panel = _client(reviewer).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in panel and "取消任务" in panel and "<html" not in panel
    assert "<html" in _client(reviewer).get(url).content.decode()
    # Someone else's task does not exist for them, whether they look or try to cancel it.
    assert _client(other).get(url).status_code == 404
    assert _client(other).post(cancel).status_code == 404
    assert _client(city.user("auditor")).get(url).status_code == 404
    progress.refresh_from_db()
    assert progress.cancel_requested_at is None
    response = _client(reviewer).post(cancel, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已请求取消" in response.content.decode()
    progress.refresh_from_db()
    assert progress.cancel_requested_at is not None


def test_cancelling_stops_the_check_midway_and_records_no_result(city, monkeypatch):
    auditor = city.user("auditor")
    _entries(10)
    monkeypatch.setattr(audit, "PROGRESS_EVERY", 2)
    progress = task_progress_start(owner=auditor, label="校验审计哈希链")
    real_update = Progress.update
    seen: list[int] = []

    def update_then_owner_cancels(self: Progress, *, done: int, **kwargs: Any) -> None:
        seen.append(done)
        if done == 4:  # the auditor presses 取消 while the task is at entry 4
            task_progress_cancel(actor=auditor, progress_id=progress.pk)
        real_update(self, done=done, **kwargs)

    monkeypatch.setattr(Progress, "update", update_then_owner_cancels)
    assert audit_verify.call(trigger="auditor", progress_id=str(progress.pk)) == {"cancelled": True}
    progress.refresh_from_db()
    assert progress.outcome == TaskOutcome.CANCELLED and progress.done == 4 and progress.finished_at is not None
    assert seen == [0, 2, 4]  # it stopped at the first update after the request
    assert not AuditVerification.objects.exists()


def test_a_task_cancelled_while_queued_does_nothing(city):
    auditor = city.user("auditor")
    progress = task_progress_start(owner=auditor, label="校验审计哈希链")
    task_progress_cancel(actor=auditor, progress_id=progress.pk)
    audit_verify.call(progress_id=str(progress.pk))
    progress.refresh_from_db()
    assert progress.outcome == TaskOutcome.CANCELLED and progress.done == 0
    assert not AuditVerification.objects.exists()


def test_the_auditors_page_shows_the_last_run_prominently_when_broken(city):
    auditor_page = reverse("audit:list")
    client = _client(city.user("auditor"))
    assert "尚无哈希链校验记录" in client.get(auditor_page).content.decode()
    audit_verify.call()
    html = client.get(auditor_page).content.decode()
    assert "审计链完整" in html and "alert-danger" not in html
    third = AuditEntry.objects.order_by("seq").values_list("seq", flat=True)[2]  # numbers need not start at 1
    _disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_id = %s WHERE seq = %s", ["tampered", third])
    audit_verify.call()
    run = AuditVerification.objects.latest("finished_at")
    assert (run.ok, run.broken_seq) == (False, third)
    html = client.get(auditor_page).content.decode()
    assert "alert-danger" in html and "审计链已断裂" in html and f"第 <strong>{third}</strong> 条" in html


@pytest.mark.parametrize("trigger", [VerificationTrigger.COMMAND])
def test_the_command_records_its_run_too(city, trigger):
    from django.core.management import call_command

    call_command("verify_audit")
    assert AuditVerification.objects.get().trigger == trigger
