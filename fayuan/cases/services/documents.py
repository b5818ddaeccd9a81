"""Issuing official documents: the number is taken in the issuing transaction (no gaps, no duplicates); the PDF
is rendered from the stored data (``fayuan.cases.documents.render``), so it always matches: in the background
right after the issue commits (``DOCUMENTS_RENDER_AHEAD``), or when first opened if the worker has not got to it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.background import enqueue_on_commit
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service

from .. import numbering
from ..models import Case, Document, DocumentKind
from ..tasks import document_render

NUMBERED = frozenset({
    DocumentKind.SUPPLEMENT_NOTICE, DocumentKind.GRANT_DECISION, DocumentKind.REFUSAL_DECISION,
    DocumentKind.ASSIGNMENT_NOTICE, DocumentKind.ORGAN_LETTER, DocumentKind.TERMINATION_DECISION,
})


@atomic_service
def document_issue(*, actor: User | None, case: Case, kind: str) -> Document:
    now = timezone.now()
    number = ""
    if kind in NUMBERED:
        year = timezone.localdate(now).year
        seq = numbering.take_number(center=case.center, year=year, series=numbering.SERIES_DOCUMENT)
        number = numbering.format_number(center=case.center, year=year, number=seq,
                                         series=numbering.SERIES_DOCUMENT)
    document = Document.objects.create(case=case, kind=kind, number=number, created_by=actor, created_at=now)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=document, detail={"kind": kind, "number": number})
    if settings.DOCUMENTS_RENDER_AHEAD:
        enqueue_on_commit(document_render, document.pk)
    return document
