"""The document machinery every app shares: HTML → PDF through WeasyPrint (Debian Noto CJK fonts, nothing fetched)
and the python-docx pieces (East Asian fonts on the styles, a Word TOC field, the bytes), plus the download
response. Case documents, the typical-case compilation and the quality bulletins all render through here, so a
font or a fetch rule is fixed once. WeasyPrint and python-docx are imported inside the functions: loading Pango
costs ~0.3 s, paid only by processes that render."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from django.http import HttpResponse

CJK_SERIF = "Noto Serif CJK SC"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """Documents are self-contained: a template must never make the server fetch a URL or read a file."""
    raise ValueError(f"documents may not load external resources: {url[:80]}")


def html_to_pdf(html: str, *, identifier: bytes) -> bytes:
    """The HTML as PDF bytes. ``identifier`` fixes the PDF's /ID, so the same rows give the same bytes."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None, url_fetcher=refuse_fetch).write_pdf(pdf_identifier=identifier)
    if not isinstance(pdf, bytes):  # write_pdf returns the bytes when no target is given
        raise TypeError("WeasyPrint returned no PDF")
    return pdf


def docx_new(*, title: str, author: str, font: str = CJK_SERIF) -> Any:
    """An empty Word document whose body and heading styles use ``font`` for Chinese text too."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = author
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[style_name]
        style.font.name = font
        # Word picks the East Asian font from w:eastAsia, not from the style's font name.
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return document


def docx_toc_field(paragraph: Any) -> None:
    """A Word TOC field over headings 1-2: Word fills in the page numbers when the document is opened (the
    placeholder text says so)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, r'TOC \o "1-2" \h \z \u'), ("separate", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                element.set(qn("w:dirty"), "true")  # ask Word to update the field on opening
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run("（打开文档时按提示更新目录以显示页码）")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def docx_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment. ``filename`` must be ASCII and free of personal data (it ends up in logs and histories)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """A table as CSV in UTF-8 with a BOM: without it Excel reads the Chinese as the local code page."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, rows: Iterable[Sequence[Any]]) -> bytes:
    """A plain table as a one-sheet workbook, streamed (write-only), for lists of any length."""
    return xlsx_book_bytes([(sheet_title, rows)])


def xlsx_book_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """Several plain tables, one sheet each (titles of at most 31 characters, Excel's limit), streamed."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
