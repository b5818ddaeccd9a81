"""Official documents as PDFs: one HTML template per ``DocumentKind``, rendered by WeasyPrint from stored data.

``fayuan.cases.services.documents.document_issue`` numbers a document in the issuing transaction; this package
turns the row into paper: ``render_pdf`` (bytes, nothing saved) and ``document_file`` (rendered once, then served
from ``Document.file`` under MEDIA_ROOT).
"""

from .context import DocumentDataMissing, build_context
from .render import document_bytes, document_file, render_html, render_pdf

__all__ = ["DocumentDataMissing", "build_context", "document_bytes", "document_file", "render_html", "render_pdf"]
