"""Chinese numerals and dates as official documents write them (pure, no database)."""

from __future__ import annotations

import datetime as dt

DIGITS = "〇一二三四五六七八九"
_UNITS = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"))


def cn_number(n: int) -> str:
    """0 … 99 999 in words (一、十一、二十、一百零五), for ordinals and dates."""
    if n < 0 or n >= 100000:
        raise ValueError(f"out of range: {n}")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")  # 十一, not 一十一
    out, zero = "", False
    for value, unit in _UNITS:
        q, n = divmod(n, value)
        if q:
            out += ("零" if zero else "") + DIGITS[q] + unit
            zero = False
        elif out:
            zero = True
    return out + (("零" if zero else "") + DIGITS[n] if n else "")


def cn_date_upper(day: dt.date) -> str:
    """二〇二六年十一月二十九日: the signature date of a document."""
    year = "".join(DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"


def cn_date(day: dt.date) -> str:
    """2026年11月29日: dates in running text."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: dt.datetime) -> str:
    return f"{cn_date(moment.date())}{moment:%H:%M}"


def bureau_name(center_name: str) -> str:
    """The justice bureau that set up the center (law art. 49): 镇江市京口区法律援助中心 → 镇江市京口区司法局."""
    if center_name.endswith("法律援助中心"):
        return center_name.removesuffix("法律援助中心") + "司法局"
    return "设立本中心的司法行政部门"
