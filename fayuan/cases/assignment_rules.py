"""Choosing a provider: hard rules (law and capacity) filter, then a fair rotation ranks. Pure; no database.

Hard rules, which no override can break, all applied at once and all reported:
- capacity: a provider never holds more open cases than their capacity;
- criminal defense is done by lawyers (art. 25: 指派律师担任辩护人) who are members of the criminal-defense pool
  (刑事辩护法律援助律师库, 2018 work plan point 3: the city's own practice) on the assignment day;
- every ground the case rests on brings its own requirements, read from the dated ground rows: possible life
  imprisonment or death, and death-penalty review, need three years of related practice (law art. 26); a minor
  needs a lawyer familiar with minors (SPC interpretation art. 564). A minor facing a life sentence needs both;
- co-defendants: one lawyer may not defend two defendants of the same criminal case (SPC interpretation art. 43
  para. 2; police rules art. 43 para. 2), the same case being the same handling organ and organ case number;
- conflict: the provider, or anyone at their firm, acted for the opposing party (exact on the ID hash, fuzzy on
  the name).
Rotation: a specialty match first (the specialty is the dated Matter or ground row's), then the lightest load
relative to capacity, then whoever waited longest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

NAME_SIMILARITY = 90  # rapidfuzz ratio (0-100) at which two party names are taken as the same party
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CO_DEFENDANT_BASIS = ("最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释第四十三条第二款；"
                      "公安机关办理刑事案件程序规定第四十三条第二款")
# The pool is the city's own practice: no statute text held in this system requires it.
DEFENSE_POOL_BASIS = "本地做法：2018年镇江市法律援助工作计划第三点“建立刑事辩护法律援助律师库”；国家层面依据待补"


@dataclass(frozen=True)
class Party:
    name: str
    id_hash: str = ""


@dataclass(frozen=True)
class Candidate:
    provider_id: int
    name: str
    kind: str
    firm_id: int | None
    specialties: frozenset[str]
    capacity: int
    open_cases: int
    years_criminal: int
    familiar_with_minors: bool
    last_assigned_at: dt.datetime | None
    # Parties the provider or their firm acted for (the applicants of their legal aid cases).
    represented: tuple[Party, ...] = ()
    # Numbers of other legal aid cases of the same criminal case (same organ and organ case number) in which this
    # provider was assigned to another defendant.
    co_defendant_cases: tuple[str, ...] = ()
    # Reasons given by the registered assignment vetoes of other apps (``cases.vetoes``).
    vetoes: tuple[str, ...] = ()
    # A member of the criminal-defense pool on the assignment day (``org.defense_pool``).
    in_criminal_pool: bool = False


@dataclass(frozen=True)
class GroundNeed:
    """What one criminal ground asks of the lawyer, from its dated row."""

    code: str
    name: str
    senior_defender: bool
    minor_specialist: bool
    basis: str


@dataclass(frozen=True)
class Need:
    case_type: str
    matter: str
    opposing: Party | None
    grounds: tuple[GroundNeed, ...] = ()  # every ground the case rests on
    specialty: str = ""
    exclude: frozenset[int] = field(default_factory=frozenset)  # e.g. the provider being replaced

    @property
    def senior_defender(self) -> bool:
        return any(g.senior_defender for g in self.grounds)

    @property
    def minor_specialist(self) -> bool:
        return any(g.minor_specialist for g in self.grounds)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    specialty_match: bool
    load: float

    def explain(self) -> str:
        c = self.candidate
        last = f"上次指派 {c.last_assigned_at:%Y-%m-%d}" if c.last_assigned_at else "尚未被指派过"
        match = "专长匹配" if self.specialty_match else "专长不匹配"
        return f"{c.name}：{match}，在办 {c.open_cases}/{c.capacity} 件，{last}"


def conflicts(candidate: Candidate, opposing: Party | None) -> bool:
    if opposing is None or not opposing.name.strip():
        return False
    for party in candidate.represented:
        if opposing.id_hash and party.id_hash and opposing.id_hash == party.id_hash:
            return True
        if fuzz.ratio(opposing.name.strip(), party.name.strip()) >= NAME_SIMILARITY:
            return True
    return False


def _grounds_text(grounds: list[GroundNeed]) -> tuple[str, str]:
    names = "、".join(f"“{g.name}”" for g in grounds)
    bases: list[str] = []
    for g in grounds:
        if g.basis not in bases:
            bases.append(g.basis)
    return names, "；".join(bases)


def refusals(candidate: Candidate, need: Need) -> list[str]:
    """Every reason this candidate may not take the case, in Chinese (empty when they may): the hard rules of all
    the case's grounds are applied together, so one lawyer must meet all of them."""
    reasons: list[str] = []
    if candidate.provider_id in need.exclude:
        reasons.append("受援人已申请更换该承办人员")
    if candidate.open_cases >= candidate.capacity:
        reasons.append(f"在办案件已达上限（{candidate.open_cases}/{candidate.capacity}）")
    if need.case_type == "criminal" and candidate.kind != "lawyer":
        reasons.append("刑事辩护须由律师承担（法律援助法第二十五条）")
    if need.case_type == "criminal" and not candidate.in_criminal_pool:
        reasons.append(f"刑事法律援助案件只指派刑事辩护律师库成员，该人员指派之日不在库中（{DEFENSE_POOL_BASIS}）")
    senior = [g for g in need.grounds if g.senior_defender]
    if senior and candidate.years_criminal < 3:
        names, bases = _grounds_text(senior)
        reasons.append(f"{names}须由具有三年以上相关执业经历的律师担任辩护人，该律师刑事辩护执业经历 "
                       f"{candidate.years_criminal} 年，不足三年（{bases}）")
    minors = [g for g in need.grounds if g.minor_specialist]
    if minors and not candidate.familiar_with_minors:
        names, bases = _grounds_text(minors)
        reasons.append(f"{names}须指派熟悉未成年人身心特点的律师（{bases}）")
    if candidate.co_defendant_cases:
        reasons.append(f"已在同一刑事案件中为其他被告人担任辩护人（{'、'.join(candidate.co_defendant_cases)}），"
                       f"一名辩护人不得为两名以上的同案被告人辩护（{CO_DEFENDANT_BASIS}）")
    if conflicts(candidate, need.opposing):
        reasons.append("本人或所在机构曾代理对方当事人，存在利益冲突")
    reasons.extend(candidate.vetoes)
    return reasons


def refusal(candidate: Candidate, need: Need) -> str | None:
    """Why this candidate may not take the case, in Chinese, or None when they may."""
    reasons = refusals(candidate, need)
    return "；".join(reasons) if reasons else None


def rank(candidates: Iterable[Candidate], need: Need) -> tuple[list[Ranked], dict[int, str]]:
    """Eligible candidates in rotation order, and the refusal reasons of every other candidate."""
    wanted = need.specialty
    eligible: list[Ranked] = []
    refused: dict[int, str] = {}
    for c in candidates:
        reason = refusal(c, need)
        if reason is not None:
            refused[c.provider_id] = reason
            continue
        eligible.append(Ranked(c, bool(wanted) and wanted in c.specialties, c.open_cases / c.capacity))
    eligible.sort(key=lambda r: (not r.specialty_match, r.load, r.candidate.last_assigned_at or NEVER,
                                 r.candidate.provider_id))
    return eligible, refused
