"""Generic audited writes for master data maintained in the Django admin (organisation, rule tables)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from fayuan.core.audit import audit_record
from fayuan.core.background import enqueue_on_commit
from fayuan.core.models import AuditAction, TaskProgress, VerificationTrigger
from fayuan.core.progress import task_progress_start
from fayuan.core.tasks import audit_verify


@transaction.atomic
def masterdata_save(*, actor: Any, obj: models.Model, changed_fields: Iterable[str], created: bool) -> models.Model:
    obj.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=obj,
        detail={"fields": sorted(changed_fields)},
    )
    return obj


@transaction.atomic
def masterdata_delete(*, actor: Any, obj: models.Model) -> None:
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    obj.delete()
    audit_record(actor=actor, action=AuditAction.DELETE, object_type=object_type, object_id=object_id)


@transaction.atomic
def audit_verification_start(*, actor: Any) -> TaskProgress:
    """An auditor starts a full check of the chain in the background; the returned row is what their page polls."""
    progress = task_progress_start(owner=actor, label="校验审计哈希链")
    enqueue_on_commit(audit_verify, trigger=VerificationTrigger.AUDITOR.value, progress_id=str(progress.pk))
    return progress
