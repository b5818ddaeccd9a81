"""Resident identity card numbers (GB 11643-1999): parse, check and mask. Pure; no database.

Layout of the 18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men,
even for women) and a check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII only: "\d" also takes digits of other scripts

# Province-level codes (first two digits) in use: GB/T 2260.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
     "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)
EARLIEST_BIRTH = dt.date(1890, 1, 1)
CHINA_TZ = ZoneInfo("Asia/Shanghai")  # "today" is today in China, whatever the server clock zone


class InvalidIdNumber(ValueError):
    """The number is not a valid 18-character identity card number; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    value: str
    address_code: str
    birth_date: dt.date
    gender: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask(self.value)


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise(raw: str) -> str:
    """Upper-case the check letter and drop spaces (people type '3211 0219...' or a lower-case x); full-width
    digits from a Chinese input method become ASCII (NFKC), so one number has one form and one lookup hash."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or "")).upper()


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    value = normalise(raw)
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号码应为 18 位，您输入了 {len(value)} 位。")
    if not _SHAPE.match(value):
        raise InvalidIdNumber("身份证号码前 17 位应为数字，最后一位为数字或字母 X。")
    address = value[:6]
    if address[:2] not in PROVINCE_CODES or (address[2:4] == "00" and address[4:] != "00") or address == "000000":
        raise InvalidIdNumber(f"身份证号码前 6 位地址码“{address}”不是有效的行政区划代码。")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            f"身份证号码中的出生日期“{value[6:10]}年{value[10:12]}月{value[12:14]}日”不是真实存在的日期。"
        ) from None
    today = today or dt.datetime.now(CHINA_TZ).date()
    if birth > today:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {birth:%Y-%m-%d} 晚于今天，不可能正确。")
    if birth < EARLIEST_BIRTH:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {birth:%Y-%m-%d} 过早，请核对。")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(
            f"身份证号码校验码错误：最后一位应为“{expected}”，实为“{value[17]}”。请逐位核对号码是否抄错。"
        )
    gender = "M" if int(value[16]) % 2 == 1 else "F"
    return IdNumber(value=value, address_code=address, birth_date=birth, gender=gender)


def mask(value: str) -> str:
    """Show the first four and last four characters, e.g. 3211**********123X."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def build(address_code: str, birth: dt.date, sequence: int) -> str:
    """Compose a valid number (for synthetic demo and test data)."""
    first17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
