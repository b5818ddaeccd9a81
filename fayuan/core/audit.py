"""The audit chain: append (the only way entries are written) and verify.

Every service that writes, and every selector that returns a person's details, calls ``audit_record`` inside its
own transaction, so the record of an action commits or rolls back with the action itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .context import current_meta
from .models import AuditAction, AuditEntry, AuditHead, AuditVerification, VerificationTrigger

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    occurred = entry.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = [
        entry.seq, occurred, entry.actor_id, entry.actor_username, entry.actor_role, entry.action,
        entry.object_type, entry.object_id, entry.detail, entry.purpose, entry.ip_address, entry.prev_hash,
    ]
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry. Locks the chain head so concurrent writers queue instead of forking the chain."""
    if obj is not None:
        object_type, object_id = _describe(obj)
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=head.seq + 1,
        # Truncated to microseconds so the hash input survives the database round trip on every backend.
        occurred_at=timezone.now().astimezone(dt.UTC),
        actor=actor if is_user else None,
        actor_username=actor.get_username() if is_user else "",
        actor_role=(getattr(actor, "role", "") or "") if is_user else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        purpose=purpose[:200],
        ip_address=current_meta().ip_address,
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = compute_hash(entry)
    entry.save(force_insert=True)
    head.seq, head.entry_hash = entry.seq, entry.entry_hash
    head.save(update_fields=["seq", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""


def _entries(batch: int = 2000) -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=batch)


PROGRESS_EVERY = 500


def verify_chain(on_progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the chain from the genesis link; report the first entry whose link or content does not hold.

    ``on_progress(checked)`` is called every few hundred entries (a long run's progress; it may raise to stop)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in _entries():
        if on_progress is not None and checked and checked % PROGRESS_EVERY == 0:
            on_progress(checked)
        if entry.seq != expected_seq:
            return ChainReport(checked, False, expected_seq, f"缺少序号 {expected_seq} 的记录（发现 {entry.seq}）")
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, False, entry.seq, "前一条记录的哈希不匹配（链接被篡改或记录被删除）")
        if compute_hash(entry) != entry.entry_hash:
            return ChainReport(checked, False, entry.seq, "记录内容与其哈希不符（记录被修改）")
        expected_prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != checked or head.entry_hash != expected_prev):
        return ChainReport(checked, False, checked + 1, "链头与最后一条记录不符（末尾记录被删除）")
    return ChainReport(checked, True)


def audit_verification_run(*, actor: Any, trigger: VerificationTrigger | str,
                           on_progress: Callable[[int], None] | None = None) -> AuditVerification:
    """Verify the chain and keep the result (the auditor's page shows the latest run). The check itself is recorded
    in the chain, like the auditor's on-screen check."""
    started = timezone.now()
    report = verify_chain(on_progress=on_progress)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        run = AuditVerification.objects.create(
            started_at=started, finished_at=timezone.now(), checked=report.checked, ok=report.ok,
            broken_seq=report.broken_seq, reason=report.reason[:200], trigger=str(trigger),
            by=actor if is_user else None,
        )
        audit_record(actor=actor, action=AuditAction.READ, obj=run,
                     detail={"verified": report.checked, "ok": report.ok, "trigger": str(trigger)})
    return run


def audit_verification_latest() -> AuditVerification | None:
    return AuditVerification.objects.select_related("by").order_by("-finished_at", "-id").first()
