"""Writes of the subsidies app: the provider's claim, the subsidy computed when the closing file is accepted, the
center director's approval (recomputed with the quality grade then known), the monthly payment batches (draft →
submitted to finance → paid), and the budgets.

The grade: when the closing is accepted the closing evaluation has only been opened, so the first computation
usually has no grade (no adjustment). Approval recomputes with the grade known then (``case_quality_grade``: the
closing evaluation, lowered by a peer review). A grade that changes after approval does not change an approved or
paid subsidy: the paid amount stays what the finance office paid (left for later: an adjustment line in a later
batch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case
from fayuan.cases.models import Status as CaseStatus
from fayuan.cases.selectors import case_get_for_user
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Center
from fayuan.quality.selectors import case_quality_grade

from . import rules, tariff
from .models import (
    BatchStatus,
    Budget,
    Claim,
    ClaimCost,
    ClosingSums,
    CostItem,
    PaymentBatch,
    Procedure,
    Status,
    Subsidy,
)
from .selectors import batch_get_for_user, closings_counted, is_city_bureau, subsidy_get_for_user

HANDLING = (CaseStatus.ASSIGNED, CaseStatus.AGREEMENT_SIGNED, CaseStatus.IN_PROGRESS, CaseStatus.CLOSING_SUBMITTED)
MAX_COST = Decimal("100000.00")
MAX_BUDGET = Decimal("9999999999.99")


@dataclass(frozen=True)
class CostInput:
    item: str
    amount: Any
    note: str = ""


def _money(value: Any, *, field: str, what: str, limit: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{what}应为金额，如 120.50。", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > limit:
        raise ValidationFailed(f"{what}应在 0 至 {limit} 元之间。", field=field)
    if amount != amount.quantize(tariff.FEN):
        raise ValidationFailed(f"{what}最多精确到分（两位小数）。", field=field)
    return tariff.money(amount)


# --- The provider's claim -------------------------------------------------------------------------------------


@atomic_service
def claim_save(*, actor: User, case_id: Any, procedure: str, units: int = 1,
               costs: list[CostInput] | tuple[CostInput, ...] = ()) -> Claim:
    """The assigned provider states the procedure applied and the direct costs, before or with the closing file
    (or while the subsidy still waits for approval: it is then recomputed)."""
    case = case_get_for_user(actor, case_id, for_update=True)
    if actor.role not in (Role.PROVIDER, Role.DUTY_LAWYER) or actor.provider_id is None \
            or case.provider_id != actor.provider_id:
        raise PermissionDenied("只有本案承办人员可以申报办案补贴。")
    subsidy = Subsidy.objects.filter(case=case).first()
    if case.status not in HANDLING and not (subsidy is not None and subsidy.status == Status.PENDING):
        raise Conflict("该案件的补贴已审批或案件不在承办中，不能再修改申报。")
    if procedure not in Procedure.values:
        raise ValidationFailed("请选择适用程序。", field="procedure")
    if not 1 <= int(units) <= 365:
        raise ValidationFailed("计算数量应在 1 至 365 之间。", field="units")
    parsed = []
    for n, cost in enumerate(costs, start=1):
        if cost.item not in CostItem.values:
            raise ValidationFailed(f"第 {n} 项费用的项目无效。", field="costs")
        amount = _money(cost.amount, field="costs", what=f"第 {n} 项费用金额", limit=MAX_COST)
        if len(cost.note) > 200:
            raise ValidationFailed(f"第 {n} 项费用的说明不能超过 200 字。", field="costs")
        parsed.append(ClaimCost(item=cost.item, amount=amount, note=cost.note.strip()))
    assert actor.provider_id is not None  # noqa: S101 -- checked above
    claim, _ = Claim.objects.update_or_create(case=case, defaults={
        "provider_id": actor.provider_id, "procedure": procedure, "units": int(units)})
    claim.costs.all().delete()
    for row in parsed:
        row.claim = claim
    ClaimCost.objects.bulk_create(parsed)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=claim, detail={
        "procedure": procedure, "units": int(units), "costs": [[c.item, str(c.amount)] for c in parsed]})
    if subsidy is not None:
        _recompute(subsidy, at=timezone.now())
    return claim


# --- Computing and approving ----------------------------------------------------------------------------------


def _district_of(case: Case) -> int | None:
    center = case.center
    return center.district_id or center.seat_district_id


def _calculate(case: Case, *, day: dt.date, grade: str | None) -> tuple[tariff.Result, str]:
    claim = Claim.objects.filter(case=case).prefetch_related("costs").first()
    procedure = claim.procedure if claim is not None else Procedure.ORDINARY
    costs = [tariff.Cost(c.item, c.amount, c.note) for c in claim.costs.all()] if claim is not None else []
    result = tariff.compute(
        service=rules.SERVICE_OF_CASE_TYPE.get(case.case_type, case.case_type), procedure=procedure,
        district_id=_district_of(case), units=claim.units if claim is not None else 1, costs=costs, grade=grade,
        rates=rules.rates_on(day), limits=rules.limits_on(day), adjustments=rules.adjustments_on(day),
        labels=rules.LABELS)
    return result, procedure


def _store(subsidy: Subsidy, result: tariff.Result, *, grade: str | None, at: dt.datetime) -> None:
    subsidy.base, subsidy.costs, subsidy.adjustment = result.base, result.costs, result.adjustment
    subsidy.total = result.total
    subsidy.lines = [line.as_json() for line in result.lines]
    subsidy.grade = grade or ""
    subsidy.computed_at = at


def _recompute(subsidy: Subsidy, *, at: dt.datetime) -> Subsidy:
    grade = case_quality_grade(subsidy.case_id)
    try:
        result, procedure = _calculate(subsidy.case, day=subsidy.closed_on, grade=grade)
    except tariff.NoRate:
        raise Conflict("没有适用于该案件的补贴标准，请市局先录入补贴标准。") from None
    _store(subsidy, result, grade=grade, at=at)
    subsidy.procedure = procedure
    subsidy.save(update_fields=["base", "costs", "adjustment", "total", "lines", "grade", "computed_at",
                                "procedure"])
    return subsidy


@atomic_service
def subsidy_compute(*, case: Case, at: dt.datetime) -> Subsidy | None:
    """The subsidy of a case whose closing file was just accepted (called in that transaction by the subscriber),
    by the tariff in force on the closing day. A case no tariff row covers gets none (logged in the audit log): the
    closing itself must not fail on a missing rate."""
    if case.provider_id is None or Subsidy.objects.filter(case=case).exists():
        return None
    closed_on = timezone.localdate(at)
    grade = case_quality_grade(case)
    try:
        result, procedure = _calculate(case, day=closed_on, grade=grade)
    except tariff.NoRate:
        audit_record(actor=None, action=AuditAction.UPDATE, obj=case,
                     detail={"subsidy": "no tariff row covers the case"})
        return None
    subsidy = Subsidy(case=case, center_id=case.center_id, provider_id=case.provider_id,
                      service=rules.SERVICE_OF_CASE_TYPE.get(case.case_type, case.case_type), procedure=procedure,
                      closed_on=closed_on)
    _store(subsidy, result, grade=grade, at=at)
    subsidy.save()
    audit_record(actor=None, action=AuditAction.CREATE, obj=subsidy, detail={"total": str(subsidy.total)})
    return subsidy


@atomic_service
def subsidy_approve(*, actor: User, public_id: Any, at: dt.datetime | None = None) -> Subsidy:
    """The center director approves a subsidy of the center: recomputed first with the grade known now. ``at``:
    an approval given earlier on paper, entered now (the demo's past); never in the future."""
    if actor.role != Role.CENTER_DIRECTOR:
        raise PermissionDenied("办案补贴由中心主任审批。")
    subsidy = subsidy_get_for_user(actor, public_id, for_update=True)
    if subsidy.status != Status.PENDING:
        raise Conflict(f"该补贴{subsidy.get_status_display()}，不能重复审批。")
    now = _when(at)
    _recompute(subsidy, at=now)
    subsidy.status, subsidy.approved_at, subsidy.approved_by = Status.APPROVED, now, actor
    subsidy.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=subsidy,
                 detail={"status": Status.APPROVED, "total": str(subsidy.total), "grade": subsidy.grade})
    return subsidy


# --- Payment batches ------------------------------------------------------------------------------------------


def _when(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is not None and at > now:
        raise ValidationFailed("时间不能晚于现在。", field="at")
    return at or now


def _require_center(actor: User) -> int:
    if actor.role not in CENTER_ROLES or actor.center_id is None:
        raise PermissionDenied("只有法律援助中心工作人员可以办理补贴支付批次。")
    return actor.center_id


def _refresh_total(batch: PaymentBatch) -> None:
    batch.total = batch.subsidies.aggregate(t=Sum("total"))["t"] or tariff.ZERO
    batch.save(update_fields=["total"])


@atomic_service
def batch_create(*, actor: User, month: dt.date, at: dt.datetime | None = None) -> PaymentBatch:
    """The center's batch of a month, with every subsidy approved by then and not yet in a batch. Numbered per
    center per year (the center row is locked, so two staff numbering at once queue; the unique constraints back
    it). ``at``: when the batch was made, if earlier (the demo's past)."""
    center_id = _require_center(actor)
    now = _when(at)
    month = month.replace(day=1)
    if month > timezone.localdate(now):
        raise ValidationFailed("不能为尚未开始的月份生成支付批次。", field="month")
    center = Center.objects.select_for_update().get(pk=center_id)
    if PaymentBatch.objects.filter(center=center, month=month).exists():
        raise Conflict(f"{month:%Y年%m月}的支付批次已生成。")
    seq = (PaymentBatch.objects.filter(center=center, year=month.year).aggregate(m=Max("seq"))["m"] or 0) + 1
    batch = PaymentBatch.objects.create(
        center=center, month=month, year=month.year, seq=seq, created_by=actor, created_at=now,
        number=f"{center.doc_prefix}补〔{month.year}〕{seq}号")
    # One UPDATE with the condition: a subsidy another batch took meanwhile no longer matches (row lock re-check).
    Subsidy.objects.filter(center=center, status=Status.APPROVED, batch__isnull=True,
                           approved_at__lte=now).update(batch=batch)
    _refresh_total(batch)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=batch,
                 detail={"number": batch.number, "total": str(batch.total)})
    return batch


@atomic_service
def batch_add(*, actor: User, batch_id: int, subsidy_id: Any) -> PaymentBatch:
    """Add one approved subsidy to a draft batch (one approved after the batch was made)."""
    _require_center(actor)
    batch = batch_get_for_user(actor, batch_id, for_update=True)
    if batch.status != BatchStatus.DRAFT:
        raise Conflict("只能向草稿状态的支付批次添加补贴。")
    subsidy = subsidy_get_for_user(actor, subsidy_id, for_update=True)
    if subsidy.center_id != batch.center_id:
        raise Conflict("只能添加本中心的补贴。")
    if subsidy.status != Status.APPROVED:
        raise Conflict("只能添加已审批的补贴。")
    if subsidy.batch_id is not None:
        raise Conflict("该补贴已在其他支付批次中。")
    subsidy.batch = batch
    subsidy.save(update_fields=["batch"])
    _refresh_total(batch)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=batch, detail={"added": str(subsidy.public_id)})
    return batch


@atomic_service
def batch_submit(*, actor: User, batch_id: int, at: dt.datetime | None = None) -> PaymentBatch:
    _require_center(actor)
    now = _when(at)
    batch = batch_get_for_user(actor, batch_id, for_update=True)
    if batch.status != BatchStatus.DRAFT:
        raise Conflict("该支付批次已报送财务。")
    if not batch.subsidies.exists():
        raise Conflict("支付批次中没有补贴，不能报送。")
    if now < batch.created_at:
        raise ValidationFailed("报送时间不能早于批次生成时间。", field="at")
    batch.status, batch.submitted_at = BatchStatus.SUBMITTED, now
    batch.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=batch, detail={"status": batch.status})
    return batch


@atomic_service
def batch_mark_paid(*, actor: User, batch_id: int, paid_on: dt.date) -> PaymentBatch:
    """The finance office paid the batch on ``paid_on``: every subsidy in it is paid on that day (no tax withheld,
    Legal Aid Law art. 52 para. 3: the amount paid is the total)."""
    _require_center(actor)
    batch = batch_get_for_user(actor, batch_id, for_update=True)
    if batch.status != BatchStatus.SUBMITTED:
        raise Conflict("只有已报送财务的支付批次可以登记支付。")
    if paid_on > timezone.localdate():
        raise ValidationFailed("支付日期不能晚于今天。", field="paid_on")
    if batch.submitted_at is not None and paid_on < timezone.localdate(batch.submitted_at):
        raise ValidationFailed("支付日期不能早于报送财务的日期。", field="paid_on")
    batch.status, batch.paid_on = BatchStatus.PAID, paid_on
    batch.save(update_fields=["status", "paid_on"])
    batch.subsidies.update(status=Status.PAID, paid_on=paid_on)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=batch,
                 detail={"status": batch.status, "paid_on": paid_on.isoformat(), "total": str(batch.total)})
    # The rollups (stats) count each subsidy paid, on time or late, in this transaction.
    events.publish(events.Event(name="subsidy.batch_paid", subject=batch, at=timezone.now(), actor=actor, payload={
        "batch_id": batch.pk, "center_id": batch.center_id, "paid_on": paid_on.isoformat(),
        "total": str(batch.total), "subsidy_ids": list(batch.subsidies.values_list("pk", flat=True))}))
    return batch


# --- Budgets --------------------------------------------------------------------------------------------------


@atomic_service
def budget_set(*, actor: User, center_id: int, year: int, amount: Any, note: str = "") -> Budget:
    """A center's budget of a year: the city bureau for any center, a center director for their own."""
    if not (is_city_bureau(actor) or (actor.role == Role.CENTER_DIRECTOR and actor.center_id == center_id)):
        raise PermissionDenied("经费预算由市局或本中心主任登记。")
    if not Center.objects.filter(pk=center_id).exists():
        raise ValidationFailed("请选择中心。", field="center")
    if not 2018 <= year <= timezone.localdate().year + 1:
        raise ValidationFailed("年度应在 2018 年至明年之间。", field="year")
    value = _money(amount, field="amount", what="预算金额", limit=MAX_BUDGET)
    if len(note) > 200:
        raise ValidationFailed("说明不能超过 200 字。", field="note")
    budget, created = Budget.objects.update_or_create(center_id=center_id, year=year,
                                                      defaults={"amount": value, "note": note.strip()})
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=budget,
                 detail={"year": year, "amount": str(value)})
    return budget


def closing_sums_store(*, year: int) -> dt.datetime:
    """Count every center's closings of the year (cases and distinct recipients) and store them in place of the
    year's rows (``ClosingSums``): by the stats job, for a country's funding page. Derived figures, no personal
    data: not audited, like the dashboards' sums."""
    counts = closings_counted(year)
    now = timezone.now()
    try:
        with transaction.atomic():
            ClosingSums.objects.filter(year=year).delete()
            ClosingSums.objects.bulk_create([
                ClosingSums(center_id=center_id, year=year, cases=cases, persons=persons, summed_at=now)
                for center_id, (cases, persons) in counts.items()])
    except IntegrityError:
        pass  # another run stored the year a moment ago: its rows are as fresh as these
    return now
