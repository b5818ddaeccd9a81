"""Every write of the registry: starting an import (the upload page and ``manage.py import_registry``), running it
(the background task, or the command in the foreground), editing a source's column mapping, and the audited query
of one person's records.

One audit entry per batch (the file's SHA-256 and its row counts), never one per row. A file refused as a whole
changes nothing: the batch row records the refusal and its reason, nothing else is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.background import Cancelled, enqueue_on_commit
from fayuan.core.crypto import lookup_hash
from fayuan.core.errors import NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.progress import task_progress_start
from fayuan.core.transactions import atomic_service
from fayuan.core.uploads import delete_on_rollback
from fayuan.people import idnumber

from . import formats
from .importer import Counts, import_file
from .models import BatchStatus, RegistryBatch, RegistryRecord, RegistrySource
from .rows import mapping_problems
from .selectors import REGISTRY_MANAGERS, REGISTRY_QUERY_ROLES

Progress = Callable[[int, int, str], None]
STALE_RUNNING = dt.timedelta(hours=6)


def _limits() -> dict[str, int]:
    return {"spreadsheet_max": settings.REGISTRY_SPREADSHEET_MAX_BYTES, "csv_max": settings.REGISTRY_CSV_MAX_BYTES}


def _check_manager(actor: User | None) -> None:
    # None: the server's operator at the command line (manage.py import_registry) or the demo seed.
    if actor is not None and actor.role not in REGISTRY_MANAGERS:
        raise PermissionDenied("只有司法局监管人员和中心主任可以导入受援对象信息库。")


def _digest(upload: File) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@atomic_service
def registry_batch_create(*, actor: User | None, source_code: str, upload: File, name: str) -> RegistryBatch:
    """Store an agency's file as a queued batch. The quick checks (type, size, empty) refuse it here, before
    anything is stored; the full checks run in the import."""
    _check_manager(actor)
    source = RegistrySource.objects.filter(code=source_code).first()
    if source is None:
        raise ValidationFailed(f"没有代码为“{source_code}”的数据来源。", field="source")
    name = Path(name).name[:200]
    try:
        kind = formats.file_kind(name)
        formats.check_size(kind, upload.size or 0, **_limits())
    except formats.FileRejected as exc:
        raise ValidationFailed(exc.message, field="file") from None
    batch = RegistryBatch.objects.create(source=source, original_name=name, size=upload.size or 0,
                                         sha256=_digest(upload), uploaded_by=actor)
    batch.file.save(f"{batch.public_id}.{kind}", upload, save=True)
    delete_on_rollback(batch.file.storage, batch.file.name)
    return batch


@atomic_service
def registry_import_start(*, actor: User, source_code: str, upload: File, name: str) -> RegistryBatch:
    """The upload page: store the file and import it in the background; the owner follows it on the task page
    (progress bar, cancel)."""
    batch = registry_batch_create(actor=actor, source_code=source_code, upload=upload, name=name)
    progress = task_progress_start(owner=actor, label=f"导入受援对象信息库：{batch.source.name}")
    batch.progress_id = progress.pk
    batch.save(update_fields=["progress_id"])
    from .tasks import registry_import  # the task module imports this one

    enqueue_on_commit(registry_import, batch_id=str(batch.public_id), progress_id=str(progress.pk))
    return batch


def _finish(batch: RegistryBatch, status: str, message: str, counts: Counts | None) -> None:
    batch.status, batch.message, batch.finished_at = status, message[:300], timezone.now()
    fields = ["status", "message", "finished_at"]
    if counts is not None:
        batch.rows_total, batch.rows_invalid = counts.rows, counts.invalid
        batch.added, batch.updated, batch.expired, batch.unchanged = (counts.added, counts.updated, counts.expired,
                                                                       counts.unchanged)
        fields += ["rows_total", "rows_invalid", "added", "updated", "expired", "unchanged"]
    # The agency's file lists ID numbers in clear: once the batch has ended it has no further use (a stopped import is
    # finished by uploading the file again), so it is not kept. The digest and the counts remain.
    if batch.file:
        batch.file.delete(save=False)
        fields.append("file")
    batch.save(update_fields=fields)
    # The one audit entry of the batch: what file, what it did.
    audit_record(actor=batch.uploaded_by, action=AuditAction.CREATE, obj=batch, detail={
        "source": batch.source.code, "sha256": batch.sha256, "status": status, "rows": batch.rows_total,
        "invalid": batch.rows_invalid, "added": batch.added, "updated": batch.updated, "expired": batch.expired,
        "unchanged": batch.unchanged})


def summary(batch: RegistryBatch) -> str:
    return (f"共 {batch.rows_total} 行：新增 {batch.added}，更新 {batch.updated}，失效 {batch.expired}，"
            f"未变 {batch.unchanged}，错误 {batch.rows_invalid} 行。")


def registry_import_run(*, batch_id: uuid.UUID | str, on_progress: Progress | None = None,
                        day: dt.date | None = None) -> RegistryBatch:
    """Import a stored batch (the task and the command call this). Runs outside a transaction: each chunk commits
    on its own, so progress is visible and memory flat. ``on_progress`` may raise ``Cancelled``."""
    batch = RegistryBatch.objects.select_related("source", "uploaded_by").get(public_id=batch_id)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        return batch  # a task run twice: the first run finished it
    day = day or timezone.localdate()
    if not _claim(batch, day):
        _finish(batch, BatchStatus.REJECTED, "该数据来源的另一个文件正在导入：请待其完成后再导入本文件。", None)
        return batch
    batch.effective_on = day
    counts = Counts()

    def report(done: int, total: int, stage: str) -> None:
        if on_progress is not None:
            on_progress(done, total, stage)

    try:
        counts = import_file(batch, Path(batch.file.path), day=day, on_progress=report)
    except formats.FileRejected as exc:
        _finish(batch, BatchStatus.REJECTED, exc.message, None)
    except Cancelled:
        _finish(batch, BatchStatus.CANCELLED, "已按要求取消：已写入的部分保留（含历史），未作失效处理；"
                "重新导入该文件即可完成。", _partial(batch))
        raise
    except Exception:
        _finish(batch, BatchStatus.FAILED, "导入出错，已写入的部分保留；请重新导入该文件。", _partial(batch))
        raise
    else:
        batch.status = BatchStatus.SUCCEEDED
        _finish(batch, BatchStatus.SUCCEEDED, "", counts)
        batch.message = summary(batch)
        batch.save(update_fields=["message"])
    return batch


def _claim(batch: RegistryBatch, day: dt.date) -> bool:
    """One import per source at a time: two snapshots of one source applied at once would each expire what the
    other adds (and race on inserting the same person). The source row's lock makes the check and the claim one
    step; a batch left running by a dead worker stops blocking after ``STALE_RUNNING``."""
    with transaction.atomic():
        RegistrySource.objects.select_for_update().filter(pk=batch.source_id).first()
        busy = RegistryBatch.objects.filter(source_id=batch.source_id, status=BatchStatus.RUNNING,
                                            started_at__gt=timezone.now() - STALE_RUNNING).exclude(pk=batch.pk)
        if busy.exists():
            return False
        RegistryBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, started_at=timezone.now(),
                                                         effective_on=day)
    return True


def _partial(batch: RegistryBatch) -> Counts:
    """What a stopped batch did, counted from its own rows."""
    from .models import RegistryRecordVersion, RegistryRowError

    return Counts(rows=0, invalid=RegistryRowError.objects.filter(batch=batch).values("row").distinct().count(),
                  added=RegistryRecord.objects.filter(created_batch=batch).count(),
                  updated=RegistryRecordVersion.objects.filter(batch=batch).count())


@atomic_service
def registry_source_update(*, actor: User, code: str, column_map: dict[str, Any], category_map: dict[str, Any],
                           default_category: str, date_formats: list[str]) -> RegistrySource:
    """Change a source's saved mapping (when an agency changes its file layout)."""
    _check_manager(actor)
    source = RegistrySource.objects.select_for_update().filter(code=code).first()
    if source is None:
        raise NotFoundOrForbidden()
    column_map = {str(k).strip(): str(v).strip() for k, v in column_map.items() if str(v).strip()}
    category_map = {str(k).strip(): str(v).strip() for k, v in category_map.items() if str(k).strip()}
    date_formats = [str(f).strip() for f in date_formats if str(f).strip()]
    problems = mapping_problems(column_map, category_map, default_category, date_formats)
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field)
    changed = [name for name, value in (("column_map", column_map), ("category_map", category_map),
                                        ("default_category", default_category), ("date_formats", date_formats))
               if getattr(source, name) != value]
    source.column_map, source.category_map = column_map, category_map
    source.default_category, source.date_formats = default_category, date_formats
    source.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=source, detail={"fields": changed})
    return source


@atomic_service
def registry_query(*, actor: User, id_number: str, purpose: str) -> list[RegistryRecord]:
    """One person's records in every source, current and past (masked), for staff checking an application. Each
    query is audited with its purpose; the number itself is never logged (its keyed hash identifies the query)."""
    if actor.role not in REGISTRY_QUERY_ROLES:
        raise PermissionDenied("您的角色不能查询受援对象信息库。")
    purpose = purpose.strip()
    if len(purpose) < 2:
        raise ValidationFailed("请写明查询目的（例如：审查某申请人的经济困难状况）。", field="purpose")
    try:
        number = idnumber.parse(id_number).value
    except idnumber.InvalidIdNumber as exc:
        raise ValidationFailed(exc.message, field="id_number") from None
    id_hash = lookup_hash(number)
    records = list(RegistryRecord.objects.filter(id_hash=id_hash).select_related("source", "changed_batch")
                   .prefetch_related("versions__batch").order_by("source__code", "category"))
    audit_record(actor=actor, action=AuditAction.READ, object_type="registry.person", object_id=id_hash[:16],
                 detail={"records": len(records)}, purpose=purpose[:200])
    return records
