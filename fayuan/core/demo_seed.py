"""How far the demo seeder's background stage has got, for the banner on the home pages (``make run``).

The record is a ``TaskProgress`` row without an owner, labelled ``LABEL``, rather than a model of the demo app or a
file under ``var/``: the home pages sit on low floors (the portal, accounts) and may not import the demo app (the top
floor), while ``core`` is below everything; the row lives in the database it describes, so it goes with that
database (a ``make demo-reset``, a copied file, PostgreSQL) where a file beside it could tell of another one; and
the table exists already, so no migration. Ownerless rows never show on ``/office/tasks/<id>/`` (owner only).

Progress is in percent (``total`` is 100). The replayed history runs from ``HISTORY_FROM`` to ``HISTORY_DONE``: a
run stopped below ``HISTORY_DONE`` with cases in the database left a partial history that cannot be resumed (the
seeder never replays into a database that has cases).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .models import TaskOutcome, TaskProgress

LABEL = "演示数据生成"
HISTORY_FROM = 5  # persons registered
HISTORY_DONE = 90  # the replayed year is complete; the rest (duty, quality, subsidies, ...) follows
# The banner polls every few seconds while the seeder runs; once it is done the answer is empty and the banner goes.
POLL_SECONDS = 3
RESET_HINT = "请按 Ctrl-C 停止 make run，再运行 make demo-reset（删除本机演示数据库并重新生成，网站随即重新启动）。"

__all__ = ["HISTORY_DONE", "HISTORY_FROM", "LABEL", "RESET_HINT", "demo_seed_banner", "demo_seed_context",
           "demo_seed_finish", "demo_seed_latest", "demo_seed_start", "demo_seed_update", "history_cut_short"]


def demo_seed_latest() -> TaskProgress | None:
    return TaskProgress.objects.filter(owner__isnull=True, label=LABEL).order_by("-created_at").first()


def demo_seed_banner() -> TaskProgress | None:
    """The row the home pages show: running, or stopped short. ``None`` once it succeeded, and always in
    production (the seeder refuses to run there), where it costs no query."""
    if settings.IS_PRODUCTION:
        return None
    row = demo_seed_latest()
    return None if row is None or row.outcome == TaskOutcome.SUCCEEDED else row


def demo_seed_context() -> dict[str, object]:
    """For a home page that shows the banner with ``{% include "core/_demo_seed.html" %}``."""
    return {"demo_seed": demo_seed_banner(), "demo_seed_poll": POLL_SECONDS}


def history_cut_short(row: TaskProgress | None) -> bool:
    """A run that stopped inside the replayed history (the caller checks that cases exist)."""
    return row is not None and row.outcome != TaskOutcome.SUCCEEDED and (row.done or 0) < HISTORY_DONE


def demo_seed_start(row: TaskProgress | None = None) -> TaskProgress:
    """A new row, or the given one again (a run that stopped after the history goes on from where it was)."""
    now = timezone.now()
    if row is None:
        return TaskProgress.objects.create(label=LABEL, total=100, outcome=TaskOutcome.RUNNING, started_at=now,
                                           updated_at=now, stage="准备")
    _write(row, outcome=TaskOutcome.RUNNING, updated_at=now, finished_at=None, message="")
    return row


def demo_seed_update(row: TaskProgress, *, done: int, stage: str | None = None) -> None:
    """One short UPDATE, committed at once (the seeder calls it outside its transactions)."""
    fields: dict[str, object] = {"done": max(0, min(done, 100)), "updated_at": timezone.now()}
    if stage is not None:
        fields["stage"] = stage[:120]
    _write(row, **fields)


def demo_seed_finish(row: TaskProgress, *, outcome: TaskOutcome, message: str = "") -> None:
    now = timezone.now()
    fields: dict[str, object] = {"outcome": outcome, "finished_at": now, "updated_at": now, "message": message[:300]}
    if outcome == TaskOutcome.SUCCEEDED:
        fields["done"] = 100
    _write(row, **fields)


def _write(row: TaskProgress, **fields: object) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
    TaskProgress.objects.filter(pk=row.pk).update(**fields)
