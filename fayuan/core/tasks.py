"""Background tasks of the core: sealing the audit log (every minute), exporting its latest seal (daily), and the
audit-chain check (daily from the scheduler, or started by an auditor), and the yearly partitions kept ahead."""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from .audit import audit_seal, audit_seal_export, audit_verification_run
from .background import retrying
from .models import AuditEntry, TaskProgress, VerificationTrigger
from .partitions import partition_ensure, partition_rearchive
from .progress import track

log = logging.getLogger(__name__)


@task()
def audit_seal_settled() -> dict[str, int]:
    """Seal what has committed since the last run. Not retried: the next minute's run picks up where this stopped."""
    seals = audit_seal()
    return {"seals": len(seals), "through": seals[-1].last_seq if seals else 0}


@task()
@retrying(attempts=3, base_delay=300)
def audit_seal_export_daily() -> dict[str, object]:
    """Append the latest seal to the auditor's file (``AUDIT_SEAL_EXPORT_PATH``)."""
    export = audit_seal_export()
    return {"exported": export.record["seal"] if export else None}


def _export_to_compare() -> str | None:
    """The export file, when this process can read it: the daily check then also compares the seals with it (the
    auditor's own copy stays the one that counts; docs/audit.md)."""
    path = settings.AUDIT_SEAL_EXPORT_PATH
    return str(path) if os.access(path, os.R_OK) else None


@task()
@retrying(attempts=3, base_delay=300)
def audit_verify(*, trigger: str = VerificationTrigger.SCHEDULED, progress_id: str | None = None) -> dict[str, object]:
    """Walk the whole chain, reporting progress, and record the result. Safe to run again: each run is one more
    row. Cancelled runs record nothing."""
    with track(progress_id, label="校验审计哈希链") as progress:
        owner_id = TaskProgress.objects.filter(pk=progress.id).values_list("owner_id", flat=True).first()
        actor = get_user_model().objects.filter(pk=owner_id).first() if owner_id else None
        total = AuditEntry.objects.count()
        progress.update(done=0, total=total, stage="逐条校验哈希")
        run = audit_verification_run(actor=actor, trigger=trigger, against=_export_to_compare(),
                                     on_progress=lambda checked: progress.update(done=checked, total=total))
        progress.update(done=run.checked, total=max(total, run.checked), stage="完成", cancellable=False)
        if run.ok:
            progress.finish(f"审计链完整：已校验 {run.checked} 条记录。")
        else:
            progress.finish(f"审计链在第 {run.broken_seq} 条处断裂：{run.reason}")
        return {"checked": run.checked, "ok": run.ok, "verification": run.pk}
    return {"cancelled": True}


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def ensure_partitions() -> dict[str, object]:
    """Next years' partitions of the tables split by year, and old years out of the DEFAULT partition (PostgreSQL;
    nothing on SQLite). A year that cannot be split out is logged, not retried: it needs a person."""
    made, problems = partition_ensure()
    for problem in problems:
        log.warning("partitions: %s", problem)
    return {"made": made, "problems": problems}


@task(priority=-10)
@retrying(attempts=3, base_delay=300)
def rearchive_frozen_partitions() -> list[str]:
    """New archive files for the frozen years that the night's anonymization changed (after it, before the dump)."""
    return partition_rearchive()
