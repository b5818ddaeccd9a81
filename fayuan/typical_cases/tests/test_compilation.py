"""The annual compilation: the DOCX opened with python-docx (cover, contents, one section per category, headings),
the PDF's text (cover, contents with page numbers, sections); only accepted cases of the year are in it."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.utils import timezone

from fayuan.typical_cases.compilation import compilation_docx, compilation_pdf, sections

from .support import accepted, closed_case, ready_write_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_cases(city):
    """Two accepted civil cases (center A and B), one accepted criminal-free administrative case, one draft."""
    first = accepted(city)
    second = accepted(city, reviewer="reviewer_b")
    from fayuan.typical_cases.models import TypicalCase

    TypicalCase.objects.filter(pk=second.pk).update(category="administrative", title="行政确认法律援助案")
    draft = ready_write_up(city, case=closed_case(city))
    return first, second, draft


def test_sections_follow_the_case_types_and_leave_out_drafts(year_of_cases):
    first, second, _ = year_of_cases
    found = sections(timezone.localdate().year)
    assert [(s.number, s.label, [c.pk for c in s.cases]) for s in found] == [
        ("一", "民事案件", [first.pk]), ("二", "行政案件", [second.pk])]
    assert sections(timezone.localdate().year - 1) == []


def test_the_docx_has_a_cover_a_table_of_contents_and_a_heading_per_category_and_case(year_of_cases):
    from docx import Document

    first, _, _ = year_of_cases
    year = timezone.localdate().year
    document = Document(io.BytesIO(compilation_docx(year)))
    texts = [p.text for p in document.paragraphs]
    assert f"{year}年度\n法律援助典型案例汇编" in texts  # the cover's title
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "目　录")
    assert [h[1] for h in headings if h[0] == "Heading 1"][1:] == ["一、民事案件", "二、行政案件"]
    assert ("Heading 2", f"1. {first.title}") in headings and ("Heading 2", "1. 行政确认法律援助案") in headings
    assert [h[1] for h in headings if h[0] == "Heading 3"][:4] == ["基本案情", "办理过程", "办理结果", "典型意义"]
    # The contents: Word's TOC field over headings 1-2, and the list written out.
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml
    toc_lines = texts[texts.index("目　录") + 1:]
    assert "一、民事案件" in toc_lines and f"　　1. {first.title}（京口区法律援助中心）" in toc_lines
    assert document.core_properties.title == f"{year}年度法律援助典型案例汇编"
    body = "\n".join(texts)
    assert "张三" not in body and "李秀英" not in body and first.significance in body


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_has_the_cover_contents_with_page_numbers_and_the_sections(year_of_cases, tmp_path):
    first, _, _ = year_of_cases
    year = timezone.localdate().year
    path = tmp_path / "compilation.pdf"
    path.write_bytes(compilation_pdf(year))
    pages = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],  # noqa: S603,S607
                           capture_output=True, text=True, check=True).stdout.split("\f")
    assert "法律援助典型案例汇编" in pages[0] and "镇江市司法局" in pages[0]
    assert "目录" in pages[1].replace(" ", "") and first.title in pages[1]
    # Each contents line ends with its page number (target-counter): the civil section starts on page 3.
    civil_line = next(line for line in pages[1].splitlines() if "民事案件" in line)
    assert civil_line.rstrip().endswith("3")
    assert "民事案件" in pages[2] and "典型意义" in pages[2]
    assert "张三" not in "".join(pages)
