"""The figures of a bulletin, computed from the records of the capability apps for a period and a scope.

The figures are a list of blocks; each block is one function in ``BLOCKS`` returning a ``Block`` (a title, the
rows to print and the raw values). A new source adds one function with ``register_block`` (the peer review of
quality is one such block) and nothing else changes: the page, the PDF and
the DOCX print whatever blocks the snapshot holds. The snapshot is plain JSON, frozen on the bulletin when it is
issued, so an issued bulletin prints the same figures whatever happens to the records later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from fayuan.cases.models import CaseEvent
from fayuan.cases.models import Status as CaseStatus
from fayuan.complaints import selectors as complaint_selectors
from fayuan.complaints.models import Complaint, Outcome
from fayuan.complaints.models import Status as ComplaintStatus
from fayuan.org.models import Center
from fayuan.quality.models import (
    AttendanceStatus,
    ClosingEvaluation,
    FollowUpVisit,
    HearingAttendance,
    QualityGrade,
    Satisfaction,
    VisitStatus,
)
from fayuan.quality.peer_review.models import PeerSample
from fayuan.typical_cases.models import Status as TypicalStatus
from fayuan.typical_cases.models import TypicalCase

# A write-up counts as submitted for its month once it went to the bureau (typical_cases.selectors.COUNTED).
SUBMITTED = (TypicalStatus.SUBMITTED, TypicalStatus.RETURNED, TypicalStatus.ACCEPTED)


@dataclass(frozen=True)
class Scope:
    """What a bulletin counts: [start, end) and one center (None: every center of the city)."""

    start: dt.date
    end: dt.date
    center_id: int | None

    def where(self, center_field: str) -> Q:
        return Q() if self.center_id is None else Q(**{center_field: self.center_id})


@dataclass
class Block:
    key: str
    title: str
    rows: list[tuple[str, str]]
    values: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [list(r) for r in self.rows], "values": self.values}


def percent(part: int, whole: int) -> str | None:
    """A rate to one decimal place, as text ("87.5"); None when there is nothing to divide by."""
    if not whole:
        return None
    return str((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _shown(value: Any, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


def closed_cases(scope: Scope) -> QuerySet[Any]:
    """The cases whose closing was accepted in the period (the case event into 已结案), once each."""
    return (CaseEvent.objects.filter(scope.where("case__center_id"), to_status=CaseStatus.CLOSED,
                                     at__date__gte=scope.start, at__date__lt=scope.end)
            .values("case_id").distinct())


def cases_block(scope: Scope) -> Block:
    closed_ids = closed_cases(scope)
    closed = closed_ids.count()
    done = ClosingEvaluation.objects.filter(scope.where("case__center_id"), completed_at__isnull=False)
    in_period = done.filter(completed_at__date__gte=scope.start, completed_at__date__lt=scope.end)
    grades = dict(in_period.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    evaluated = sum(grades.values())
    # A gap: a case closed in the period that still has no completed evaluation (counted when computed).
    gaps = closed_ids.exclude(case_id__in=done.values("case_id")).count()
    values: dict[str, Any] = {"closed": closed, "evaluated": evaluated, "gaps": gaps}
    rows = [("结案数（件）", str(closed)), ("本期完成一案一评（件，含以前结案）", str(evaluated))]
    for code, label in QualityGrade.choices:
        n = grades.get(code, 0)
        values[f"grade_{code}"] = n
        rows.append((f"其中{label}（件，占比）", f"{n}（{_shown(percent(n, evaluated), '%')}）"))
    rows.append(("本期结案尚未评价（件）", str(gaps)))
    return Block("cases", "结案与一案一评", rows, values)


def attendance_block(scope: Scope) -> Block:
    done = HearingAttendance.objects.filter(scope.where("case__center_id"), status=AttendanceStatus.DONE,
                                            hearing_at__date__gte=scope.start, hearing_at__date__lt=scope.end)
    row = done.aggregate(n=Count("pk"), avg=Avg("score"))
    avg = None if row["avg"] is None else str(Decimal(str(row["avg"])).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return Block("attendance", "庭审旁听", [("旁听庭审（次）", str(row["n"])), ("旁听平均得分", _shown(avg))],
                 {"attended": row["n"], "average_score": avg})


def followup_block(scope: Scope) -> Block:
    visits = FollowUpVisit.objects.filter(scope.where("center_id"), visited_on__gte=scope.start,
                                          visited_on__lt=scope.end).exclude(status=VisitStatus.DUE)
    row = visits.aggregate(
        visits=Count("pk"), reached=Count("pk", filter=Q(status=VisitStatus.DONE)),
        satisfied=Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        dissatisfied=Count("pk", filter=Q(satisfaction=Satisfaction.DISSATISFIED)))
    # 满意率 as quality reports it: (满意 + 基本满意) ÷ the visits that reached the recipient.
    rate = percent(row["satisfied"], row["reached"])
    return Block("followup", "回访与满意度", [
        ("回访（次）", str(row["visits"])), ("联系到受援人（次）", str(row["reached"])),
        ("满意及基本满意（次）", str(row["satisfied"])), ("不满意（次）", str(row["dissatisfied"])),
        ("满意率", _shown(rate, "%"))], {**row, "rate": rate})


def complaints_block(scope: Scope) -> Block:
    mine = Complaint.objects.filter(scope.where("center_id"))
    received = mine.filter(received_at__date__gte=scope.start, received_at__date__lt=scope.end).count()
    decided = mine.filter(decided_at__date__gte=scope.start, decided_at__date__lt=scope.end)
    row = decided.aggregate(n=Count("pk"), substantiated=Count("pk", filter=Q(outcome=Outcome.SUBSTANTIATED)),
                            partly=Count("pk", filter=Q(outcome=Outcome.PARTLY)))
    pending = mine.filter(status=ComplaintStatus.RECEIVED, received_at__date__lt=scope.end).count()
    # Providers the repeated-complaint rule flags on the period's last day, among those complained of here.
    last_day = scope.end - dt.timedelta(days=1)
    flagged = len(complaint_selectors.repeat_flags(mine.values_list("provider_id", flat=True).distinct(), last_day))
    return Block("complaints", "投诉处理", [
        ("收到投诉（件）", str(received)), ("作出处理（件）", str(row["n"])),
        ("其中成立（件）", str(row["substantiated"])), ("其中部分成立（件）", str(row["partly"])),
        ("期末尚在处理（件）", str(pending)), ("触发重复投诉提示的法律援助人员（名）", str(flagged))],
        {"received": received, "decided": row["n"], "substantiated": row["substantiated"],
         "partly": row["partly"], "pending": pending, "flagged_providers": flagged})


def typical_block(scope: Scope) -> Block:
    mine = TypicalCase.objects.filter(scope.where("center_id"), period__gte=scope.start, period__lt=scope.end)
    row = mine.aggregate(submitted=Count("pk", filter=Q(status__in=SUBMITTED)),
                         accepted=Count("pk", filter=Q(status=TypicalStatus.ACCEPTED)))
    return Block("typical", "典型案例报送", [("报送典型案例（件）", str(row["submitted"])),
                                           ("被采用（件）", str(row["accepted"]))], dict(row))


def peer_review_block(scope: Scope) -> Block:
    """The annual inspection's results scored in the period: the sampled cases of the scope's center(s), their
    grades, and the improvements the unqualified ones require (done or still open at the period's end)."""
    scored = PeerSample.objects.filter(scope.where("center_id"), scored_at__date__gte=scope.start,
                                       scored_at__date__lt=scope.end)
    row = scored.aggregate(n=Count("pk"), avg=Avg("total"),
                           **{f"grade_{g}": Count("pk", filter=Q(grade=g)) for g in QualityGrade.values})
    avg = None if row["avg"] is None else str(Decimal(str(row["avg"])).quantize(Decimal("0.1"), ROUND_HALF_UP))
    fails = scored.filter(grade=QualityGrade.FAIL)
    open_improvements = fails.filter(Q(improvement__isnull=True) | Q(improvement__done_on__isnull=True)
                                     | Q(improvement__done_on__gte=scope.end)).count()
    rows = [("同行评估评分案件（件）", str(row["n"])), ("平均得分", _shown(avg))]
    rows += [(f"其中{label}（件）", str(row[f"grade_{value}"])) for value, label in QualityGrade.choices]
    rows.append(("不合格案件中期末尚未完成整改（件）", str(open_improvements)))
    values = {k: v for k, v in row.items() if k != "avg"}
    return Block("peer_review", "案件质量评查（同行评估）", rows,
                 {**values, "average_score": avg, "open_improvements": open_improvements})


BlockFn = Callable[[Scope], Block]
BLOCKS: list[BlockFn] = [cases_block, attendance_block, followup_block, complaints_block, typical_block,
                         peer_review_block]


def register_block(fn: BlockFn) -> BlockFn:
    """Add a block to every bulletin computed from now on (issued bulletins keep their snapshot)."""
    if fn not in BLOCKS:
        BLOCKS.append(fn)
    return fn


def centers_in(scope: Scope) -> list[Center]:
    qs = Center.objects.all() if scope.center_id is None else Center.objects.filter(pk=scope.center_id)
    return list(qs.order_by("level", "name"))


def snapshot(scope: Scope) -> dict[str, Any]:
    """Every block for the scope, and for the city one line per center with the figures a reader compares."""
    result: dict[str, Any] = {"start": scope.start.isoformat(), "end": scope.end.isoformat(),
                              "blocks": [fn(scope).as_json() for fn in BLOCKS], "centers": []}
    if scope.center_id is None:
        for center in centers_in(scope):
            own = Scope(scope.start, scope.end, center.pk)
            cases, followup, complaints = cases_block(own), followup_block(own), complaints_block(own)
            result["centers"].append({
                "name": center.name, "closed": cases.values["closed"], "evaluated": cases.values["evaluated"],
                "fail": cases.values[f"grade_{QualityGrade.FAIL}"], "gaps": cases.values["gaps"],
                "rate": followup.values["rate"], "complaints": complaints.values["received"],
                "substantiated": complaints.values["substantiated"] + complaints.values["partly"]})
    return result


CENTER_HEADERS = ("中心", "结案", "本期评价", "不合格", "结案未评价", "满意率", "投诉", "成立/部分成立")


def block_values(figures: dict[str, Any], key: str) -> dict[str, Any]:
    return next((b["values"] for b in figures.get("blocks", []) if b["key"] == key), {})
