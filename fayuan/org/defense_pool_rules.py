"""Admission to the criminal-defense pool (刑事辩护法律援助律师库, 2018 work plan point 3), as data: each criterion is
a dated row (``DefensePoolCriterion``) with the basis it rests on, or marked as the city's own default (本地做法).
Pure: the service passes the rows in force on the admission day and the facts of the lawyer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

LAWYER = "lawyer"
CRIMINAL_YEARS = "min_criminal_years"
TRAINING_HOURS = "min_training_hours"
NO_RECENT_SANCTION = "no_recent_sanction"


@dataclass(frozen=True)
class Criterion:
    code: str
    threshold: int | None  # years or hours, as the code says
    basis: str


@dataclass(frozen=True)
class Facts:
    is_lawyer: bool
    years_criminal: int  # full years of criminal defense practice on the admission day
    training_hours: int  # criminal-defense training in the twelve months before admission
    last_sanction_on: dt.date | None  # the latest disciplinary or administrative sanction, if any
    on: dt.date  # the admission day


def _years_since(day: dt.date, on: dt.date) -> int:
    return on.year - day.year - ((on.month, on.day) < (day.month, day.day))


def _check(c: Criterion, f: Facts) -> tuple[bool, str]:
    """(met, the check written out with its basis)."""
    n = c.threshold or 0
    if c.code == LAWYER:
        return f.is_lawyer, f"{'是' if f.is_lawyer else '不是'}执业律师（须为律师，{c.basis}）"
    if c.code == CRIMINAL_YEARS:
        return (f.years_criminal >= n,
                f"刑事辩护执业 {f.years_criminal} 年（要求满 {n} 年，{c.basis}）")
    if c.code == TRAINING_HOURS:
        return (f.training_hours >= n,
                f"近一年刑事辩护培训 {f.training_hours} 学时（要求不少于 {n} 学时，{c.basis}）")
    if c.code == NO_RECENT_SANCTION:
        if f.last_sanction_on is None:
            return True, f"无处分记录（要求近 {n} 年内无行业处分或行政处罚，{c.basis}）"
        met = _years_since(f.last_sanction_on, f.on) >= n
        return met, (f"最近一次处分于 {f.last_sanction_on:%Y-%m-%d}"
                     f"（要求近 {n} 年内无行业处分或行政处罚，{c.basis}）")
    return True, ""


def admission_refusals(criteria: Iterable[Criterion], facts: Facts) -> list[str]:
    """Every criterion in force the lawyer fails, in Chinese with its basis (empty: may be admitted)."""
    return [text for met, text in (_check(c, facts) for c in criteria) if not met]


def explain_admission(criteria: Iterable[Criterion], facts: Facts) -> str:
    """The whole check, criterion by criterion: kept on the membership row as the reason it was granted."""
    return "；".join(text for _met, text in (_check(c, facts) for c in criteria) if text)
