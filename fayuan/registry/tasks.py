"""The registry's background task: import a stored batch, reporting progress; cancellable from the task page."""

from __future__ import annotations

from django_tasks import task

from fayuan.core.background import Cancelled
from fayuan.core.progress import track

from .services import registry_import_run


@task()
def registry_import(*, batch_id: str, progress_id: str | None = None) -> dict[str, object]:
    """Not retried: a failed import is marked failed and re-imported by hand (a second run of the same batch is a
    no-op; the file is imported again as a new batch)."""
    with track(progress_id, label="导入受援对象信息库") as progress:
        def report(done: int, total: int, stage: str) -> None:
            progress.update(done=done, total=total or None, stage=stage)

        try:
            batch = registry_import_run(batch_id=batch_id, on_progress=report)
        except Cancelled:
            raise
        progress.update(done=batch.rows_total, total=batch.rows_total, stage="完成", cancellable=False)
        progress.finish(batch.message or batch.get_status_display())
        return {"batch": batch_id, "status": batch.status}
    return {"cancelled": True}
