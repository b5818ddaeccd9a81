"""Admission to a station's duty pool, as data: each criterion is a dated row (``AdmissionCriterion``) with the
basis it rests on, or marked as the city's own default (本地做法). Pure: the service passes the rows and the facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_YEARS = "min_years_practice"
ASSESSMENT = "assessment_passed"
NO_SANCTIONS = "no_sanctions"


@dataclass(frozen=True)
class Criterion:
    code: str
    min_years: int | None
    basis: str  # the legal basis, or "本地做法" for the city's own default


@dataclass(frozen=True)
class Facts:
    years_of_practice: int
    assessment_passed: bool
    has_sanction: bool


def admission_refusals(criteria: Iterable[Criterion], facts: Facts) -> list[str]:
    """Every criterion in force the lawyer fails, in Chinese with its basis (empty: may be admitted)."""
    reasons: list[str] = []
    for c in criteria:
        if c.code == MIN_YEARS and facts.years_of_practice < (c.min_years or 0):
            reasons.append(f"执业满 {c.min_years} 年方可入库，该律师执业 {facts.years_of_practice} 年（{c.basis}）")
        elif c.code == ASSESSMENT and not facts.assessment_passed:
            reasons.append(f"入库考核未通过（{c.basis}）")
        elif c.code == NO_SANCTIONS and facts.has_sanction:
            reasons.append(f"受过行业处分或行政处罚的律师不得入库（{c.basis}）")
    return reasons


def explain_admission(criteria: Iterable[Criterion], facts: Facts) -> str:
    parts = []
    for c in criteria:
        if c.code == MIN_YEARS:
            parts.append(f"执业 {facts.years_of_practice} 年（要求满 {c.min_years} 年，{c.basis}）")
        elif c.code == ASSESSMENT:
            parts.append(f"考核{'通过' if facts.assessment_passed else '未通过'}（{c.basis}）")
        elif c.code == NO_SANCTIONS:
            parts.append(f"{'有' if facts.has_sanction else '无'}处分记录（{c.basis}）")
    return "；".join(parts)
