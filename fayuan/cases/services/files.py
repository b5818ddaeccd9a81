"""Uploaded materials: typed, size-limited, checked by content (not by name), stored outside the web root."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.core.uploads import delete_on_rollback

from ..models import Case, CaseFile, FileKind, Status

CLOSED_TO_FILES = frozenset({Status.ARCHIVED, Status.WITHDRAWN})
MAX_BYTES = getattr(settings, "CASE_FILE_MAX_BYTES", 10 * 1024 * 1024)
# Magic numbers of the accepted types; the browser's declared type and the file name are not trusted.
SIGNATURES = {b"%PDF-": ("application/pdf", ".pdf"), b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
              b"\x89PNG\r\n\x1a\n": ("image/png", ".png")}


def sniff(head: bytes) -> tuple[str, str] | None:
    return next((v for sig, v in SIGNATURES.items() if head.startswith(sig)), None)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def inspect_upload(upload: UploadedFile) -> CheckedUpload:
    """Size and type by content (not by name), and the digest: every upload path uses this one check."""
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed("上传的文件是空的，请重新选择。", field="file")
    if size > MAX_BYTES:
        raise ValidationFailed(f"文件过大（{size / 1048576:.1f} MB），单个文件不能超过 {MAX_BYTES // 1048576} MB。",
                               field="file")
    upload.seek(0)
    detected = sniff(upload.read(16))
    if detected is None:
        raise ValidationFailed("只接受 PDF、JPEG 或 PNG 格式的文件（可用手机拍照上传）。", field="file")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=detected[0], extension=detected[1], size=size, sha256=digest.hexdigest(),
                         original_name=PurePath(upload.name or "upload").name[:200])


@atomic_service
def case_file_add(*, actor: User | None, case: Case, kind: str, upload: UploadedFile) -> CaseFile:
    if case.status in CLOSED_TO_FILES:
        raise Conflict(f"案件已{case.get_status_display()}，不能再添加材料。")
    if kind not in FileKind.values:
        raise ValidationFailed("请选择材料类型。", field="kind")
    checked = inspect_upload(upload)
    # Stored under a random name: the original name may carry personal data and never reaches the file system.
    record = CaseFile(case=case, kind=kind, original_name=checked.original_name, content_type=checked.content_type,
                      size=checked.size, sha256=checked.sha256, uploaded_by=actor, uploaded_at=timezone.now())
    record.file.save(f"{record.public_id}{checked.extension}", upload, save=False)
    delete_on_rollback(record.file.storage, record.file.name)  # e.g. a later file of the same intake is refused
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, detail={"case": case.pk, "kind": kind})
    return record
