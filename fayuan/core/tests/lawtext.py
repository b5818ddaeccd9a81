"""Check a rule row's quoted words against the statute texts the project holds (shared/spec/law).

A quotation line reads ``《法律援助法》第四十三条：……`` (paragraph and item marks after the article are allowed);
``……`` marks an omission. Each piece between omissions must appear in the cited article, compared after NFKC
normalisation (the work plan's web page uses ASCII commas) and without whitespace (items sit on separate lines).
The text quoted must also be the version in force when the row starts: a row of 2013 cannot quote the 2018
Criminal Procedure Law.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC_DIR = Path(os.environ.get("FAYUAN_SPEC_DIR") or Path(__file__).resolve().parents[3].parent / "shared" / "spec")


@dataclass(frozen=True)
class Source:
    path: str
    in_force_from: dt.date
    in_force_to: dt.date | None = None
    unit: str = "条"


LAL = Source("law/legal-aid-law-2021.md", dt.date(2022, 1, 1))
SOURCES = {
    "法律援助法": LAL,
    "中华人民共和国法律援助法": LAL,
    "法律援助条例": Source("law/legal-aid-regulation-2003.md", dt.date(2003, 9, 1), dt.date(2022, 1, 1)),
    # The 2018 amendment's text; the 2012 text is not held, so rows of 2013-2018 cannot quote it.
    "刑事诉讼法": Source("law/criminal-procedure-law-2018.md", dt.date(2018, 10, 26)),
    "公安机关办理刑事案件程序规定": Source("law/police-criminal-procedure-rules-2020.md", dt.date(2020, 7, 20)),
    "最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释": Source(
        "law/spc-criminal-procedure-interpretation-2021.md", dt.date(2021, 3, 1)),
    "2018年全市法律援助工作要点": Source("2018-zhenjiang-legal-aid-work-plan.txt", dt.date(2018, 1, 1), unit="点"),
}

LINE = re.compile(r"^《(?P<title>[^》]+)》第(?P<num>[一二三四五六七八九十百零]+)(?P<unit>[条点])"
                  r"(?:第[一二三四五六七八九十]+[款项])*：(?P<quote>.+)$")
_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(text: str) -> int:
    """Chinese numerals up to the hundreds: 十四 → 14, 二百七十八 → 278, 五百六十四 → 564."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += current * 100
            current = 0
    return total + current


def available() -> bool:
    return SPEC_DIR.is_dir()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def _read(path: str) -> str:
    return (SPEC_DIR / path).read_text(encoding="utf-8")


def article(source: Source, num: str) -> str:
    text = _read(source.path)
    if source.unit == "点":
        found = re.search(rf"^\s*{cn_int(num)}\.(.*?)(?=\n\s*\n)", text, re.S | re.M)
    else:
        found = re.search(rf"^第{num}条 (.*?)(?=^第[一二三四五六七八九十百零]+条 |^#|\Z)", text, re.S | re.M)
    if found is None:
        raise AssertionError(f"{source.path} 中没有第{num}{source.unit}")
    return found.group(1)


def problems(*, basis_text: str, legal_basis: str, effective_from: dt.date, effective_to: dt.date | None
             ) -> list[str]:
    """What is wrong with a row's quotations (empty when every line is a faithful quotation of its article)."""
    found: list[str] = []
    for line in filter(None, (raw.strip() for raw in basis_text.splitlines())):
        match = LINE.match(line)
        if match is None:
            found.append(f"not a quotation line: {line[:40]}")
            continue
        source = SOURCES.get(match["title"])
        if source is None:
            found.append(f"no text held for 《{match['title']}》")
            continue
        if effective_from < source.in_force_from or (
                source.in_force_to is not None and (effective_to is None or effective_to > source.in_force_to)):
            found.append(f"《{match['title']}》 is not the text in force from {effective_from} to {effective_to}")
        if f"第{match['num']}{match['unit']}" not in legal_basis:
            found.append(f"the citation “{legal_basis}” does not name 第{match['num']}{match['unit']}")
        body = _flat(article(source, match["num"]))
        for piece in match["quote"].split("……"):
            if piece and _flat(piece) not in body:
                found.append(f"《{match['title']}》第{match['num']}{match['unit']} does not say: {piece}")
    return found
