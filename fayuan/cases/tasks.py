"""Background tasks of the cases app: rendering an issued document's PDF ahead of its first opening."""

from __future__ import annotations

from django_tasks import task

from fayuan.core.background import retrying

from .documents import document_file
from .models import Document


@task()
@retrying(attempts=4, base_delay=60)
def document_render(document_id: int) -> str:
    """Render and store the PDF. Idempotent: a document already on disk is left as it is (``document_file`` locks
    the row, so this and a first opening at the same moment render once)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "missing"
    return document_file(document).name or ""
