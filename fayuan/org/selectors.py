"""Reads of organisation master data for the office screens. Not personal data, but still role-gated in views.

Each selector returns a queryset with its related rows loaded, so list pages run a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.params import parse_id

from .models import Center, District, DistrictPopulation, MinimumWage, Provider, Staff, StaffQualification, Station


def centers_in_scope(user: User) -> QuerySet[Center]:
    """The centers whose work the user oversees: a center's staff their own, a district bureau the centers of its
    district (it set them up, art. 49), the city bureau every one; anyone else none. Unordered: each page orders."""
    if user.role in CENTER_ROLES:
        return Center.objects.filter(pk=user.center_id or 0)
    if user.role == Role.BUREAU_SUPERVISOR:
        return Center.objects.all() if user.district_id is None else Center.objects.filter(district_id=user.district_id)
    return Center.objects.none()


def district_list(*, query: str = "") -> QuerySet[District]:
    """Paged by the view: a city has a handful, a country's database 3,000 (a 5.9 MB page when listed whole)."""
    qs = District.objects.prefetch_related(
        Prefetch("populations", queryset=DistrictPopulation.objects.order_by("-year")),
        Prefetch("minimum_wages", queryset=MinimumWage.objects.order_by("-effective_from")),
    ).select_related("center").order_by("sort_order", "code")
    return qs.filter(Q(name__icontains=query) | Q(code__startswith=query)) if query else qs


def center_list(*, query: str = "") -> QuerySet[Center]:
    # Count only what the station and provider lists show (active rows), so the numbers match those pages.
    qs = Center.objects.select_related("district").annotate(
        station_count=Count("stations", filter=Q(stations__active=True), distinct=True),
        provider_count=Count("providers", filter=Q(providers__active=True), distinct=True),
    ).order_by("level", "name", "pk")
    return qs.filter(Q(name__icontains=query) | Q(district__name__icontains=query)) if query else qs


def station_list(*, query: str = "", type: str = "", district: str = "", duty: bool = False) -> QuerySet[Station]:
    qs = Station.objects.select_related("center", "district").filter(active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(address__icontains=query))
    if type:
        qs = qs.filter(type=type)
    if district:
        qs = qs.filter(district__code=district)
    if duty:
        qs = qs.filter(has_duty_lawyer=True)
    return qs


def provider_list(
    *, query: str = "", kind: str = "", center: str = "", specialty: str = "", excellent: bool = False,
    criminal_pool: bool = False,
) -> QuerySet[Provider]:
    qs = Provider.objects.select_related("firm", "home_center").prefetch_related("specialties", "languages")
    qs = qs.filter(active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(firm__name__icontains=query) | Q(license_number=query))
    if kind:
        qs = qs.filter(kind=kind)
    if (center_id := parse_id(center)) is not None:
        qs = qs.filter(home_center_id=center_id)
    if specialty:
        # A subquery, not a join and DISTINCT: the DISTINCT over every column of every active provider was most of
        # the list's time at national size (a country has 190,000 providers).
        qs = qs.filter(pk__in=Provider.specialties.through.objects.filter(specialty__code=specialty)
                       .values("provider_id"))
    if excellent:
        qs = qs.filter(excellent_team=True)
    if criminal_pool:
        qs = qs.filter(criminal_pool=True)
    return qs


def provider_get(pk: int) -> Provider | None:
    return provider_list().filter(pk=pk).first()


def staff_list(*, query: str = "", center: str = "") -> QuerySet[Staff]:
    qs = Staff.objects.select_related("center").prefetch_related(
        Prefetch("qualifications", queryset=StaffQualification.objects.order_by("kind"))
    ).filter(active=True)
    if query:
        qs = qs.filter(name__icontains=query)
    if (center_id := parse_id(center)) is not None:
        qs = qs.filter(center_id=center_id)
    return qs
