"""One agency row → a registry row, or the reasons it is bad (row number, column, reason). Pure: no database.

A ``Layout`` is a source's saved mapping applied to a file's header: which column holds each field. A mapped
column missing from the header refuses the whole file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from fayuan.eligibility.engine import GROUP_NAMES, GROUPS
from fayuan.people import idnumber

from .formats import Cell, FileRejected

FIELDS = ("id_number", "name", "category", "household_key", "place_code", "address", "valid_from", "valid_to")
FIELD_NAMES = {"id_number": "身份证号", "name": "姓名", "category": "类别", "household_key": "家庭/户编号",
               "place_code": "村（社区）区划代码", "address": "地址", "valid_from": "有效期起",
               "valid_to": "有效期止"}
REQUIRED = ("id_number", "name")
PLACE_CODE = re.compile(r"^[0-9]{12}$")
NAME_MAX, KEY_MAX, ADDRESS_MAX = 60, 60, 200


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Row:
    row: int
    id_number: str
    category: str
    name: str
    household_key: str
    place_code: str
    address: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def content_hash(self) -> str:
        """What a re-import compares: the row's content apart from its key (person, category)."""
        parts = (self.name, self.household_key, self.place_code, self.address,
                 self.valid_from.isoformat() if self.valid_from else "",
                 self.valid_to.isoformat() if self.valid_to else "")
        return hashlib.md5("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Layout:
    columns: dict[str, int]  # field -> index in the row
    headers: dict[str, str]  # field -> the agency's header (for the error report)
    category_map: dict[str, str]
    default_category: str
    date_formats: tuple[str, ...]
    id_in_certificate: bool


def mapping_problems(column_map: dict[str, Any], category_map: dict[str, Any], default_category: str,
                     date_formats: list[Any]) -> list[tuple[str, str]]:
    """(field, message) for a mapping that could never import a row; empty when it is usable."""
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(column_map) - set(FIELDS))
    if unknown:
        problems.append(("column_map", f"未知字段：{'、'.join(unknown)}。"))
    for field in REQUIRED:
        if not str(column_map.get(field, "")).strip():
            problems.append(("column_map", f"必须指定“{FIELD_NAMES[field]}”所在的列。"))
    if column_map.get("category"):
        if not category_map:
            problems.append(("category_map", "指定了类别列，须列出各类别对应的人群。"))
    elif default_category not in GROUPS:
        problems.append(("default_category", "没有类别列的数据来源须指定固定类别。"))
    bad = sorted({str(v) for v in category_map.values()} - set(GROUPS))
    if bad:
        problems.append(("category_map", f"类别对应的人群代码无效：{'、'.join(bad)}。"))
    if not date_formats:
        problems.append(("date_formats", "至少指定一种日期格式。"))
    for fmt in date_formats:
        try:
            sample = dt.date(2024, 12, 31)
            ok = dt.datetime.strptime(sample.strftime(str(fmt)), str(fmt)).date() == sample  # noqa: DTZ007
        except ValueError:
            ok = False
        if not ok:
            problems.append(("date_formats", f"日期格式“{fmt}”无效（示例：%Y-%m-%d）。"))
    return problems


def layout_for(header: list[str], *, column_map: dict[str, str], category_map: dict[str, str],
               default_category: str, date_formats: list[str], id_in_certificate: bool) -> Layout:
    positions = {h: i for i, h in reversed(list(enumerate(header))) if h}
    missing = [h for f, h in column_map.items() if h and h not in positions]
    if missing:
        raise FileRejected(f"文件缺少以下列：{'、'.join(missing)}。请核对表头是否与该数据来源的列对应关系一致"
                           f"（文件的表头为：{'、'.join(h for h in header if h)[:120]}）。")
    mapped = {f: h for f, h in column_map.items() if h}
    return Layout(columns={f: positions[h] for f, h in mapped.items()}, headers=mapped,
                  category_map={str(k).strip(): str(v) for k, v in category_map.items()},
                  default_category=default_category, date_formats=tuple(date_formats),
                  id_in_certificate=id_in_certificate)


def _text(values: list[Cell], layout: Layout, field: str) -> str:
    index = layout.columns.get(field)
    if index is None or index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    return value.isoformat() if isinstance(value, dt.date) else str(value).strip()


def _date(values: list[Cell], layout: Layout, field: str) -> dt.date | None:
    index = layout.columns.get(field)
    value = values[index] if index is not None and index < len(values) else None
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == text[7] == "-" and "%Y-%m-%d" in layout.date_formats:
        try:  # the common case, ten times faster than strptime
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in layout.date_formats:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(f"日期“{text[:20]}”无法识别（应为 {' 或 '.join(layout.date_formats)} 格式）。")


def parse_row(number: int, values: list[Cell], layout: Layout, *, today: dt.date) -> Row | list[RowError]:
    errors: list[RowError] = []

    def bad(field: str, reason: str) -> None:
        errors.append(RowError(number, layout.headers.get(field, FIELD_NAMES[field]), reason))

    raw_id = idnumber.normalise(_text(values, layout, "id_number"))
    if layout.id_in_certificate and len(raw_id) > 18:
        raw_id = raw_id[:18]  # 残疾证号: the ID number, then the category and grade digits
    id_value = ""
    if not raw_id:
        bad("id_number", "身份证号为空。")
    else:
        try:
            id_value = idnumber.parse(raw_id, today=today).value
        except idnumber.InvalidIdNumber as exc:
            bad("id_number", exc.message)
    name = _text(values, layout, "name")
    if not name:
        bad("name", "姓名为空。")
    elif len(name) > NAME_MAX:
        bad("name", f"姓名超过 {NAME_MAX} 个字。")
    category = layout.default_category
    if "category" in layout.columns:
        given = _text(values, layout, "category")
        category = layout.category_map.get(given, "")
        if not category:
            known = "、".join(layout.category_map)
            bad("category", f"类别“{given[:20]}”不在对应关系中（可用：{known}）。" if given else "类别为空。")
    place = _text(values, layout, "place_code")
    if place and not PLACE_CODE.match(place):
        bad("place_code", f"区划代码“{place[:20]}”应为 12 位数字。")
    household = _text(values, layout, "household_key")
    if len(household) > KEY_MAX:
        bad("household_key", f"编号超过 {KEY_MAX} 个字符。")
    dates: dict[str, dt.date | None] = {}
    for field in ("valid_from", "valid_to"):
        try:
            dates[field] = _date(values, layout, field)
        except ValueError as exc:
            bad(field, str(exc))
    if dates.get("valid_from") and dates.get("valid_to") and dates["valid_to"] < dates["valid_from"]:  # type: ignore[operator]
        bad("valid_to", "终止日期早于起始日期。")
    if errors:
        return errors
    return Row(row=number, id_number=id_value, category=category, name=name, household_key=household,
               place_code=place, address=_text(values, layout, "address")[:ADDRESS_MAX],
               valid_from=dates.get("valid_from"), valid_to=dates.get("valid_to"))


def category_label(code: str) -> str:
    return GROUP_NAMES.get(code, code)
