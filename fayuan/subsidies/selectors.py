"""Scoped reads of subsidies, payment batches and budgets, and the figures the bureau reads (timeliness, spending
against budget, the funding report of plan point 16). Center staff see their center's; a district bureau the centers
of its district; the city bureau every center; a provider their own subsidies. Anything else is a 404.

``timeliness_by_center`` and ``budget_rows`` are the selectors the bureau dashboards (issue 14 part 4) call."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, OFFICE_ROLES, PROVIDER_ROLES, Role
from fayuan.cases.models import CaseEvent
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.org.scale import STALE_AFTER, bureau_too_big_to_count
from fayuan.org.selectors import centers_in_scope

from . import rules
from .models import BatchStatus, Budget, ClosingSums, PaymentBatch, Status, Subsidy

ZERO = Decimal("0.00")
TARIFF_READERS = OFFICE_ROLES
SUBSIDY_READERS = CENTER_ROLES | PROVIDER_ROLES | {Role.BUREAU_SUPERVISOR}
CENTER_OR_BUREAU = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# A center as the funding page lists it: (id, name), read as a tuple (a country's 3,000 model rows cost more to make
# than the figures beside them).
CenterList = list[tuple[int, str]]
# A scope of more centers than this (a country's bureau) reads the closings of this year and the last from
# ``ClosingSums``, stored every few minutes by the stats job; a province's hundred-odd centers count them live. The
# limit and the age are the dashboards' (``org.scale``).


def is_city_bureau(user: User) -> bool:
    return user.role == Role.BUREAU_SUPERVISOR and user.district_id is None


def _center_scope(user: User, prefix: str = "") -> Q | None:
    """The centers the user reads, as a filter on ``{prefix}center``; None: none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(**{f"{prefix}center_id": user.center_id})
    if user.role == Role.BUREAU_SUPERVISOR:
        return Q() if user.district_id is None else Q(**{f"{prefix}center__district_id": user.district_id})
    return None


def subsidies_visible_to(user: User) -> QuerySet[Subsidy]:
    qs = Subsidy.objects.select_related("case", "center", "provider", "batch")
    if user.is_authenticated and user.is_active and user.role in PROVIDER_ROLES and user.provider_id:
        return qs.filter(provider_id=user.provider_id)
    scope = _center_scope(user)
    return qs.none() if scope is None else qs.filter(scope)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def subsidy_get_for_user(user: User, public_id: Any, *, for_update: bool = False) -> Subsidy:
    key = _uuid(public_id)
    ids = list(subsidies_visible_to(user).filter(public_id=key).values_list("pk", flat=True)[:1]) if key else []
    if not ids:
        raise NotFoundOrForbidden("未找到该补贴，或您无权查看。")
    qs = Subsidy.objects.select_for_update() if for_update else subsidies_visible_to(user)
    return qs.get(pk=ids[0])


def subsidy_of_case(user: User, case_id: int) -> Subsidy | None:
    return subsidies_visible_to(user).filter(case_id=case_id).first()


def pending_approval(user: User) -> QuerySet[Subsidy]:
    if user.role not in CENTER_ROLES:
        return Subsidy.objects.none()
    return subsidies_visible_to(user).filter(status=Status.PENDING).order_by("closed_on", "pk")


def batches_visible_to(user: User) -> QuerySet[PaymentBatch]:
    scope = _center_scope(user)
    return PaymentBatch.objects.none() if scope is None else PaymentBatch.objects.filter(scope).select_related(
        "center")


def batch_get_for_user(user: User, batch_id: Any, *, for_update: bool = False) -> PaymentBatch:
    pk = int(batch_id) if str(batch_id).isdigit() else None
    if pk is None or not batches_visible_to(user).filter(pk=pk).exists():
        raise NotFoundOrForbidden("未找到该支付批次，或您无权查看。")
    qs = PaymentBatch.objects.select_for_update() if for_update else PaymentBatch.objects.select_related("center")
    return qs.get(pk=pk)


def batch_subsidies(batch: PaymentBatch) -> QuerySet[Subsidy]:
    return (batch.subsidies.select_related("case", "provider", "provider__firm")
            .order_by("closed_on", "pk"))


# --- Timeliness (the plan: 及时足额) --------------------------------------------------------------------------


@dataclass
class Timeliness:
    center_id: int
    center_name: str
    paid: int = 0
    on_time: int = 0
    mean_days: float | None = None
    unpaid: int = 0  # approved or pending, not yet paid
    term_days: int = rules.DEFAULT_PAYMENT_DAYS

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.paid if self.paid else None


def timeliness_by_center(user: User, year: int, centers: CenterList | None = None) -> list[Timeliness]:
    """For each center the user reads (or each of ``centers``, a page of them): subsidies of cases closed in
    ``year``: how many paid, how many within the payment term in force on 1 January of the year, the mean days from
    closing to payment, how many still unpaid. Counted by the database, one row per center: a country pays about a
    million subsidies a year, too many to read into Python for a table."""
    term = rules.payment_days_on(dt.date(year, 1, 1))
    subs = subsidies_visible_to(user).select_related(None).filter(closed_on__year=year)
    if centers is not None:
        subs = subs.filter(center_id__in=[pk for pk, _ in centers])
    was_paid = Q(paid_on__isnull=False)
    waited = ExpressionWrapper(F("paid_on") - F("closed_on"), output_field=DurationField())
    by_center = {r["center_id"]: r for r in subs.values("center_id").annotate(
        paid=Count("pk", filter=was_paid),
        on_time=Count("pk", filter=was_paid & Q(paid_on__lte=F("closed_on") + dt.timedelta(days=term))),
        waited=Sum(waited, filter=was_paid),
        unpaid=Count("pk", filter=~Q(status=Status.PAID))).order_by()}
    rows = []
    for center_id, center_name in (center_list(user) if centers is None else centers):
        r = by_center.get(center_id)
        if r is None:
            rows.append(Timeliness(center_id, center_name, term_days=term))
            continue
        mean = r["waited"].days / r["paid"] if r["paid"] else None  # whole days: dates minus dates
        rows.append(Timeliness(center_id, center_name, r["paid"], r["on_time"], mean, r["unpaid"], term))
    return rows


def needing_attention(rows: list[Timeliness], limit: int) -> list[Timeliness]:
    """Every row when they fit; else at most ``limit`` centers whose payments most need attention (a country has
    3,000): the lowest share paid within the term first, then the most unpaid. A center with no subsidy of the year
    needs none and is left out."""
    if len(rows) <= limit:
        return rows

    def attention(t: Timeliness) -> tuple[float, int]:
        return (t.on_time_share if t.on_time_share is not None else 1.0, -t.unpaid)

    return sorted((t for t in rows if t.paid or t.unpaid), key=attention)[:limit]


# --- Budgets and the funding report (plan point 16) ------------------------------------------------------------


@dataclass
class FundingRow:
    center_id: int | None
    center_name: str
    budget: Decimal | None = None
    spent: Decimal = ZERO
    cases: int = 0
    persons: int = 0
    last_spent: Decimal = ZERO
    last_cases: int = 0
    last_persons: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    summed_at: dt.datetime | None = None  # the total's: when the year's closings were summed (None: counted now)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def used_share(self) -> float | None:
        return float(self.spent / self.budget) if self.budget else None

    @staticmethod
    def change(now: Decimal | int, before: Decimal | int) -> float | None:
        return float((Decimal(now) - Decimal(before)) / Decimal(before)) if before else None

    @property
    def spent_change(self) -> float | None:
        return self.change(self.spent, self.last_spent)

    @property
    def cases_change(self) -> float | None:
        return self.change(self.cases, self.last_cases)


def _spent(user: User, year: int) -> dict[int, Decimal]:
    """Paid subsidies by the year they were paid in (the money that left the budget that year)."""
    qs = subsidies_visible_to(user).filter(status=Status.PAID, paid_on__year=year)
    # To the fen: SQLite sums decimals as floats and returns 116612.5 for 116612.50.
    return {r["center_id"]: Decimal(str(r["t"])).quantize(Decimal("0.01"))
            for r in qs.values("center_id").annotate(t=Sum("total")).order_by()}


def closings_counted(year: int, scope: Q | None = None) -> dict[int, tuple[int, int]]:
    """Cases whose closing file was accepted in the year, and their distinct recipients, by center: counted now
    (``scope`` filters on ``case__center``; None: every center)."""
    events = CaseEvent.objects.filter(kind="accept_closing", at__year=year)
    if scope is not None:
        events = events.filter(scope)
    counts = (events.values("case__center_id")
              .annotate(cases=Count("case_id", distinct=True), persons=Count("case__applicant_id", distinct=True))
              .order_by())
    return {r["case__center_id"]: (r["cases"], r["persons"]) for r in counts}


def _closed(user: User, year: int, *, now: dt.datetime, stored: bool
            ) -> tuple[dict[int, tuple[int, int]], dt.datetime | None]:
    """The closings of the user's centers in the year, and when they were summed (None: counted now). With
    ``stored`` (``org.scale.bureau_too_big_to_count``), the year's stored sums when the job stored them lately;
    otherwise, and for the years the job does not keep (before last year), they are counted now."""
    scope = _center_scope(user, "case__")
    if scope is None:
        return {}, None
    if stored:
        summed_at = (ClosingSums.objects.filter(year=year).order_by("-summed_at")
                     .values_list("summed_at", flat=True).first())
        if summed_at is not None and summed_at >= now - STALE_AFTER:
            rows = ClosingSums.objects.filter(_center_scope(user) or Q(), year=year)
            return {c: (n, p) for c, n, p in rows.values_list("center_id", "cases", "persons")}, summed_at
    return closings_counted(year, scope), None


def center_list(user: User, query: str = "") -> QuerySet[Any]:
    """The centers the user reads, in the funding page's order, as (id, name), optionally those whose name holds
    ``query``."""
    qs = centers_in_scope(user).order_by("level", "district__sort_order", "name")
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.values_list("pk", "name")


def funding(user: User, year: int, centers: CenterList, *, stored: bool = True
            ) -> tuple[list[FundingRow], FundingRow]:
    """Budget, spending (subsidies paid that year), cases closed and persons aided that year, and the previous
    year's figures: a row for each of ``centers`` (the user's, or a page of them), and the 合计 of every center the
    user reads. Each figure is one grouped query over the user's scope, read once for both: the total needs them
    all anyway, and a row is then a lookup (no row is made for the centers not shown). With ``stored``, a
    country's bureau reads the closings summed by the job a few minutes ago (``_closed``); a document counts now."""
    scope = _center_scope(user)
    budgets: dict[int, Decimal] = ({} if scope is None else
                                   dict(Budget.objects.filter(scope, year=year).values_list("center_id", "amount")))
    spent, last_spent = _spent(user, year), _spent(user, year - 1)
    now, stored = timezone.now(), stored and bureau_too_big_to_count(user)  # decided once for both years
    (closed, summed_at), (last_closed, _) = (_closed(user, year, now=now, stored=stored),
                                             _closed(user, year - 1, now=now, stored=stored))
    rows = []
    for center_id, center_name in centers:
        cases, persons = closed.get(center_id, (0, 0))
        last_cases, last_persons = last_closed.get(center_id, (0, 0))
        rows.append(FundingRow(center_id, center_name, budgets.get(center_id), spent.get(center_id, ZERO), cases,
                               persons, last_spent.get(center_id, ZERO), last_cases, last_persons))
    # The budget only over the centers that registered one (None if none did).
    total = FundingRow(
        None, "合计", sum(budgets.values(), ZERO) if budgets else None, sum(spent.values(), ZERO),
        sum(c for c, _ in closed.values()), sum(p for _, p in closed.values()), sum(last_spent.values(), ZERO),
        sum(c for c, _ in last_closed.values()), sum(p for _, p in last_closed.values()), summed_at=summed_at)
    return rows, total


def budget_rows(user: User, year: int) -> list[FundingRow]:
    """Every center the user reads, then the total row (the city, or the district) when there are several: the
    funding workbook."""
    rows, total = funding(user, year, list(center_list(user)), stored=False)
    return [*rows, total] if len(rows) > 1 else rows


def open_batches_count(user: User) -> int:
    return batches_visible_to(user).exclude(status=BatchStatus.PAID).count()


def case_subsidy_link(case: Any, user: User) -> list[tuple[str, str]]:
    """The case page's links: the holding provider's claim page; center staff, the bureau and the provider the
    subsidy once computed (the case page already scoped the case to the user)."""
    from django.urls import reverse

    links = []
    if user.role in PROVIDER_ROLES and user.provider_id and case.provider_id == user.provider_id:
        links.append(("办案补贴申报（适用程序、直接费用）", reverse("subsidies:claim", args=[case.public_id])))
    if user.role in SUBSIDY_READERS:
        subsidy = subsidies_visible_to(user).filter(case_id=case.pk).values_list("public_id", flat=True).first()
        if subsidy is not None:
            links.append(("办案补贴（计算明细、审批与支付）", reverse("subsidies:detail", args=[subsidy])))
    return links
