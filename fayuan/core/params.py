"""Numbers, dates and ids from query strings and form posts, parsed in one bounded way.

Python's ``int()`` and ``str.isdigit()`` accept far more than a person types: ``"١٢٣"`` (Arabic-Indic digits) is
123, ``"²"`` passes ``isdigit()`` and then fails ``int()``, and ``"9" * 400`` overflows a database column. Only ASCII
digits of a bounded length are accepted here; anything else is the default (a filter that is simply not applied)
or, with ``required=True``, a ``ValidationFailed`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import ValidationFailed

ID_MAX = 2**63 - 1  # the widest primary key column (bigint)
PAGE_MAX = 100_000
_INT = re.compile(r"[0-9]{1,19}", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DECIMAL = re.compile(r"[0-9]{1,15}(\.[0-9]{1,6})?", re.ASCII)


def parse_int(raw: str | None, *, minimum: int = 0, maximum: int = ID_MAX, default: int | None = None,
              required: bool = False, field: str | None = None, label: str = "编号") -> int | None:
    """A non-negative whole number of ASCII digits within [minimum, maximum]; otherwise the default (or 422)."""
    text = (raw or "").strip()
    if _INT.fullmatch(text):
        value = int(text)
        if minimum <= value <= maximum:
            return value
    if required:
        raise ValidationFailed(f"{label}应为 {minimum} 到 {maximum} 之间的整数。", field=field)
    return default


def parse_id(raw: str | None) -> int | None:
    """A row id from a select box or a link: a positive ASCII integer, or None (no such row)."""
    return parse_int(raw, minimum=1)


def parse_page(raw: str | None) -> int:
    """The ``page=`` of a list; anything odd is the first page (the paginator clamps large ones to the last)."""
    return parse_int(raw, minimum=1, maximum=PAGE_MAX, default=1) or 1


def parse_date(raw: str | None, *, default: dt.date | None = None, required: bool = False,
               field: str | None = None, label: str = "日期") -> dt.date | None:
    """``YYYY-MM-DD`` in ASCII digits (``fromisoformat`` also takes other forms and other digits)."""
    text = (raw or "").strip()
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    if required:
        raise ValidationFailed(f"{label}格式不正确，应为 YYYY-MM-DD（如 2026-03-01）。", field=field)
    return default


def parse_decimal(raw: str | None, *, minimum: Decimal = Decimal(0), maximum: Decimal, places: int = 2,
                  default: Decimal | None = None, required: bool = False, field: str | None = None,
                  label: str = "金额") -> Decimal | None:
    """A plain decimal (``1234.5``: no exponent, sign, separators or non-ASCII digits) within the bounds."""
    text = (raw or "").strip()
    if _DECIMAL.fullmatch(text):
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            value = None
        if value is not None and minimum <= value <= maximum and -value.as_tuple().exponent <= places:  # type: ignore[operator]
            return value
    if required:
        raise ValidationFailed(f"{label}应为 {minimum} 到 {maximum} 之间的数字，最多 {places} 位小数。", field=field)
    return default
