"""Download an official document: scoped to the case, audited as an export, never cached by the browser."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CASE_READER_ROLES
from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction

from .documents import document_bytes
from .policy import documents_visible
from .selectors import case_get_for_user

# Everyone who works on cases; each still sees only the cases in their scope (``case_get_for_user``).
DOCUMENT_READER_ROLES = CASE_READER_ROLES


@office_view(DOCUMENT_READER_ROLES)
def document_download(request: HttpRequest, public_id: uuid.UUID, document_id: int) -> HttpResponse:
    user = office_user(request)
    case = case_get_for_user(user, public_id, audit=False)  # 404 outside the user's scope
    document = documents_visible(user, case).filter(pk=document_id).first()
    if document is None:  # another case's document, or one not for this role, looks exactly like a missing one
        raise Http404("未找到该文书，或您无权查看。")
    pdf = document_bytes(document)
    audit_record(actor=user, action=AuditAction.EXPORT, obj=document,
                 detail={"case": str(case.public_id), "kind": document.kind, "number": document.number})
    response = HttpResponse(pdf, content_type="application/pdf")
    # ASCII only: the file name is the kind, never the person's name or anything else identifying.
    response["Content-Disposition"] = f'inline; filename="{document.kind}.pdf"'
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(pdf))
    return response
