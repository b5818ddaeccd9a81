"""Reading an agency's file as a stream of rows: CSV (UTF-8 with or without BOM, or GBK) and XLSX (openpyxl in
read-only mode, one row at a time), so memory stays flat whatever the file size.

``scan`` reads the whole file once before anything is written and raises ``FileRejected`` (a clear Chinese message)
for what makes a file unusable as a whole: a wrong extension or content, an empty file, a spreadsheet over the size
limit, formula cells, an unknown or mixed encoding. The import then reads it a second time with ``rows``.
Pure: no database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSV, XLSX = "csv", "xlsx"
Cell = str | dt.date | None


class FileRejected(Exception):
    """The file cannot be imported at all; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Scanned:
    kind: str
    encoding: str  # CSV only ("utf-8-sig" reads UTF-8 with or without BOM)
    header: list[str]
    rows: int  # data rows (blank lines not counted)


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return CSV
    if suffix == ".xlsx":
        return XLSX
    if suffix in (".xls", ".et", ".wps"):
        raise FileRejected("不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为”xlsx 或 csv 格式后再导入。")
    raise FileRejected(f"文件类型“{suffix or '无扩展名'}”不能导入：请上传 csv 或 xlsx 文件。")


def check_size(kind: str, size: int, *, spreadsheet_max: int, csv_max: int) -> None:
    if size == 0:
        raise FileRejected("文件是空的（0 字节）。")
    limit = spreadsheet_max if kind == XLSX else csv_max
    if size > limit:
        what = "Excel 表格" if kind == XLSX else "CSV 文件"
        raise FileRejected(f"{what}过大（{size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB）："
                           "请分成几个文件，或另存为 csv 后导入（csv 可以更大）。")


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every line decodes as UTF-8; GBK (read as GB 18030, its superset) when no
    line with non-ASCII bytes does; a file with both kinds of lines is refused (someone pasted rows from another
    file)."""
    utf8_lines = other_lines = 0
    first_other = first_utf8 = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            if b"\x00" in line:
                raise FileRejected("文件内容不是文本（含二进制数据），不是有效的 CSV 文件。")
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                other_lines += 1
                first_other = first_other or number
            else:
                utf8_lines += 1
                first_utf8 = first_utf8 or number
    if other_lines and utf8_lines:
        raise FileRejected(f"文件混用了两种编码（第 {first_utf8} 行为 UTF-8，第 {first_other} 行为 GBK 等其他编码）："
                           "请统一另存为 UTF-8 或 GBK 编码后再导入。")
    if not other_lines:
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("gb18030")()
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                raise FileRejected(f"无法识别文件编码（第 {number} 行既不是 UTF-8 也不是 GBK）。") from None
    return "gb18030"


def _clean(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _blank(values: list[Cell]) -> bool:
    return all(v is None for v in values)


def _csv_rows(path: Path, encoding: str) -> Iterator[list[Cell]]:
    with path.open(encoding=encoding, newline="") as f:
        for raw in csv.reader(f):
            yield [v.strip() or None for v in raw]  # CSV cells are text: the cheap path of ``_clean``


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Cell], bool]]:
    """(row number, values, has a formula) of the first sheet."""
    from openpyxl import load_workbook  # imported here: only an XLSX import pays for it

    if not zipfile.is_zipfile(path):
        raise FileRejected("文件内容不是有效的 Excel（xlsx）文件：可能是改了扩展名的其他文件。")
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken package
        raise FileRejected("Excel 文件已损坏或不是 xlsx 格式，无法读取。") from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            formula = any(isinstance(v, str) and v.startswith("=") and len(v) > 1 for v in row)
            yield number, [_clean(v) for v in row], formula
    finally:
        workbook.close()


def numbered_rows(path: Path, kind: str, encoding: str = "utf-8-sig") -> Iterator[tuple[int, list[Cell]]]:
    """(row number in the file, values), the header first; blank rows skipped."""
    if kind == CSV:
        for number, values in enumerate(_csv_rows(path, encoding), 1):
            if not _blank(values):
                yield number, values
    else:
        for number, values, _formula in _xlsx_rows(path):
            if not _blank(values):
                yield number, values


def scan(path: Path, kind: str) -> Scanned:
    """Read the whole file once; refuse it as a whole, or say its header, encoding and number of data rows."""
    encoding = _detect_encoding(path) if kind == CSV else ""
    header: list[str] | None = None
    count = 0
    try:
        if kind == CSV:
            source: Iterator[tuple[int, list[Cell], bool]] = (
                (n, v, False) for n, v in enumerate(_csv_rows(path, encoding), 1))
        else:
            source = _xlsx_rows(path)
        for number, values, formula in source:
            if formula:
                raise FileRejected(f"第 {number} 行含有公式：请在 Excel 中把公式转为数值"
                                   "（复制后“选择性粘贴—数值”）再导入。")
            if _blank(values):
                continue
            if header is None:
                header = [str(v).strip().lstrip("\ufeff") if v is not None else "" for v in values]
            else:
                count += 1
    except csv.Error as exc:
        raise FileRejected(f"CSV 格式错误：{exc}。") from None
    if header is None:
        raise FileRejected("文件中没有任何内容（连表头也没有）。")
    if count == 0:
        raise FileRejected("文件只有表头，没有数据行。")
    return Scanned(kind=kind, encoding=encoding, header=header, rows=count)
