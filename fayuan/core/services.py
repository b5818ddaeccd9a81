"""Generic audited writes for master data maintained in the Django admin (organisation, rule tables)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction


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
