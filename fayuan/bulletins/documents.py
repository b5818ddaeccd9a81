"""A bulletin as PDF (WeasyPrint) and DOCX (python-docx), through the shared machinery in ``core.documents`` (the
typical-case compilation uses the same). Both are built from the same context: an issued bulletin's frozen
figures, or a draft's figures computed now (a draft is printed with 征求意见稿 in place of the number)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from fayuan.core.documents import docx_bytes, docx_new, html_to_pdf

from . import figures, rules
from .models import Bulletin

CITY_ISSUER = "镇江市司法局"
NUMERALS = "一二三四五六七八九十"


@dataclass
class Part:
    heading: str  # 一、基本情况
    kind: str  # blocks / centers / lines / cases
    lines: list[str]


def current_figures(bulletin: Bulletin) -> dict[str, Any]:
    if bulletin.issued:
        return bulletin.figures
    start, end = rules.period_bounds(bulletin.kind, bulletin.period_start)
    return figures.snapshot(figures.Scope(start, end, bulletin.center_id))


def current_cases(bulletin: Bulletin) -> list[dict[str, Any]]:
    if bulletin.issued:
        return bulletin.excellent_cases
    from .selectors import excellent_cases

    start, end = rules.period_bounds(bulletin.kind, bulletin.period_start)
    return excellent_cases(figures.Scope(start, end, bulletin.center_id), bulletin.kind)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def build_context(bulletin: Bulletin) -> dict[str, Any]:
    found = current_figures(bulletin)
    cases = current_cases(bulletin)
    parts: list[tuple[str, str, Any]] = [("基本情况", "blocks", found["blocks"])]
    if found.get("centers"):
        parts.append(("各中心情况", "centers", found["centers"]))
    parts += [("发现的问题", "lines", _lines(bulletin.problems) or ["本期未发现需要通报的问题。"]),
              ("好的做法", "lines", _lines(bulletin.good_practice) or ["（无）"]),
              ("优秀案例", "cases", cases)]
    issued = timezone.localtime(bulletin.issued_at) if bulletin.issued_at else None
    return {
        "bulletin": bulletin, "title": bulletin.title, "period": bulletin.period_label,
        "number": bulletin.number or "征求意见稿",
        "issuer": bulletin.center.name if bulletin.center is not None else CITY_ISSUER,
        "date": f"{issued.year}年{issued.month}月{issued.day}日" if issued else "（未印发）",
        "parts": [(f"{NUMERALS[i]}、{label}", kind, data) for i, (label, kind, data) in enumerate(parts)],
        "center_headers": figures.CENTER_HEADERS,
    }


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    html = render_to_string("bulletins/document.html", build_context(bulletin))
    return html_to_pdf(html, identifier=f"fayuan-bulletin-{bulletin.public_id}".encode())


def _table(document: Any, headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def center_row(c: dict[str, Any]) -> list[str]:
    return [c["name"], str(c["closed"]), str(c["evaluated"]), str(c["fail"]), str(c["gaps"]),
            "—" if c["rate"] is None else f"{c['rate']}%", str(c["complaints"]), str(c["substantiated"])]


def case_line(c: dict[str, Any]) -> str:
    rank = f"（年度优秀案件评审第{c['rank']}名）" if c.get("rank") else ""
    return f"{c['title']}（{c['center']}，{c['category']}，{c['month']}）{rank}"


def bulletin_docx(bulletin: Bulletin) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    context = build_context(bulletin)
    document = docx_new(title=f"{context['period']}{context['title']}", author=context["issuer"])
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(context["title"])
    for text in (context["number"], context["period"]):
        line = document.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, kind, data in context["parts"]:
        document.add_heading(heading, level=1)
        if kind == "blocks":
            for block in data:
                document.add_heading(block["title"], level=2)
                _table(document, ("项目", "数值"), [list(r) for r in block["rows"]])
        elif kind == "centers":
            _table(document, context["center_headers"], [center_row(c) for c in data])
        elif kind == "lines":
            for text in data:
                document.add_paragraph(text)
        else:
            for i, c in enumerate(data, start=1):
                document.add_paragraph(f"{i}. {case_line(c)}")
            if not data:
                document.add_paragraph("本期没有被采用的典型案例。")
    for text in (context["issuer"], context["date"]):
        line = document.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return docx_bytes(document)
