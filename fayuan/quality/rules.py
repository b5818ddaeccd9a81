"""Pure quality rules (no database): proposing a grade from a case's facts, scoring a rubric, combining the parts
of the closing evaluation into a grade, and drawing the follow-up sample. Each result explains itself."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ORDINARY, MAJOR, DIFFICULT = "ordinary", "major", "difficult"
# When a case meets criteria of both kinds it is graded major: the stricter handling (a collective discussion is
# needed either way, but a major case is reported to the bureau first).
GRADE_RANK = {ORDINARY: 0, DIFFICULT: 1, MAJOR: 2}
EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
GRADE_NAMES = {EXCELLENT: "优秀", GOOD: "良好", PASS: "合格", FAIL: "不合格"}
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    grade: str
    match_on: str  # criminal_ground | criminal_stage | group | manual
    match_values: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class CaseFacts:
    criminal_ground: str = ""
    criminal_stage: str = ""
    groups: frozenset[str] = frozenset()


def criteria_met(facts: CaseFacts, criteria: Iterable[Criterion], ticked: Iterable[str] = ()) -> list[Criterion]:
    """The criteria the facts meet, plus the manual ones the staff ticked."""
    ticked = set(ticked)
    met = []
    for c in criteria:
        if c.match_on == "manual":
            hit = c.code in ticked
        elif c.match_on == "criminal_ground":
            hit = bool(facts.criminal_ground) and facts.criminal_ground in c.match_values
        elif c.match_on == "criminal_stage":
            hit = bool(facts.criminal_stage) and facts.criminal_stage in c.match_values
        elif c.match_on == "group":
            hit = bool(facts.groups & set(c.match_values))
        else:
            hit = False
        if hit:
            met.append(c)
    return met


def grade_for(met: Sequence[Criterion]) -> str:
    return max((c.grade for c in met), key=GRADE_RANK.__getitem__, default=ORDINARY)


def _q(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bands:
    excellent_from: int
    good_from: int
    pass_from: int

    def grade(self, score: Decimal) -> str:
        if score >= self.excellent_from:
            return EXCELLENT
        if score >= self.good_from:
            return GOOD
        if score >= self.pass_from:
            return PASS
        return FAIL


class RubricError(ValueError):
    def __init__(self, message: str, item: int | None = None) -> None:
        super().__init__(message)
        self.message, self.item = message, item


def rubric_problems(items: Sequence[tuple[int, str, int]]) -> list[str]:
    """Why a rubric cannot be used (``items``: (id, title, max points)): it must have items worth 100 in all."""
    total = sum(points for _i, _t, points in items)
    if not items:
        return ["评分标准没有评分项目。"]
    if total != 100:
        return [f"评分项目分值合计为 {total} 分，应为 100 分。"]
    return []


def score_rubric(items: Sequence[tuple[int, str, int]], given: Mapping[int, object]) -> Decimal:
    """The total of the points given per item; every item scored, each between 0 and its maximum (halves allowed)."""
    problems = rubric_problems(items)
    if problems:
        raise RubricError(problems[0])
    total = Decimal(0)
    for item_id, title, max_points in items:
        raw = given.get(item_id)
        try:
            points = Decimal(str(raw)) if raw not in (None, "") else None
        except ArithmeticError:
            points = None
        if points is None or not points.is_finite():
            raise RubricError(f"请为“{title}”打分。", item_id)
        if points < 0 or points > max_points or points * 2 != (points * 2).to_integral_value():
            raise RubricError(f"“{title}”的得分应在 0 到 {max_points} 分之间（可精确到 0.5 分）。", item_id)
        total += points
    return _q(total)


@dataclass(frozen=True)
class Part:
    code: str  # rating | inspection | organ | attendance
    label: str
    weight: int
    score: Decimal | None  # on 100; None: missing, its weight goes to the others


@dataclass(frozen=True)
class Combined:
    total: Decimal
    grade: str
    explanation: list[str]


def combine(parts: Sequence[Part], bands: Bands) -> Combined:
    """A weighted mean of the parts present (their weights scaled to add up to 100), and its band."""
    present = [p for p in parts if p.score is not None and p.weight > 0]
    weight = sum(p.weight for p in present)
    if not weight:
        raise ValueError("no part to combine")
    total = _q(sum((Decimal(p.weight) * p.score for p in present if p.score is not None), Decimal(0))
               / Decimal(weight))
    explanation = []
    for p in parts:
        if p.score is None or p.weight == 0:
            explanation.append(f"{p.label}：无（权重 {p.weight}% 按比例分配给其他各项）")
        else:
            share = _q(Decimal(p.weight) * 100 / Decimal(weight))
            explanation.append(f"{p.label}：{_q(p.score)} 分 × 权重 {share}%")
    grade = bands.grade(total)
    explanation.append(f"综合得分 {total} 分，等级“{GRADE_NAMES[grade]}”（优秀≥{bands.excellent_from}，"
                       f"良好≥{bands.good_from}，合格≥{bands.pass_from}）")
    return Combined(total, grade, explanation)


def rating_on_100(scores: Sequence[int]) -> Decimal | None:
    """The recipient's 1-5 ratings as one score on 100 (their mean × 20)."""
    if not scores:
        return None
    return _q(Decimal(sum(scores)) * 20 / Decimal(len(scores)))


def sample_bucket(key: str) -> int:
    """A case's place 0-99 in the follow-up draw, fixed by its id: redrawing gives the same sample."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100


def drawn_for_followup(key: str, rate: int) -> bool:
    return sample_bucket(key) < rate
