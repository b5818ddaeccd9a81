"""Pure peer-review rules (no database): the stratified draw, the reviewer's conflicts and the balanced assignment.
Each is deterministic: the same input gives the same answer, so a recorded seed reproduces a draw."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A closed case that may be drawn: its stratum (center, case type) and a stable key to order it by."""

    case_id: int
    center_id: int
    case_type: str
    key: str  # the case number: unique and stable, so the ordering never depends on the database's row order


@dataclass(frozen=True)
class Stratum:
    center_id: int
    case_type: str
    population: int
    drawn: tuple[int, ...]  # case ids, in the order drawn


def stratum_size(population: int, rate: int) -> int:
    """``rate`` percent of the stratum, rounded up, at least one case of a non-empty stratum."""
    if population <= 0:
        return 0
    return min(population, max(1, math.ceil(population * rate / 100)))


def draw(candidates: Iterable[Candidate], *, rate: int, seed: int) -> list[Stratum]:
    """The stratified sample. One ``random.Random(seed)`` walks the strata in a fixed order (center id, case type)
    and samples each stratum's cases sorted by their key: redrawing with the recorded seed over the same closed cases
    gives the same sample."""
    if not 1 <= rate <= 100:
        raise ValueError("rate must be 1-100")
    strata: dict[tuple[int, str], list[Candidate]] = {}
    for c in candidates:
        strata.setdefault((c.center_id, c.case_type), []).append(c)
    rng = random.Random(seed)  # noqa: S311 -- a reproducible audit sample, not a secret
    out = []
    for (center_id, case_type) in sorted(strata):
        members = sorted(strata[(center_id, case_type)], key=lambda c: (c.key, c.case_id))
        picked = rng.sample(members, stratum_size(len(members), rate))
        out.append(Stratum(center_id, case_type, len(members), tuple(c.case_id for c in picked)))
    return out


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    center_id: int | None  # the staff's center, or the lawyer's home center
    firm_id: int | None
    provider_id: int | None


@dataclass(frozen=True)
class CaseParties:
    center_id: int
    provider_id: int | None
    provider_firm_id: int | None
    handler_user_ids: frozenset[int]  # accounts that acted on the case (its events)
    handler_provider_ids: frozenset[int]  # every provider ever assigned


def conflict(reviewer: Reviewer, case: CaseParties) -> str | None:
    """Why this reviewer may not review this case (in Chinese), or None. A reviewer comes from another center or
    firm than the case and never handled it."""
    if reviewer.provider_id is not None and reviewer.provider_id == case.provider_id:
        return "评估人是本案的承办人员，应当回避。"
    if reviewer.user_id in case.handler_user_ids or (
            reviewer.provider_id is not None and reviewer.provider_id in case.handler_provider_ids):
        return "评估人曾经办本案，应当回避。"
    if reviewer.center_id is not None and reviewer.center_id == case.center_id:
        return "评估人与本案属同一法律援助中心，应由其他中心的人员评估。"
    if reviewer.firm_id is not None and reviewer.firm_id == case.provider_firm_id:
        return "评估人与本案承办人员属同一执业机构，应由其他机构的人员评估。"
    return None


def balance(samples: Sequence[tuple[int, CaseParties]], reviewers: Sequence[Reviewer],
            load: Mapping[int, int]) -> tuple[dict[int, int], list[int]]:
    """Assign each sample (in the given order) to the eligible reviewer with the fewest cases so far (ties: the
    lower user id). ``load``: the cases each reviewer already has in the round. Returns {sample id: user id} and
    the samples no reviewer may take."""
    counts = {r.user_id: load.get(r.user_id, 0) for r in reviewers}
    ordered = sorted(reviewers, key=lambda r: r.user_id)
    assigned: dict[int, int] = {}
    stuck: list[int] = []
    for sample_id, parties in samples:
        eligible = [r for r in ordered if conflict(r, parties) is None]
        if not eligible:
            stuck.append(sample_id)
            continue
        chosen = min(eligible, key=lambda r: (counts[r.user_id], r.user_id))
        counts[chosen.user_id] += 1
        assigned[sample_id] = chosen.user_id
    return assigned, stuck
