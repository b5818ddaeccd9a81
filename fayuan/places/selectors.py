"""Scoped reads of the station network's reach (plan point 14).

Who sees what: the city bureau and the city center's staff the whole city; a district bureau and a district center's
staff their district; anyone else nothing (404). The figures are about places and service points, no personal data.

Service points (the places a resident can walk into to apply, Legal Aid Law art. 13 "就近受理"): every active
station and contact point, except those inside a prison, a detention center or a military unit (they serve inmates,
detainees and soldiers, not the residents around them), and every center with coordinates (a center's counter serves
people directly). Points of any district count for every place: a resident near a district border goes to the
nearest point, whoever set it up.

``reach_summary`` is the one entry point (issue 14's dashboards call it): 3 + 3 queries whatever the size of the city.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden, ServiceUnavailable
from fayuan.org.models import Center, District, Station, StationKind, StationType

from . import reach
from .models import Place, ReachTarget, Setting, TravelAssumption

READER_ROLES = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Stations whose door is not open to the residents around them.
NOT_PUBLIC_TYPES = frozenset({StationType.PRISON, StationType.DETENTION_CENTER, StationType.MILITARY})
CENTER_KIND = "法律援助中心"


@dataclass(frozen=True)
class Scope:
    """The district a reader is limited to; None: the whole city."""

    district_id: int | None


def reach_scope(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        raise NotFoundOrForbidden("未找到该页面。")
    if user.role == Role.BUREAU_SUPERVISOR:
        return Scope(user.district_id)
    if user.role in CENTER_ROLES and user.center_id is not None:
        center = user.center
        return Scope(center.district_id if center is not None else None)
    raise NotFoundOrForbidden("未找到该页面。")


def narrow(scope: Scope, district_id: int | None) -> Scope:
    """A city reader may look at one district; a district reader only at their own (anything else is a 404)."""
    if district_id is None:
        return scope
    if scope.district_id is not None and scope.district_id != district_id:
        raise NotFoundOrForbidden("未找到该行政区，或您无权查看。")
    return Scope(district_id)


@dataclass(frozen=True)
class RuleSet:
    standards: reach.Standards
    targets: tuple[ReachTarget, ...]
    assumptions: tuple[TravelAssumption, ...]


def rules_on(day: dt.date) -> RuleSet:
    targets = {r.setting: r for r in ReachTarget.objects.in_force_on(day).order_by("effective_from")}
    travel = {r.setting: r for r in TravelAssumption.objects.in_force_on(day).order_by("effective_from")}
    if len(targets) < len(Setting.values) or len(travel) < len(Setting.values):
        raise ServiceUnavailable("尚未设置服务圈目标时间或出行测算参数，请系统管理员在后台补充。")

    def standard(setting: str) -> reach.Standard:
        return reach.Standard(targets[setting].minutes, float(travel[setting].speed_kmh),
                              float(travel[setting].detour_factor))

    return RuleSet(reach.Standards(urban=standard(Setting.URBAN), rural=standard(Setting.RURAL)),
                   (targets[Setting.URBAN], targets[Setting.RURAL]), (travel[Setting.URBAN], travel[Setting.RURAL]))


def service_sites() -> list[reach.Site]:
    stations = (Station.objects.filter(active=True).exclude(type__in=NOT_PUBLIC_TYPES)
                .only("pk", "name", "kind", "latitude", "longitude", "district_id").order_by("pk"))
    kinds = dict(StationKind.choices)
    sites = [reach.Site(f"s{s.pk}", s.name, str(kinds.get(s.kind, s.kind)), float(s.latitude), float(s.longitude),
                        s.district_id) for s in stations]
    centers = (Center.objects.filter(latitude__isnull=False, longitude__isnull=False)
               .only("pk", "name", "latitude", "longitude", "district_id", "seat_district_id").order_by("pk"))
    sites += [reach.Site(f"c{c.pk}", c.name, CENTER_KIND, float(c.latitude), float(c.longitude),  # type: ignore[arg-type]
                         c.district_id or c.seat_district_id) for c in centers]
    return sites


def _homes(district_id: int | None) -> list[reach.Home]:
    places = Place.objects.order_by("district__sort_order", "district__code", "code")
    if district_id is not None:
        places = places.filter(district_id=district_id)
    rows = places.values_list("code", "town", "name", "district_id", "latitude", "longitude", "population", "urban")
    return [reach.Home(code, f"{town}{name}", d, float(lat), float(lon), pop, urban)
            for code, town, name, d, lat, lon, pop, urban in rows]


@dataclass(frozen=True)
class DistrictReach:
    district: District
    figures: reach.Figures


@dataclass(frozen=True)
class ReachSummary:
    on: dt.date
    rules: RuleSet
    scope_name: str  # 全市 or the district's name
    district_id: int | None
    districts: list[DistrictReach]  # every district in scope, in the city's order (also those without places)
    total: reach.Figures
    reaches: list[reach.Reach]  # every place in scope
    sites: list[reach.Site]  # every service point counted
    district_names: dict[int, str] = field(default_factory=dict)

    @property
    def out_of_reach(self) -> list[reach.Reach]:
        """Places beyond their target, the most people first."""
        return sorted((r for r in self.reaches if not r.within), key=lambda r: (-r.home.population, r.home.key))


def reach_summary(*, on: dt.date, user: User | None = None, scope: Scope | None = None,
                  district_id: int | None = None) -> ReachSummary:
    """Population, population within reach, the share and the places out of reach, per district and for the scope
    (the city, or one district). Give ``user`` (scoped: a 404 outside it) or ``scope`` (trusted callers);
    ``district_id`` narrows to one district within it."""
    if user is not None:
        scope = reach_scope(user)
    scoped = narrow(scope or Scope(None), district_id)
    rules = rules_on(on)
    districts = list(District.objects.order_by("sort_order", "code"))
    names = {d.pk: d.name for d in districts}
    if scoped.district_id is not None:
        districts = [d for d in districts if d.pk == scoped.district_id]
        if not districts:
            raise NotFoundOrForbidden("未找到该行政区，或您无权查看。")
    sites = service_sites()
    reaches = reach.assess(_homes(scoped.district_id), sites, rules.standards)
    per = reach.tally(reaches, lambda r: r.home.district_id)
    rows = [DistrictReach(d, per.get(d.pk, reach.Figures())) for d in districts]
    name = districts[0].name if scoped.district_id is not None else "全市"
    return ReachSummary(on, rules, name, scoped.district_id, rows, reach.total(r.figures for r in rows), reaches,
                        sites, names)


def suggest_points(summary: ReachSummary, k: int) -> list[reach.Pick]:
    """Up to k places in scope where a new contact point would bring the most people within reach (greedy)."""
    uncovered = [r.home for r in summary.reaches if not r.within]
    candidates = [r.home for r in summary.reaches]
    return reach.greedy_cover(uncovered, candidates, k, summary.rules.standards)


def compare_cover(summary: ReachSummary, ks: list[int]) -> list[reach.Comparison]:
    uncovered = [r.home for r in summary.reaches if not r.within]
    candidates = [r.home for r in summary.reaches]
    return reach.compare(uncovered, candidates, ks, summary.rules.standards)
