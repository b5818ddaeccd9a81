"""Scoped reads of bulletins. The city bureau (a bureau supervisor with no district) sees every bulletin; a center's
staff their center's and the city's issued ones; a district bureau the bulletins of its district's center and the
city's issued ones (a city bulletin is addressed to every center). A city draft is the city bureau's alone.
Anything else is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.typical_cases import selectors as typical_selectors
from fayuan.typical_cases.models import ExcellenceReview, TypicalCase
from fayuan.typical_cases.models import Status as TypicalStatus

from .figures import Scope
from .models import Bulletin, Kind, Status

BULLETIN_ROLES = CENTER_ROLES | BUREAU_ROLES


def is_city_bureau(user: User) -> bool:
    return user.role == Role.BUREAU_SUPERVISOR and user.district_id is None


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active or user.role not in BULLETIN_ROLES:
        return None
    if is_city_bureau(user):
        return Q()
    city_issued = Q(center__isnull=True, status=Status.ISSUED)
    if user.role in CENTER_ROLES and user.center_id:
        return Q(center_id=user.center_id) | city_issued
    if user.role == Role.BUREAU_SUPERVISOR:
        return Q(center__district_id=user.district_id) | city_issued
    return None


def bulletins_visible_to(user: User) -> QuerySet[Bulletin]:
    scope = _scope(user)
    if scope is None:
        return Bulletin.objects.none()
    return Bulletin.objects.filter(scope).select_related("center")


def bulletin_get_for_user(user: User, public_id: Any, *, for_update: bool = False) -> Bulletin:
    qs = bulletins_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    found = qs.filter(public_id=key).first() if key is not None else None
    if found is None:
        raise NotFoundOrForbidden("未找到该质量通报，或您无权查看。")
    return found


def writable_center_id(user: User) -> int | None:
    """The scope a user writes bulletins for: the city bureau the city (None), center staff their center.
    Raises for anyone else (district bureaus read only)."""
    if is_city_bureau(user):
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return user.center_id
    raise NotFoundOrForbidden("只有市司法局或法律援助中心可以编写质量通报。")


def may_write(user: User, bulletin: Bulletin) -> bool:
    try:
        return writable_center_id(user) == bulletin.center_id
    except NotFoundOrForbidden:
        return False


def excellent_cases(scope: Scope, kind: str) -> list[dict[str, Any]]:
    """The period's accepted typical cases (named excellent cases): anonymized title, center, category, month;
    for a year whose excellent-case review is closed, each nominee's rank too. Titles only: the write-ups passed
    the anonymization check before the bureau accepted them."""
    accepted = (TypicalCase.objects.filter(status=TypicalStatus.ACCEPTED, period__gte=scope.start,
                                           period__lt=scope.end)
                .filter(Q() if scope.center_id is None else Q(center_id=scope.center_id))
                .select_related("center").order_by("period", "center__name", "pk"))
    ranks: dict[int, int] = {}
    if kind == Kind.ANNUAL:
        review = ExcellenceReview.objects.filter(year=scope.start.year, closed=True).first()
        if review is not None:
            ranks = {r.nomination.typical_case_id: r.ranked.rank for r in typical_selectors.review_results(review)}
    return [{"title": c.title, "center": c.center.name, "category": c.get_category_display(),
             "month": f"{c.period.year}年{c.period.month}月", "rank": ranks.get(c.pk)} for c in accepted]
