"""What every background task shares: enqueue after commit, and bounded retries with exponential backoff.

The queue library runs a task once: an exception marks its result FAILED and that is all. ``retrying`` wraps a
task function so that a failure enqueues the next attempt with ``run_after`` pushed back (30 s, 1 min, 2 min, ...
up to a cap), and the last allowed failure is kept as a ``TaskFailure`` row. Every attempt is a new result row
with its own traceback. Tasks must be idempotent: an attempt may also run twice (a worker that dies after doing
the work but before recording it is run again, see ``core.worker``).

    @task()
    @retrying(attempts=5)
    def sms_deliver(message_id: str) -> str: ...
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from .models import TaskFailure

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


class Cancelled(Exception):
    """The owner asked a task to stop (``core.progress``). Never retried."""


def backoff_delay(attempt: int, *, base: float, cap: float) -> dt.timedelta:
    """The wait before attempt ``attempt + 1``: ``base`` doubled per failed attempt, never more than ``cap``."""
    return dt.timedelta(seconds=min(cap, base * 2 ** (attempt - 1)))


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue once the caller's transaction commits: a rolled-back write must not leave a task behind that acts
    on rows which never existed (or send a text that cannot be recalled). Outside a transaction it enqueues now.
    ``robust``: a queue that cannot be reached does not undo the committed work; callers that must not lose the
    task keep a row that a sweep re-enqueues (``notifications.tasks.sms_requeue_stranded``)."""
    def enqueue() -> None:
        task.enqueue(*args, **kwargs)

    # A named function, not a functools.partial: Django logs a failed robust callback by its ``__qualname__``, which
    # a partial lacks, so a queue lost right after the commit (a database restart) turned into a 500 for a request
    # whose work had committed (found by bench/faults.py).
    enqueue.__qualname__ = f"enqueue_on_commit({getattr(task, 'name', task)!s})"
    transaction.on_commit(enqueue, robust=True)


def _task_for(func: Callable[..., Any]) -> Task[Any, Any]:
    # The @task decorator replaces the module attribute with the Task: that is what the next attempt enqueues.
    found = import_string(f"{func.__module__}.{func.__qualname__}")
    if not isinstance(found, Task):
        raise TypeError(f"{func.__qualname__} must be decorated with @task() above @retrying()")
    return found


def retrying(*, attempts: int = 5, base_delay: float = 30.0, max_delay: float = 3600.0) -> Callable[[F], F]:
    """Retry a task function up to ``attempts`` times in all, with exponential backoff between attempts.

    The wrapped function takes an extra keyword ``attempt`` (1 for the first run) that the retries carry.
    ``Cancelled`` is not retried. Without a backend that can defer (the immediate backend of the tests) the next
    attempt runs at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Cancelled:
                raise
            except Exception as exc:
                task = _task_for(wrapper)
                error = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"[:300]
                if attempt >= attempts:
                    log.error("task %s failed for good after %d attempts: %s", task.module_path, attempt, error)
                    TaskFailure.objects.create(task_path=task.module_path, arguments={"args": list(args), **kwargs},
                                               attempts=attempt, error=error)
                    raise
                if task.get_backend().supports_defer:
                    delay = backoff_delay(attempt, base=base_delay, cap=max_delay)
                    task = task.using(run_after=timezone.now() + delay)
                log.warning("task %s attempt %d failed (%s); retrying", task.module_path, attempt, error)
                task.enqueue(*args, attempt=attempt + 1, **kwargs)
                raise  # this attempt's result row records the failure and its traceback

        return cast(F, wrapper)

    return decorate
