"""A year of subsidies (issue 14 parts 1-3) through the subsidies services, after the replayed past and the quality
records (so approvals find the cases' grades).

While the year is replayed the subsidies subscriber already computes each case's subsidy when its closing file is
accepted (the sample tariff ships with the migrations); here, for a database seeded before the app existed, the
closed cases without one get it computed at their closing time. Then: the demo lawyer (the one provider with an
account) enters the claims of their cases (procedure and direct costs, the subsidy recomputed); each center's
director approves the subsidies 3-9 days after the closing; every month that has ended gets the center's payment
batch at its last day, submitted to finance the next day and paid some 8-15 days later — except 句容市's center,
whose finance pays 55-85 days after the month's end (the timeliness table shows it); payments not yet due stay
submitted. Each center gets a budget for each year from its subsidies of that year. Times entered as ``at`` (the
records' own dates); the audit entries are written now, so the audit log's times keep rising.

Safe to run again: each step does only what is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import Case, CaseEvent
from fayuan.core.errors import DomainError
from fayuan.org.models import Center
from fayuan.subsidies import services
from fayuan.subsidies.models import BatchStatus, Budget, Claim, PaymentBatch, Status, Subsidy

LATE_CENTER = "句容"
TZ_HOUR = 17


@dataclass
class SubsidyResult:
    computed: int = 0
    claims: int = 0
    approved: int = 0
    batches: int = 0
    paid: int = 0
    budgets: int = 0


def _roll(key: object, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % 100


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(TZ_HOUR)))


def _by_center(role: str) -> dict[int, User]:
    found: dict[int, User] = {}
    for user in User.objects.filter(role=role, is_active=True, center__isnull=False).order_by("pk"):
        assert user.center_id is not None  # noqa: S101 -- filtered above
        found.setdefault(user.center_id, user)
    return found


def seed_subsidies() -> SubsidyResult:
    result = SubsidyResult()
    _compute_missing(result)
    _claims(result)
    _approvals(result)
    _batches(result)
    _budgets(result)
    return result


def _compute_missing(result: SubsidyResult) -> None:
    closed = {}
    for case_id, at in CaseEvent.objects.filter(kind="accept_closing").order_by("at", "pk").values_list("case_id",
                                                                                                          "at"):
        closed[case_id] = at  # the last acceptance
    missing = Case.objects.filter(pk__in=closed, subsidy__isnull=True).select_related("center").order_by("pk")
    for case in missing:
        with transaction.atomic():
            if services.subsidy_compute(case=case, at=closed[case.pk]) is not None:
                result.computed += 1


COST_PLANS = [
    (),
    (services.CostInput("travel_local", "86.00", "往返法院、看守所"),
     services.CostInput("copying", "42.50", "复印卷宗")),
    (services.CostInput("travel_outside", "1680.00", "赴外地调查取证"), services.CostInput("evidence", "320.00")),
    (services.CostInput("copying", "118.00", "复印证据材料"),),
    (services.CostInput("appraisal", "1500.00", "伤残等级鉴定"), services.CostInput("travel_local", "60.00")),
]


def _claims(result: SubsidyResult) -> None:
    """The demo lawyer claims on their pending subsidies' cases (the others have no account: ordinary, no costs)."""
    lawyers = {u.provider_id: u for u in User.objects.filter(role__in=(Role.PROVIDER, Role.DUTY_LAWYER),
                                                             provider__isnull=False, is_active=True)}
    pending = (Subsidy.objects.filter(status=Status.PENDING, provider_id__in=lawyers)
               .exclude(case__in=Claim.objects.values("case")).select_related("case").order_by("pk"))
    for subsidy in pending:
        lawyer = lawyers[subsidy.provider_id]
        roll = _roll(subsidy.case_id, "claim")
        procedure = "simplified" if roll < 25 else "fast_track" if roll < 30 and subsidy.service == "criminal_defense" \
            else "ordinary"
        try:
            with transaction.atomic():
                services.claim_save(actor=lawyer, case_id=subsidy.case.public_id, procedure=procedure,
                                    costs=COST_PLANS[roll % len(COST_PLANS)])
        except DomainError:
            continue
        result.claims += 1


def _approvals(result: SubsidyResult) -> None:
    directors = _by_center(Role.CENTER_DIRECTOR)
    now = timezone.now()
    for subsidy in Subsidy.objects.filter(status=Status.PENDING).order_by("closed_on", "pk"):
        director = directors.get(subsidy.center_id)
        at = _at(subsidy.closed_on + dt.timedelta(days=3 + _roll(subsidy.pk, "approve") % 7))
        if director is None or at > now:
            continue
        try:
            with transaction.atomic():
                services.subsidy_approve(actor=director, public_id=subsidy.public_id, at=at)
        except DomainError:
            continue  # no rate for the case: it waits for the bureau
        result.approved += 1


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _batches(result: SubsidyResult) -> None:
    reviewers = _by_center(Role.CENTER_REVIEWER)
    today = timezone.localdate()
    first = Subsidy.objects.filter(approved_at__isnull=False).order_by("approved_at").values_list(
        "approved_at", flat=True).first()
    if first is None:
        return
    for center in Center.objects.filter(pk__in=reviewers).order_by("pk"):
        reviewer = reviewers[center.pk]
        late = LATE_CENTER in center.name
        month = timezone.localdate(first).replace(day=1)
        while _month_end(month) < today:
            end = _month_end(month)
            batch = PaymentBatch.objects.filter(center=center, month=month).first()
            due = batch is None and _at(end + dt.timedelta(days=1)) <= timezone.now()
            if due and Subsidy.objects.filter(center=center, status=Status.APPROVED, batch__isnull=True,
                                              approved_at__lte=_at(end)).exists():
                with transaction.atomic():
                    batch = services.batch_create(actor=reviewer, month=month, at=_at(end))
                    batch = services.batch_submit(actor=reviewer, batch_id=batch.pk,
                                                  at=_at(end + dt.timedelta(days=1)))
                result.batches += 1
            if batch is not None and batch.status == BatchStatus.SUBMITTED:
                roll = _roll(f"{center.pk}:{month}", "pay")
                delay = 55 + roll % 31 if late else 8 + roll % 8
                paid_on = end + dt.timedelta(days=delay)
                if paid_on <= today:
                    with transaction.atomic():
                        services.batch_mark_paid(actor=reviewer, batch_id=batch.pk, paid_on=paid_on)
                    result.paid += 1
            month = end + dt.timedelta(days=1)


def _budgets(result: SubsidyResult) -> None:
    """Each center's budget for each year it has subsidies (and this year): its subsidies of the year plus a fifth,
    rounded up to ten thousand yuan, at least 50,000 (the city bureau enters them)."""
    bureau = User.objects.filter(role=Role.BUREAU_SUPERVISOR, district__isnull=True, is_active=True).order_by(
        "pk").first()
    if bureau is None:
        return
    years = {d.year for d in Subsidy.objects.dates("closed_on", "year")} | {timezone.localdate().year}
    for center in Center.objects.order_by("pk"):
        for year in sorted(years):
            if Budget.objects.filter(center=center, year=year).exists():
                continue
            total = Subsidy.objects.filter(center=center, closed_on__year=year).aggregate(t=Sum("total"))["t"]
            amount = max(Decimal(total or 0) * Decimal("1.2"), Decimal(50000))
            amount = (amount / 10000).quantize(Decimal(1), rounding=ROUND_UP) * 10000
            with transaction.atomic():
                services.budget_set(actor=bureau, center_id=center.pk, year=year, amount=f"{amount:.2f}",
                                    note="年度法律援助经费预算（演示数据）")
            result.budgets += 1
