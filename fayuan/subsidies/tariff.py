"""The subsidy calculator: pure, no database. Inputs are the case's service, procedure and district, the units, the
claimed direct costs, the quality grade and the rule rows in force; the output is a list of lines, each with the
amount, an explanation a provider can read and the rule it rests on, and their total.

Choices, stated once:
- Money is Decimal; every line is quantized to the fen with ROUND_HALF_UP, and the total is the sum of the lines
  (so the total never differs from the lines by a rounding).
- The rate: the row of the service whose district is the case's (else the city-wide row), and within that the row of
  the procedure applied (else the row for any procedure). A district's row wins over the city's.
- Direct costs: the claims of one item are added up and refunded up to that item's per-case cap; an item without a
  cap row is not refunded (the line says so).
- The quality adjustment applies to the base subsidy only, never to the refunded costs (costs are money the provider
  spent); a percent is at least -100, so the total is never negative. No grade known: no adjustment (the line says).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    service: str
    procedure: str  # "" = any
    district_id: int | None  # None = city-wide
    amount: Decimal
    unit: str
    unit_label: str = ""
    basis: str = ""
    rule_id: int | None = None
    is_sample: bool = False


@dataclass(frozen=True)
class Limit:
    item: str
    cap: Decimal
    basis: str = ""
    rule_id: int | None = None


@dataclass(frozen=True)
class Adjustment:
    grade: str
    percent: Decimal
    basis: str = ""
    rule_id: int | None = None


@dataclass(frozen=True)
class Cost:
    item: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Line:
    kind: str  # "base" | "cost" | "adjustment"
    label: str
    amount: Decimal
    explanation: str
    rule: str = ""
    rule_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "label": self.label, "amount": str(self.amount), "explanation": self.explanation,
                "rule": self.rule, "rule_id": self.rule_id}


@dataclass(frozen=True)
class Result:
    lines: list[Line] = field(default_factory=list)

    def part(self, kind: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == kind), ZERO)

    @property
    def base(self) -> Decimal:
        return self.part("base")

    @property
    def costs(self) -> Decimal:
        return self.part("cost")

    @property
    def adjustment(self) -> Decimal:
        return self.part("adjustment")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


class NoRate(LookupError):
    """No tariff row covers the service: the subsidy cannot be computed until the bureau enters one."""


def pick_rate(rates: Sequence[Rate], *, service: str, procedure: str, district_id: int | None) -> Rate:
    """The most specific row: the district's before the city's, then the procedure's before any procedure's."""
    fitting = [r for r in rates if r.service == service and r.procedure in ("", procedure)
               and r.district_id in (None, district_id)]
    if not fitting:
        raise NoRate(service)
    return max(fitting, key=lambda r: (r.district_id is not None, r.procedure != ""))


def compute(*, service: str, procedure: str, district_id: int | None, units: int, costs: Sequence[Cost],
            grade: str | None, rates: Sequence[Rate], limits: Sequence[Limit], adjustments: Sequence[Adjustment],
            labels: dict[str, str] | None = None) -> Result:
    labels = labels or {}
    units = max(units, 1)
    rate = pick_rate(rates, service=service, procedure=procedure, district_id=district_id)
    base = money(rate.amount * units)
    where = "本区标准" if rate.district_id is not None else "全市标准"
    sample = "（系统示例标准）" if rate.is_sample else ""
    lines = [Line("base", "基本补贴", base,
                  f"{labels.get(service, service)}，{where}{rate.amount}元/{rate.unit_label or rate.unit}"
                  f" × {units} = {base}元{sample}", rate.basis, rate.rule_id)]
    by_item: dict[str, Decimal] = {}
    notes: dict[str, list[str]] = {}
    for cost in costs:
        by_item[cost.item] = by_item.get(cost.item, ZERO) + money(cost.amount)
        if cost.note:
            notes.setdefault(cost.item, []).append(cost.note)
    caps = {limit.item: limit for limit in limits}
    for item, claimed in by_item.items():
        label = labels.get(item, item)
        limit = caps.get(item)
        noted = f"（{'；'.join(notes[item])}）" if item in notes else ""
        if limit is None:
            lines.append(Line("cost", label, ZERO, f"申报{claimed}元{noted}；该项目无报销标准，不予报销。"))
            continue
        allowed = min(claimed, money(limit.cap))
        cut = f"，超出每案上限{money(limit.cap)}元，按上限报销" if allowed < claimed else "，未超过每案上限，全额报销"
        lines.append(Line("cost", label, allowed, f"申报{claimed}元{noted}{cut}{allowed}元。", limit.basis,
                          limit.rule_id))
    lines.append(_adjustment_line(base, grade, adjustments, labels))
    return Result(lines)


def _adjustment_line(base: Decimal, grade: str | None, adjustments: Sequence[Adjustment],
                     labels: dict[str, str]) -> Line:
    if not grade:
        return Line("adjustment", "质量调整", ZERO, "质量等级尚未评定，不作调整。")
    found = next((a for a in adjustments if a.grade == grade), None)
    grade_label = labels.get(grade, grade)
    if found is None:
        return Line("adjustment", "质量调整", ZERO, f"质量等级{grade_label}，无调整标准，不作调整。")
    percent = max(found.percent, Decimal(-100))
    amount = money(base * percent / 100)
    return Line("adjustment", "质量调整", amount,
                f"质量等级{grade_label}，基本补贴{base}元 × {percent:+}% = {amount:+}元（仅调整基本补贴）。",
                found.basis, found.rule_id)
