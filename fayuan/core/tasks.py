"""Background tasks of the core: the audit-chain check (daily from the scheduler, or started by an auditor)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from .audit import audit_verification_run
from .background import retrying
from .models import AuditEntry, TaskProgress, VerificationTrigger
from .progress import track


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
        run = audit_verification_run(actor=actor, trigger=trigger,
                                     on_progress=lambda checked: progress.update(done=checked, total=total))
        progress.update(done=run.checked, total=max(total, run.checked), stage="完成", cancellable=False)
        if run.ok:
            progress.finish(f"审计链完整：已校验 {run.checked} 条记录。")
        else:
            progress.finish(f"审计链在第 {run.broken_seq} 条处断裂：{run.reason}")
        return {"checked": run.checked, "ok": run.ok, "verification": run.pk}
    return {"cancelled": True}
