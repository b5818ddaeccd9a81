"""HTML templates → PDF through WeasyPrint, with the Debian Noto CJK fonts; stored once under MEDIA_ROOT.

The output is a pure function of the stored rows: no clock, no random names, no fetched resources. With
HarfBuzz's subsetter (Debian ``libharfbuzz-subset0``) the PDF bytes are identical on every render; without it
WeasyPrint falls back to fontTools, which is about ten times slower and stamps the subset font with the time.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from fayuan.core.documents import html_to_pdf

from ..models import Document
from .context import build_context

TEMPLATE_DIR = "cases/documents"
PDF_IDENTIFIER_PREFIX = b"fayuan-document-"


def render_html(document: Document) -> str:
    return render_to_string(f"{TEMPLATE_DIR}/{document.kind}.html", build_context(document))


def render_pdf(document: Document) -> bytes:
    """The document as a PDF, built from the stored data (nothing is saved)."""
    return html_to_pdf(render_html(document), identifier=PDF_IDENTIFIER_PREFIX + str(document.pk).encode())


def storage_name(document: Document) -> str:
    """documents/2026/11/42-refusal_decision.pdf: no names, no numbers a person could be identified by."""
    created = timezone.localtime(document.created_at)
    return f"documents/{created:%Y}/{created:%m}/{document.pk}-{document.kind}.pdf"


def _stored(document: Document) -> bool:
    return bool(document.file.name) and document.file.storage.exists(document.file.name)


def document_file(document: Document) -> FieldFile:
    """The document's PDF on disk (``Document.file``), rendered and stored on first use, then served from disk.

    The row is locked while rendering, so two first opens at once render once. A file missing from disk (a
    restore without media) is rendered again: the same data gives the same PDF.
    """
    if _stored(document):
        return document.file
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not _stored(locked):
            name = locked.file.storage.save(storage_name(locked), ContentFile(render_pdf(locked)))
            Document.objects.filter(pk=locked.pk).update(file=name)
            locked.file.name = name
    document.file.name = locked.file.name
    return document.file


def document_bytes(document: Document) -> bytes:
    with document_file(document).open("rb") as handle:
        return bytes(handle.read())

