"""Choosing a provider: hard rules (law and capacity) filter, then a fair rotation ranks. Pure; no database.

Hard rules, which no override can break:
- capacity: a provider never holds more open cases than their capacity;
- art. 26: possible life imprisonment or death sentence, and death-penalty review, need a lawyer with at least
  three years of criminal defense;
- criminal defense is done by lawyers (art. 25: 指派律师担任辩护人);
- minors get a lawyer familiar with minors (Criminal Procedure Law art. 278; SPC interpretation);
- conflict: the provider, or anyone at their firm, acted for the opposing party (exact on the ID hash, fuzzy on
  the name).
Rotation: a specialty match first, then the lightest load relative to capacity, then whoever waited longest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

NAME_SIMILARITY = 90  # rapidfuzz ratio (0-100) at which two party names are taken as the same party
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Matter or case type → the provider specialty that fits it best.
SPECIALTY_FOR_MATTER = {
    "wages": "labour", "labour_relation": "labour", "social_insurance": "labour", "work_injury": "work_injury",
    "traffic_injury": "traffic", "medical_injury": "medical", "food_drug_injury": "medical",
    "marriage_family": "marriage_family", "support_child": "marriage_family", "support_spouse": "marriage_family",
    "support_elderly": "elderly", "inheritance": "marriage_family", "state_compensation": "state_compensation",
    "land_transfer": "land", "social_assistance": "administrative", "pension": "administrative",
    "environmental_damage": "administrative", "personal_injury": "traffic", "capacity_declaration": "elderly",
}


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


@dataclass(frozen=True)
class Need:
    case_type: str
    matter: str
    senior_defender: bool
    minor_specialist: bool
    opposing: Party | None
    exclude: frozenset[int] = field(default_factory=frozenset)  # e.g. the provider being replaced


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


def refusal(candidate: Candidate, need: Need) -> str | None:
    """Why this candidate may not take the case, in Chinese, or None when they may."""
    if candidate.provider_id in need.exclude:
        return "受援人已申请更换该承办人员"
    if candidate.open_cases >= candidate.capacity:
        return f"在办案件已达上限（{candidate.open_cases}/{candidate.capacity}）"
    if need.case_type == "criminal" and candidate.kind != "lawyer":
        return "刑事辩护须由律师承担（法律援助法第二十五条）"
    if need.senior_defender and candidate.years_criminal < 3:
        return f"刑事辩护执业经历 {candidate.years_criminal} 年，不足三年（法律援助法第二十六条）"
    if need.minor_specialist and not candidate.familiar_with_minors:
        return "须指派熟悉未成年人身心特点的律师"
    if conflicts(candidate, need.opposing):
        return "本人或所在机构曾代理对方当事人，存在利益冲突"
    return None


def rank(candidates: Iterable[Candidate], need: Need) -> tuple[list[Ranked], dict[int, str]]:
    """Eligible candidates in rotation order, and the refusal reason of every other candidate."""
    wanted = SPECIALTY_FOR_MATTER.get(need.matter, "criminal" if need.case_type == "criminal" else "")
    eligible: list[Ranked] = []
    refused: dict[int, str] = {}
    for c in candidates:
        reason = refusal(c, need)
        if reason is not None:
            refused[c.provider_id] = reason
            continue
        eligible.append(Ranked(c, wanted in c.specialties, c.open_cases / c.capacity))
    eligible.sort(key=lambda r: (not r.specialty_match, r.load, r.candidate.last_assigned_at or NEVER,
                                 r.candidate.provider_id))
    return eligible, refused
