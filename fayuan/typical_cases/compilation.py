"""The annual compilation of typical cases (全市法律援助案例汇编, plan point 20) as PDF (WeasyPrint, like the case
documents) and DOCX (python-docx): a cover, a table of contents, then one section per case category with the
accepted write-ups of the year. Built from the stored rows only, so the same year gives the same document."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from fayuan.core.documents import docx_bytes, docx_new, docx_toc_field, html_to_pdf
from fayuan.eligibility.models import CaseType

from .models import Status, TypicalCase

CHINESE_NUMERALS = "一二三四五六七八九十"
TITLE = "法律援助典型案例汇编"
ISSUER = "镇江市司法局"
PARTS = (("facts", "基本案情"), ("handling", "办理过程"), ("result", "办理结果"), ("significance", "典型意义"))


@dataclass(frozen=True)
class Section:
    number: str  # 一、二、...
    label: str  # 民事案件
    cases: list[TypicalCase]


def sections(year: int) -> list[Section]:
    """The year's accepted cases by category (in the order of the case types), each by month and center."""
    accepted = list(TypicalCase.objects.filter(status=Status.ACCEPTED, period__year=year)
                    .select_related("center").order_by("period", "center__name", "pk"))
    for case in accepted:  # each part's paragraphs, for the templates
        case.body = [(label, [line.strip() for line in getattr(case, name).splitlines() if line.strip()])  # type: ignore[attr-defined]
                     for name, label in PARTS]
    result: list[Section] = []
    for value, label in CaseType.choices:
        cases = [c for c in accepted if c.category == value]
        if cases:
            result.append(Section(CHINESE_NUMERALS[len(result)], f"{label}案件", cases))
    return result


def compilation_pdf(year: int) -> bytes:
    html = render_to_string("typical_cases/compilation.html", {
        "year": year, "title": TITLE, "issuer": ISSUER, "sections": sections(year)})
    return html_to_pdf(html, identifier=f"fayuan-typical-cases-{year}".encode())


def compilation_docx(year: int) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    document = docx_new(title=f"{year}年度{TITLE}", author=ISSUER)
    # The cover.
    for _ in range(6):
        document.add_paragraph()
    cover = document.add_paragraph(style="Title")
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.add_run(f"{year}年度\n{TITLE}")
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issuer.add_run(f"{ISSUER}\n{year + 1}年").font.size = Pt(16)
    issuer.add_run().add_break(WD_BREAK.PAGE)
    # The table of contents: a Word field, and the sections written out.
    found = sections(year)
    heading = document.add_paragraph("目　录", style="Heading 1")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_toc_field(document.add_paragraph())  # and the sections written out, to read without Word
    for section in found:
        document.add_paragraph(f"{section.number}、{section.label}")
        for i, case in enumerate(section.cases, start=1):
            document.add_paragraph(f"　　{i}. {case.title}（{case.center.name}）")
    if not found:
        document.add_paragraph(f"{year}年度尚无已采用的典型案例。")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    for section in found:
        document.add_heading(f"{section.number}、{section.label}", level=1)
        for i, case in enumerate(section.cases, start=1):
            document.add_heading(f"{i}. {case.title}", level=2)
            source = document.add_paragraph()
            source.add_run(f"报送单位：{case.center.name}　报送月份：{case.period:%Y年%m月}").italic = True
            for label, lines in case.body:  # type: ignore[attr-defined]
                document.add_heading(label, level=3)
                for line in lines:
                    document.add_paragraph(line)
    return docx_bytes(document)
