"""The dashboards of the bureau (the city, or one district) and of a center (its own): the work plan's targets,
year to date and projected to the year end, each figure with its definition.

The case figures are sums of rollup cells (``Tally``), read in three queries whatever the number of cases (a scope
of thousands of centers reads them stored by a job: ``scope_cells.py``); the staff and typical-case figures count
their own small tables. Scope: the city bureau sees the city and may narrow it to a
district; a district bureau sees its district; a center sees the cases it took (its own cells)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Assignment
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.rulecache import rule_cached
from fayuan.eligibility.engine import GROUP_NAMES
from fayuan.eligibility.models import CaseType
from fayuan.org.models import Center, District, DistrictPopulation, QualificationKind, Staff, StaffQualification
from fayuan.typical_cases import selectors as typical

from . import measures, services
from .attribution import RULE_TEXT
from .figures_quality import MEASURES as QUALITY_MEASURES
from .figures_quality import CenterQualityFigures, QualityFigures
from .models import Target, TargetCode
from .scope_cells import ScopeCells, stored_sums, sum_cells, sums_key

# The statutory deadlines the plan answers for, by the rule codes of the shipped deadline rows (deadlines app).
DEADLINE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("decide", "审查决定（收到申请后7日，绿色通道2日）", ("decide-application", "green-decide")),
    ("assign", "指派承办人员（决定后3日，绿色通道1日）", ("assign-provider", "green-assign")),
    ("forward", "转交申请（在押人员24小时，工作站3个工作日）",
     ("forward-custody-application", "forward-station-application")),
    ("notice", "办案机关通知后指派律师（3日）", ("assign-on-notice",)),
)
CERTIFIED = (QualificationKind.LEGAL_AID_PERMIT, QualificationKind.PUBLIC_LAWYER_LICENSE)
GROUP_ROWS = ("minor", "elderly", "disabled", measures.WOMEN, "migrant_worker", "military_family")
GROUP_LABELS = {**GROUP_NAMES, measures.WOMEN: "妇女"}
PER_10K = Decimal(10_000)


def _ratio(numerator: int | Decimal, denominator: int | Decimal, scale: int | Decimal = 100) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * Decimal(scale) / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


class ScopeDistrict(NamedTuple):
    """What the dashboard reads of a district: a country's scope holds 3,000, and building them as model rows took
    longer than reading them."""

    pk: int
    name: str


class ScopeCenter(NamedTuple):
    """What the dashboard reads of a center (its rows show the name), for the same reason."""

    pk: int
    name: str
    district_id: int | None


@rule_cached  # a country's 3,000 districts took 14 ms to read on every view; they change a few times a year
def scope_districts() -> tuple[ScopeDistrict, ...]:
    """Every district, as the dashboard's scope and its 范围 selector list them."""
    return tuple(map(ScopeDistrict._make, District.objects.order_by("sort_order", "code").values_list("pk", "name")))


@rule_cached  # the same for the centers (a change of either bumps the rule stamp: org/apps.py)
def _centers() -> tuple[ScopeCenter, ...]:
    return tuple(map(ScopeCenter._make, Center.objects.order_by("level", "name").values_list(
        "pk", "name", "district_id")))


@dataclass(frozen=True)
class Scope:
    title: str
    level: str  # "city", "district" or "center"
    center_ids: tuple[int, ...] | None  # None: every center
    district_id: int | None  # the cells attributed to this district only
    districts: tuple[ScopeDistrict, ...]  # whose aid rate is shown
    centers: tuple[ScopeCenter, ...]  # whose staff and typical cases are shown

    def of_centers(self, center: str = "center") -> Q:
        """Rows of this scope's centers, through the foreign key ``center``: as a condition, not a list of ids (a
        country's 3,000 ids took 12 ms to bind, longer than the query)."""
        if self.level == "city":
            return Q()
        if self.level == "district":
            return Q(**{f"{center}__district_id": self.district_id})
        return Q(**{f"{center}_id__in": [c.pk for c in self.centers]})

    def cells(self) -> Q:
        q = Q()
        if self.center_ids is not None:
            q &= Q(center_id__in=self.center_ids)
        if self.district_id is not None:
            q &= Q(district_id=self.district_id)
        return q


def scope_for(user: User, district: int | None = None) -> Scope:
    """The dashboard a user may open; a district that is not theirs to see is a 404."""
    districts, centers = scope_districts(), _centers()
    if user.role in CENTER_ROLES:
        center = next((c for c in centers if c.pk == user.center_id), None)
        if center is None or district is not None:
            raise NotFoundOrForbidden()
        shown = [d for d in districts if d.pk == center.district_id] if center.district_id else districts
        return Scope(center.name, "center", (center.pk,), None, tuple(shown), (center,))
    if user.role != Role.BUREAU_SUPERVISOR:
        raise NotFoundOrForbidden()
    if user.district_id is not None:
        if district is not None and district != user.district_id:
            raise NotFoundOrForbidden()
        district = user.district_id
    if district is None:
        return Scope("全市", "city", None, None, districts, centers)
    chosen = next((d for d in districts if d.pk == district), None)
    if chosen is None:
        raise NotFoundOrForbidden()
    return Scope(chosen.name, "district", None, chosen.pk, (chosen,),
                 tuple(c for c in centers if c.district_id == chosen.pk))


# --- Figures ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    year: int
    until: dt.date  # the last day counted (today in the current year)

    # Cached: ``project`` runs once per district, 3,000 times on a country's dashboard. (cached_property writes the
    # instance's __dict__ directly, which a frozen dataclass allows.)
    @cached_property
    def first(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @cached_property
    def days_elapsed(self) -> int:
        return (self.until - self.first).days + 1

    @cached_property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    def project(self, value: int) -> int:
        """Year to date carried on at the same pace to 31 December."""
        return round(value * self.days_in_year / self.days_elapsed) if self.days_elapsed else value


def period_for(year: int | None, today: dt.date) -> Period:
    if year is None or year == today.year:
        return Period(today.year, today)
    if year > today.year or year < 2000:
        raise ValueError("只能查看 2000 年至今年的数据。")
    return Period(year, dt.date(year, 12, 31))


@dataclass(frozen=True)
class AidRateRow:
    district_id: int | None
    name: str
    population: int | None
    aided: int
    projected: int
    target: Decimal | None

    # Cached (a frozen dataclass allows it, as Period's): a country's 3,000 rows are sorted by these, then drawn and
    # charted, and computing them on each read was 76,000 Decimal divisions a view.
    @cached_property
    def rate(self) -> Decimal | None:
        return _ratio(self.aided, self.population or 0, PER_10K)

    @cached_property
    def projected_rate(self) -> Decimal | None:
        return _ratio(self.projected, self.population or 0, PER_10K)

    @cached_property
    def meets(self) -> bool | None:
        if self.target is None or self.projected_rate is None:
            return None
        return self.projected_rate >= self.target


@dataclass(frozen=True)
class StaffRow:
    center: ScopeCenter
    staff: int
    qualified: int
    certified: int
    certified_active: int  # certified staff who handled at least the target number of cases this year
    target_percent: Decimal | None
    target_cases: Decimal | None

    @cached_property  # read by the sort, the table and the chart (see AidRateRow)
    def percent(self) -> Decimal | None:
        return _ratio(self.qualified, self.staff)

    @cached_property
    def meets(self) -> bool | None:
        if self.target_percent is None or self.percent is None:
            return None
        return self.percent >= self.target_percent


@dataclass(frozen=True)
class DeadlineRow:
    code: str
    label: str
    on_time: int
    late: int

    @property
    def met(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> Decimal | None:
        return _ratio(self.on_time, self.met)


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    attribution: str
    aid_rates: list[AidRateRow]
    aid_total: AidRateRow
    monthly: dict[int, list[int]]  # year -> aided per month (12 values)
    by_type: list[tuple[str, str, int]]  # (code, label, aided)
    criminal_origin: dict[str, int]
    groups: list[tuple[str, str, int]]
    green_channel: int
    aid_first: int
    closed: int
    money_recovered: Decimal
    applications: int
    refused: int
    deadlines: list[DeadlineRow]
    overdue_open: int
    staff: list[StaffRow]
    typical: list[Any]
    typical_quota: Any
    targets: dict[str, Target]
    quality: QualityFigures
    quality_rows: list[CenterQualityFigures]
    extras: dict[str, Any] = field(default_factory=dict)
    summed_at: dt.datetime | None = None  # the case figures are stored sums of this time (a country's scope)

    @property
    def staff_total(self) -> StaffRow | None:
        if not self.staff:
            return None
        first = self.staff[0]
        return StaffRow(ScopeCenter(0, "合计", None), sum(r.staff for r in self.staff),
                        sum(r.qualified for r in self.staff),
                        sum(r.certified for r in self.staff), sum(r.certified_active for r in self.staff),
                        first.target_percent, first.target_cases)

    @property
    def deadline_total(self) -> DeadlineRow:
        return DeadlineRow("all", "合计", sum(r.on_time for r in self.deadlines), sum(r.late for r in self.deadlines))


def targets_on(day: dt.date) -> dict[str, Target]:
    found: dict[str, Target] = {}
    for t in Target.objects.in_force_on(day).order_by("code", "-effective_from"):
        found.setdefault(t.code, t)
    return found


def _populations(year: int) -> dict[int, int]:
    """Each district's permanent population for the year (or the latest earlier year's figure)."""
    found: dict[int, int] = {}
    for district_id, population in DistrictPopulation.objects.filter(year__lte=year).order_by(
            "district_id", "-year").values_list("district_id", "population"):
        found.setdefault(district_id, population)
    return found


def _cells(scope: Scope, period: Period, today: dt.date) -> ScopeCells:
    """Summed for this view, or (a scope of thousands of centers) the sums a job stored a few minutes ago."""
    key = sums_key(scope)
    if key is None:
        return sum_cells(scope, period, today)
    return (stored_sums(key, period, now=timezone.now())
            or services.scope_sums_store(scope=scope, period=period, today=today))


def summed_scopes() -> list[Scope]:
    """The scopes whose sums the job keeps stored: the city's and each district's with more than ``LIVE_CENTERS``
    centers (a country's thousands in one database; never a real city's handful)."""
    districts, centers = scope_districts(), _centers()
    by_district: dict[int | None, list[ScopeCenter]] = defaultdict(list)
    for center in centers:
        by_district[center.district_id].append(center)
    scopes = [Scope("全市", "city", None, None, districts, centers)]
    scopes += [Scope(d.name, "district", None, d.pk, (d,), tuple(by_district[d.pk])) for d in districts]
    return [s for s in scopes if sums_key(s) is not None]


def _staff(scope: Scope, period: Period, targets: dict[str, Target]) -> list[StaffRow]:
    cases = targets.get(TargetCode.CERTIFIED_CASES)
    need = int(cases.value) if cases is not None else 0
    # Whether a staff member's provider was assigned at least ``need`` distinct cases this year: the ``need``-th
    # distinct case in case order exists. Read off the index (provider, case, assigned_at), it stops after the first
    # ``need`` cases of the year, however many the provider ever had (a count of them all took 1.6 s at 10M cases).
    start = dt.datetime.combine(period.first, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(period.until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    nth = (Assignment.objects.filter(provider_id=OuterRef("provider"), assigned_at__gte=start, assigned_at__lt=end)
           .order_by("case_id").values("case_id").distinct()[max(need, 1) - 1:max(need, 1)])
    # A scalar subquery, not EXISTS: SQLite drops the DISTINCT inside an EXISTS (it cannot change whether a row
    # exists, except with an OFFSET), so a provider assigned the same case twice counted as two cases there.
    on = period.until
    # Tuples, not model rows: a country has 6,000 staff and their qualifications, and building the rows cost more
    # than the queries. The qualifications held on the day.
    staff = list(Staff.objects.filter(scope.of_centers(), active=True).annotate(nth_case=Subquery(nth))
                 .values_list("pk", "center_id", "nth_case"))
    held: dict[int, set[str]] = defaultdict(set)
    for staff_id, kind in (StaffQualification.objects.valid_on(on)
                           .filter(scope.of_centers("staff__center"), staff__active=True)
                           .values_list("staff_id", "kind")):
        held[staff_id].add(kind)
    percent = targets.get(TargetCode.QUALIFIED_STAFF)
    by_center: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # not a scan per center: a country has 3,000
    for staff_id, center_id, nth_case in staff:
        by_center[center_id].append((staff_id, nth_case is not None or need == 0))
    rows = []
    for center in scope.centers:
        mine = by_center[center.pk]
        certified = [handled for staff_id, handled in mine if not held[staff_id].isdisjoint(CERTIFIED)]
        rows.append(StaffRow(
            center, len(mine), sum(1 for staff_id, _ in mine if QualificationKind.LEGAL_PROFESSION in held[staff_id]),
            len(certified), sum(certified), percent.value if percent else None, cases.value if cases else None))
    return rows


def dashboard(user: User, *, year: int | None = None, district: int | None = None,
              today: dt.date) -> Dashboard:
    scope = scope_for(user, district)
    period = period_for(year, today)
    targets = targets_on(period.until)
    summed = _cells(scope, period, today)
    cells = summed.by_key
    this_year = [c for c in cells if c["month"].year == period.year]

    def total(measure: str, rows: list[dict[str, Any]] = this_year) -> int:
        return sum(c["n"] for c in rows if c["measure"] == measure)

    aided = [c for c in this_year if c["measure"] == measures.AIDED]
    populations = _populations(period.year)
    aid_target = targets.get(TargetCode.AID_RATE)
    target_value = aid_target.value if aid_target else None
    by_district = summed.aided_by_district
    rows = [AidRateRow(d.pk, d.name, populations.get(d.pk), by_district.get(d.pk, 0),
                       period.project(by_district.get(d.pk, 0)), target_value) for d in scope.districts]
    n_aided = sum(by_district.values())
    population = sum(populations.get(d.pk, 0) for d in scope.districts)
    total_row = AidRateRow(None, scope.title if scope.level != "center" else "本中心", population or None, n_aided,
                           period.project(n_aided), target_value)

    monthly: dict[int, list[int]] = {period.year - 1: [0] * 12, period.year: [0] * 12}
    for c in cells:
        if c["measure"] == measures.AIDED:
            monthly[c["month"].year][c["month"].month - 1] += c["n"]

    types: dict[str, int] = defaultdict(int)
    origin: dict[str, int] = defaultdict(int)
    for c in aided:
        case_type, _stage, source = c["key"].split("|")
        types[case_type] += c["n"]
        if case_type == CaseType.CRIMINAL:
            origin[source] += c["n"]
    group_counts: dict[str, int] = defaultdict(int)
    for c in this_year:
        if c["measure"] == measures.AIDED_GROUP:
            group_counts[c["key"]] += c["n"]
    ordered_groups = [*GROUP_ROWS, *sorted(set(group_counts) - set(GROUP_ROWS))]

    deadline_counts: dict[tuple[str, str], int] = defaultdict(int)
    for c in this_year:
        if c["measure"] == measures.DEADLINE:
            code, timing = c["key"].rsplit("|", 1)
            deadline_counts[(code, timing)] += c["n"]
    deadline_rows = [DeadlineRow(code, label, sum(deadline_counts[(r, measures.ON_TIME)] for r in rules),
                                 sum(deadline_counts[(r, measures.LATE)] for r in rules))
                     for code, label, rules in DEADLINE_GROUPS]
    # Quality and subsidy figures (figures_quality.py) from the same cells: the scope's centers, this year.
    quality = QualityFigures()
    for c in this_year:
        if c["measure"] in QUALITY_MEASURES:
            quality.add(c["measure"], c["key"], c["n"], c["amount"])
    in_scope = {c.pk for c in scope.centers}
    by_center: dict[int, QualityFigures] = {}  # only the centers with cells: a country has 3,000, most without
    for c in summed.quality_by_center:
        if c["center_id"] in in_scope:
            figures = by_center.get(c["center_id"])
            if figures is None:  # not setdefault: that made (and threw away) a figure for each of ~10,000 cells
                figures = by_center[c["center_id"]] = QualityFigures()
            figures.add(c["measure"], c["key"], c["n"], c["amount"])
    nothing = QualityFigures()  # shared by the centers with no cells, and never added to
    quality_rows = [CenterQualityFigures(c.pk, c.name, by_center.get(c.pk, nothing)) for c in scope.centers]

    quota_day = min(period.until, today)
    return Dashboard(
        scope=scope, period=period, attribution=RULE_TEXT, aid_rates=rows, aid_total=total_row, monthly=monthly,
        by_type=[(t.value, t.label, types.get(t.value, 0)) for t in CaseType],
        criminal_origin={measures.NOTICE: origin.get(measures.NOTICE, 0),
                         measures.APPLICATION: origin.get(measures.APPLICATION, 0)},
        groups=[(g, GROUP_LABELS.get(g, g), group_counts.get(g, 0)) for g in ordered_groups],
        green_channel=total(measures.GREEN_CHANNEL), aid_first=total(measures.AID_FIRST),
        closed=total(measures.CLOSED),
        money_recovered=sum((c["amount"] for c in this_year if c["measure"] == measures.CLOSED), Decimal("0.00")),
        applications=total(measures.APPLICATIONS), refused=total(measures.REFUSED),
        deadlines=deadline_rows, overdue_open=summed.overdue_open,
        staff=_staff(scope, period, targets),
        typical=[r for r in typical.compliance(user, period.year, today=today) if r.center.pk in in_scope],
        typical_quota=typical.quota_on(quota_day), targets=targets, quality=quality, quality_rows=quality_rows,
        summed_at=summed.summed_at,
    )
