"""The annual compilation of typical cases (全市法律援助案例汇编, plan point 20) as PDF (WeasyPrint, like the case
documents) and DOCX (python-docx): a cover, a table of contents, then one section per case category with the
accepted write-ups of the year. Built from the stored rows only, so the same year gives the same document."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, NoReturn

from django.template.loader import render_to_string

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


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the compilation may not load external resources: {url[:80]}")


def compilation_pdf(year: int) -> bytes:
    from weasyprint import HTML  # loading Pango is slow: only processes that render pay for it

    html = render_to_string("typical_cases/compilation.html", {
        "year": year, "title": TITLE, "issuer": ISSUER, "sections": sections(year)})
    pdf = HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(
        pdf_identifier=f"fayuan-typical-cases-{year}".encode())
    if not isinstance(pdf, bytes):
        raise TypeError("WeasyPrint returned no PDF")
    return pdf


def _toc_field(paragraph: Any) -> None:
    """A Word TOC field over headings 1-2: Word fills in the page numbers when the document is opened (the
    placeholder text says so); the section list below it is written out so the contents read without Word."""
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


def _east_asian_font(document: Any, font: str) -> None:
    from docx.oxml.ns import qn

    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[style_name]
        style.font.name = font
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), font)


def compilation_docx(year: int) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"{year}年度{TITLE}"
    document.core_properties.author = ISSUER
    _east_asian_font(document, "Noto Serif CJK SC")
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
    _toc_field(document.add_paragraph())
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
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
