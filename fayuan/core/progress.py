"""Progress and cancellation of long tasks.

The caller (a view) makes a ``TaskProgress`` row for its user and passes its id to the task; the task wraps its work
in ``track`` and calls ``progress.update(done=, total=, stage=)`` as it goes. ``update`` raises ``Cancelled`` once the
owner has asked to stop; ``track`` then records the task as cancelled, so the task only needs to stop cleanly (let
the exception pass, or catch it to tidy up). A task started by the scheduler gets a row without an owner.

    with track(progress_id, label="校验审计链") as progress:
        for i, item in enumerate(items, 1):
            ...
            progress.update(done=i, total=len(items))
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from .background import Cancelled
from .errors import NotFoundOrForbidden
from .models import TaskOutcome, TaskProgress

__all__ = ["Cancelled", "Progress", "task_progress_cancel", "task_progress_get_for_user", "task_progress_start",
           "track"]


@transaction.atomic
def task_progress_start(*, owner: Any, label: str) -> TaskProgress:
    """A progress row for a task about to be enqueued; its id is what the page polls."""
    return TaskProgress.objects.create(owner=owner if getattr(owner, "is_authenticated", False) else None,
                                       label=label[:120])


def task_progress_get_for_user(user: Any, progress_id: uuid.UUID | str) -> TaskProgress:
    """The user's own task: anyone else's (and a scheduled run's) looks exactly like a missing one."""
    row = TaskProgress.objects.filter(pk=progress_id, owner=user).first() if user.is_authenticated else None
    if row is None:
        raise NotFoundOrForbidden()
    return row


@transaction.atomic
def task_progress_cancel(*, actor: Any, progress_id: uuid.UUID | str) -> TaskProgress:
    """Ask the owner's own task to stop; it stops at its next ``update``. Asking twice, or after it finished, is
    harmless."""
    row = TaskProgress.objects.select_for_update().filter(pk=progress_id, owner=actor).first()
    if row is None:
        raise NotFoundOrForbidden()
    if not row.is_finished and row.cancel_requested_at is None:
        row.cancel_requested_at = timezone.now()
        row.save(update_fields=["cancel_requested_at"])
    return row


class Progress:
    """The task's handle on its row. Each call is one short UPDATE (committed at once: the task runs outside a
    transaction) and one read of the cancel flag."""

    def __init__(self, row: TaskProgress) -> None:
        self.row = row

    @property
    def id(self) -> uuid.UUID:
        return self.row.pk

    def _write(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.row, name, value)
        TaskProgress.objects.filter(pk=self.row.pk).update(**fields)

    def check_cancelled(self) -> None:
        if TaskProgress.objects.filter(pk=self.row.pk, cancel_requested_at__isnull=False).exists():
            raise Cancelled()

    def update(self, *, done: int, total: int | None = None, stage: str | None = None,
               cancellable: bool = True) -> None:
        """Record how far the task got; then stop it (``Cancelled``) if its owner asked, unless the work is already
        done and recorded (``cancellable=False`` for the last update)."""
        fields: dict[str, Any] = {"done": max(0, done), "updated_at": timezone.now()}
        if total is not None:
            fields["total"] = max(0, total)
        if stage is not None:
            fields["stage"] = stage[:120]
        self._write(**fields)
        if cancellable:
            self.check_cancelled()

    def finish(self, message: str) -> None:
        """The one-line result the page shows when the task is done."""
        self.row.message = message[:300]


class track:  # lower case: used like a function, ``with track(...) as progress``
    """Run a task's work against its progress row (made here when the task was started without one).

    Ends the row as succeeded, failed (the exception goes on, to be retried) or cancelled (``Cancelled`` stops here:
    the task returns normally). A task cancelled while still queued stops at its first ``update``.
    """

    def __init__(self, progress_id: uuid.UUID | str | None, *, label: str) -> None:
        self.progress_id, self.label = progress_id, label

    def __enter__(self) -> Progress:
        row = TaskProgress.objects.filter(pk=self.progress_id).first() if self.progress_id else None
        if row is None:
            row = TaskProgress.objects.create(label=self.label[:120])
        self.progress = Progress(row)
        now = timezone.now()
        # A retry or a rerun after a crash starts the same row again from wherever it left off.
        self.progress._write(outcome=TaskOutcome.RUNNING, started_at=row.started_at or now, updated_at=now,
                             finished_at=None)
        return self.progress

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
        now = timezone.now()
        if exc_type is None:
            self.progress._write(outcome=TaskOutcome.SUCCEEDED, finished_at=now, message=self.progress.row.message)
            return False
        if issubclass(exc_type, Cancelled):
            self.progress._write(outcome=TaskOutcome.CANCELLED, finished_at=now, message="已按要求取消。")
            return True
        self.progress._write(outcome=TaskOutcome.FAILED, finished_at=now, message="任务出错。")
        return False
