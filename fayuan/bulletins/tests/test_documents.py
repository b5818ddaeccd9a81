"""A bulletin as documents: the DOCX opened with python-docx (title, number, headings, the tables of figures, the
per-center table, the named cases), the PDF's text through pdftotext. The PDF pages were rendered with
``pdftoppm -png -r 60`` and looked at by hand when this was built (Chinese glyphs, tables, the signature)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from fayuan.bulletins import services
from fayuan.bulletins.documents import bulletin_docx, bulletin_pdf

from .support import month

NEXT_MONTH = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def issued(city):
    counted = month(city)
    draft = services.bulletin_draft(actor=city.user("bureau"), kind="monthly", period_start=counted.start,
                                    today=NEXT_MONTH)
    return counted, services.bulletin_issue(actor=city.user("bureau"), public_id=draft.public_id)


def test_the_docx_has_the_title_number_headings_and_tables_of_figures(city, issued):
    counted, bulletin = issued
    document = Document(io.BytesIO(bulletin_docx(bulletin)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "全市法律援助案件质量月度通报" and bulletin.number in texts
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [t for s, t in headings if s == "Heading 1"] == [
        "一、基本情况", "二、各中心情况", "三、发现的问题", "四、好的做法", "五、优秀案例"]
    assert [t for s, t in headings if s == "Heading 2"] == [
        "结案与一案一评", "庭审旁听", "回访与满意度", "投诉处理", "典型案例报送",
        "案件质量评查（同行评估）"]
    first = document.tables[0]
    rows = [[c.text for c in r.cells] for r in first.rows]
    assert rows[0] == ["项目", "数值"] and ["结案数（件）", "4"] in rows
    assert ["其中不合格（件，占比）", "1（33.3%）"] in rows
    centers = document.tables[6]  # after the six blocks of figures
    assert [c.text for c in centers.rows[0].cells][:3] == ["中心", "结案", "本期评价"]
    a_row = next([c.text for c in r.cells] for r in centers.rows if r.cells[0].text == city.center_a.name)
    assert a_row == [city.center_a.name, "3", "2", "1", "1", "50.0%", "2", "1"]
    assert any(counted.typical.title in t and city.center_a.name in t for t in texts)
    issued_on = timezone.localtime(bulletin.issued_at)  # the date in China: 2027年1月1日 at 00:05, not 2026
    assert texts[-2:] == ["镇江市司法局", f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_text_has_the_number_figures_and_named_cases(city, issued, tmp_path):
    counted, bulletin = issued
    path = tmp_path / "bulletin.pdf"
    if os.environ.get("BULLETIN_PDF_OUT"):  # to render the pages and look at them: pdftoppm -png -r 60
        Path(os.environ["BULLETIN_PDF_OUT"]).write_bytes(bulletin_pdf(bulletin))
    path.write_bytes(bulletin_pdf(bulletin))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],  # noqa: S603,S607
                          capture_output=True, check=True, text=True).stdout
    text = "".join(text.split())  # letter-spaced titles and table columns come out with spaces
    for expected in ("全市法律援助案件质量月度通报", bulletin.number, "一、基本情况", "结案与一案一评", "满意率",
                     "50.0%", "二、各中心情况", city.center_b.name, "三、发现的问题", "尚未完成一案一评",
                     "五、优秀案例", counted.typical.title, "镇江市司法局"):
        assert expected in text, expected


def test_a_draft_prints_as_a_draft_and_a_center_signs_its_own(city):
    draft = services.bulletin_draft(actor=city.user("reviewer_a"), kind="monthly",
                                    period_start=(timezone.localdate().replace(day=1) - dt.timedelta(days=1)))
    texts = [p.text for p in Document(io.BytesIO(bulletin_docx(draft))).paragraphs]
    assert texts[0] == f"{city.center_a.name}法律援助案件质量月度通报" and "征求意见稿" in texts
    assert "二、各中心情况" not in texts and "本期没有被采用的典型案例。" in texts and texts[-2] == city.center_a.name
