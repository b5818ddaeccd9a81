"""Anonymization of a typical case's write-up: a pure module (no database), exhaustively tested.

``check`` finds what must not be published: the full names of the case's known persons (the recipient, the agent,
the opposing party; "surname + 某" is the accepted form), 18-digit (and old 15-digit) ID numbers, mobile and
landline phone numbers, and street-level addresses. Full-width forms (０-９, Ｘ), spaces and hyphens inside a number
are found too: the text is folded character by character (NFKC), so every finding keeps its place in the original.

``scrub`` is the drafting side: it replaces what ``check`` finds (a name by its role, a number and an address by a
neutral word), so a draft passes the check before staff edit it; staff edits are checked again before submission.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NAME, ID_NUMBER, PHONE, ADDRESS = "name", "id_number", "phone", "address"
KIND_LABELS = {NAME: "姓名", ID_NUMBER: "身份证号码", PHONE: "电话号码", ADDRESS: "详细地址"}
# What a finding is replaced with when drafting (a name: its role, given by the caller).
REPLACEMENTS = {ID_NUMBER: "", PHONE: "", ADDRESS: "某处"}
# Compound surnames, so that 欧阳明 becomes 欧阳某 and not 欧某.
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐",
                               "夏侯", "端木", "西门", "南宫", "轩辕", "宇文", "司徒", "呼延", "独孤"})
# What may stand in for a place name: 某镇, ××村, X路.
PLACEHOLDER = re.compile(r"[某×xX＊*○〇]")


@dataclass(frozen=True)
class Finding:
    kind: str
    field: str  # the write-up's part (facts, handling, ...)
    start: int  # character offset in that part
    end: int
    text: str  # as written (shown masked for numbers)
    line: int  # 1-based line and column, for the message
    column: int

    @property
    def shown(self) -> str:
        """What the message quotes: a name or an address as written, a number masked (it is the data itself)."""
        if self.kind in (ID_NUMBER, PHONE):
            digits = re.sub(r"[^0-9Xx]", "", fold(self.text))
            return f"{digits[:3]}{'*' * max(len(digits) - 5, 0)}{digits[-2:]}"
        return self.text


def fold(text: str) -> str:
    """Full-width letters and digits to ASCII, one character for one (so offsets stay the offsets of ``text``)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def surname_form(name: str) -> str:
    """张三 → 张某, 欧阳明 → 欧阳某: the accepted way to name a person in a published case."""
    name = name.strip()
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}某"


# --- numbers -----------------------------------------------------------------------------------------------------

# A run of digits (and X) with separators a writer puts inside a number: spaces, hyphens, dashes, brackets.
_SEP = r"[ \t\u00a0\u3000\-–—()（）]"
_RUN = re.compile(rf"(?<![0-9A-Za-z])\+?[0-9](?:{_SEP}*[0-9Xx])*(?![0-9A-Za-z])")
_GROUP = re.compile(r"[0-9Xx]+")


def _classify(digits: str) -> str | None:
    if re.fullmatch(r"[1-9][0-9]{16}[0-9X]", digits.upper()):
        return ID_NUMBER
    # The first-generation 15-digit card: area, YYMMDD, sequence (the date is checked, or a phone number with a
    # year after it would be one).
    if re.fullmatch(r"[1-8][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}", digits):
        return ID_NUMBER
    if re.fullmatch(r"(?:0?86)?1[3-9][0-9]{9}", digits):
        return PHONE
    if re.fullmatch(r"0[1-9][0-9]{1,2}[2-9][0-9]{6,7}", digits):  # area code (010, 0511) + a 7-8 digit number
        return PHONE
    return None


def _numbers(folded: str) -> Iterable[tuple[str, int, int]]:
    """(kind, start, end) of ID and phone numbers: in each run, the longest stretches of whole digit groups that
    form one (so "13800000001 2024" is a phone number followed by a year, not a 15-digit number)."""
    for run in _RUN.finditer(folded):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP.finditer(run.group())]
        i = 0
        while i < len(groups):
            found = None
            for j in range(len(groups) - 1, i - 1, -1):
                digits = "".join(folded[a:b] for a, b in groups[i:j + 1])
                if "x" in digits.lower()[:-1]:
                    continue
                kind = _classify(digits)
                if kind is not None:
                    found = (kind, groups[i][0], groups[j][1], j)
                    break
            if found is None:
                i += 1
                continue
            start, end = found[1], found[2]
            if start > 0 and folded[start - 1] == "+":
                start -= 1  # +86 138…
            if start > 0 and folded[start - 1] in "(（" and re.search(r"[)）]", folded[start:end]):
                start -= 1  # (0511)8555 1234
            yield found[0], start, end
            i = found[3] + 1


# --- addresses ---------------------------------------------------------------------------------------------------

_HAN = r"[\u4e00-\u9fff]"
_NUM = r"(?:[0-9]+|[一二三四五六七八九十百零〇两]+)"
_ADDRESS_PATTERNS = [
    # 中山路88号, 解放北路12号3幢201室, 学府街5号
    re.compile(rf"{_HAN}{{1,8}}(?:路|街|大道|巷|弄|道){_NUM}号(?:{_NUM}(?:幢|栋|号楼|座))?(?:{_NUM}单元)?(?:{_NUM}室)?"),
    # 3幢201室, 12栋2单元502室, 6号楼301室
    re.compile(rf"{_NUM}(?:幢|栋|号楼|座)(?:{_NUM}单元)?{_NUM}室"),
    re.compile(r"[0-9]{3,4}室"),
    # 新丰村三组, 东岗村5组
    re.compile(rf"{_HAN}{{1,6}}村{_NUM}(?:组|队|号)"),
    # 辛丰镇新丰村, 宝堰镇, 七里甸街道金润社区: a town, a township or a sub-district with what follows it
    re.compile(rf"{_HAN}{{1,6}}(?:镇|乡|街道)(?:{_HAN}{{1,8}}?(?:村|社区|居委会|小区|新村))?"),
    # 某省某市某区 + a street: 江苏省镇江市京口区中山东路 (a chain that reaches a street or a village)
    re.compile(rf"(?:{_HAN}{{2,4}}省)?(?:{_HAN}{{1,4}}市)?{_HAN}{{1,4}}(?:区|县){_HAN}{{1,8}}?(?:路|街|村)"),
]
# Words ending in 镇/乡/街道/路 etc. that are no place: 城乡, 下乡, 乡镇 (an ordinary noun), 道路, 思路.
_NOT_PLACES = ("城乡", "下乡", "乡镇", "城镇", "重镇", "坐镇", "思路", "道路", "出路", "线路", "网络", "门路", "套路",
               "街道办", "办公室", "会议室", "工作室", "调解室", "接待室", "值班室", "档案室", "律师事务所",
               "村民委员会")


def _is_place(text: str) -> bool:
    if PLACEHOLDER.search(text):
        return False  # 某镇, ××路: already anonymized
    return not any(text.endswith(word) or text == word for word in _NOT_PLACES)


# Characters that end the words a sentence puts before a place (家住, 位于, 搬至): never the first of a place name.
_LEAD_IN = frozenset("住在于至到从往向的是为家址居位及和与并同对称系即、：:，,。；;")


def _trimmed(pattern: re.Pattern[str], text: str) -> int:
    """How many leading characters of a match are the sentence's, not the place's ("家住辛丰镇" → 2)."""
    for k in range(len(text) - 1, 0, -1):
        if text[k - 1] in _LEAD_IN and pattern.fullmatch(text[k:]):
            return k
    return 0


def _addresses(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in _ADDRESS_PATTERNS:
        for m in pattern.finditer(folded):
            start = m.start() + _trimmed(pattern, m.group())
            if _is_place(folded[start:m.end()]):
                spans.append((start, m.end()))
    return spans


# --- names -------------------------------------------------------------------------------------------------------

def _name_pattern(name: str) -> re.Pattern[str] | None:
    name = re.sub(r"\s+", "", fold(name))
    if len(name) < 2 or PLACEHOLDER.search(name):
        return None  # a one-character name, or already anonymized ("张某", "某建筑公司")
    # Spaces between the characters (张 三, 张　三) are the same name.
    return re.compile(r"[ \t\u3000]*".join(re.escape(ch) for ch in name))


def _names(folded: str, persons: Mapping[str, str]) -> Iterable[tuple[int, int, str]]:
    """Full names (with or without spaces between the characters), and a given name of two characters or more on
    its own (建国 of 张建国): a reader who knows the family recognises it. A party that is a company (某建筑公司)
    is searched as written."""
    for name, role in persons.items():
        name = re.sub(r"\s+", "", fold(name))
        forms = [name]
        given = name[len(surname_form(name)) - 1:]
        if re.fullmatch(r"[\u4e00-\u9fff]{3,4}", name) and len(given) >= 2:
            forms.append(given)
        for form in forms:
            pattern = _name_pattern(form)
            if pattern is None:
                continue
            for m in pattern.finditer(folded):
                yield m.start(), m.end(), role


# --- the two entry points ------------------------------------------------------------------------------------------

def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _merge(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Overlapping findings: the earliest (then the longest) wins; a name inside an address stays a name."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _spans(text: str, persons: Mapping[str, str]) -> list[tuple[int, int, str, str]]:
    folded = fold(text)
    names = _merge([(a, b, NAME, role) for a, b, role in _names(folded, persons)])
    others = [(a, b, kind, "") for kind, a, b in _numbers(folded)]
    others = _merge(others + [(a, b, ADDRESS, "") for a, b in _addresses(folded)])
    # Names win over any other finding they overlap: a name is what a reader recognises.
    others = [s for s in others if not any(s[0] < n[1] and n[0] < s[1] for n in names)]
    return sorted(names + others)


def check(parts: Mapping[str, str], persons: Mapping[str, str]) -> list[Finding]:
    """Everything in the write-up's ``parts`` ({field: text}) that identifies a person. ``persons`` maps the case's
    known persons' full names to their role (张三 → 受援人). Empty: the write-up may be published."""
    findings: list[Finding] = []
    for field, text in parts.items():
        for start, end, kind, _ in _spans(text or "", persons):
            line, column = _position(text, start)
            findings.append(Finding(kind, field, start, end, text[start:end], line, column))
    return findings


def scrub(text: str, persons: Mapping[str, str]) -> str:
    """``text`` with every finding replaced: a name by its role (受援人), a number dropped, an address by 某处."""
    out, last = [], 0
    for start, end, kind, role in _spans(text, persons):
        out.append(text[last:start])
        out.append(role if kind == NAME else REPLACEMENTS[kind])
        last = end
    out.append(text[last:])
    result = "".join(out)
    for role in set(persons.values()):
        result = re.sub(f"(?:{re.escape(role)}){{2,}}", role, result)  # 受援人张三 → 受援人受援人 → 受援人
    labels = r"(?:联系电话|电话号码|电话|手机号码?|座机|固定电话|身份证号码?|公民身份号码)"
    result = re.sub(labels + r"[：:]?\s*(?=[，,。；;）)]|$)", "", result)
    result = re.sub(r"[（(][，,、\s]*[）)]", "", result)  # "（身份证号…，电话…）" with both numbers dropped
    result = re.sub(r"[，,]\s*[，,]", "，", result)  # a dropped number leaves "，，" behind
    return re.sub(r"[，,]\s*([。；;])", r"\1", result)


def describe(findings: Iterable[Finding], labels: Mapping[str, str]) -> list[str]:
    """One Chinese line per finding: where (part, line, column) and what, as the refusal lists them."""
    lines = []
    for f in findings:
        hint = "请改为“某某”或当事人身份（如“受援人”）" if f.kind == NAME else (
            "请删除" if f.kind in (ID_NUMBER, PHONE) else "请改为“某地”或只写到区县")
        where = f"{labels.get(f.field, f.field)}第{f.line}行第{f.column}字"
        lines.append(f"{where}：{KIND_LABELS[f.kind]}“{f.shown}”，{hint}。")
    return lines
