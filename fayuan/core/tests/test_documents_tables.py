"""The shared table exports: CSV with a BOM for Excel, a streamed one-sheet workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fayuan.core.documents import csv_bytes, xlsx_bytes


def test_csv_starts_with_the_bom_and_keeps_chinese():
    data = csv_bytes([["行号", "原因"], [3, "校验码错误"]])
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").splitlines() == ["行号,原因", "3,校验码错误"]


def test_xlsx_is_one_sheet_with_the_rows():
    book = load_workbook(io.BytesIO(xlsx_bytes("错误行", [["行号", "原因"], [3, "校验码错误"]])))
    assert book.sheetnames == ["错误行"]
    assert [list(r) for r in book["错误行"].iter_rows(values_only=True)] == [["行号", "原因"], [3, "校验码错误"]]
