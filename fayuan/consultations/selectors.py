"""Scoped reads of consultations.

Who sees which consultations:
- bureau supervisor: all;
- center reviewer and director: those recorded at their center (including its stations);
- station clerk: those recorded at their station;
- everyone else: none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role

from .models import Consultation


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    qs = Consultation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(center__district_id=user.district_id)
    if user.role in CENTER_ROLES and user.center_id:
        return qs.filter(center_id=user.center_id)
    if user.role == Role.STATION_CLERK and user.station_id:
        return qs.filter(station_id=user.station_id)
    return qs.none()


def consultation_list_for_user(user: User, *, channel: str = "", query: str = "") -> QuerySet[Consultation]:
    qs = consultations_visible_to(user).select_related("person", "center", "station", "recorded_by")
    if channel:
        qs = qs.filter(channel=channel)
    if query:
        qs = qs.filter(Q(question__icontains=query) | Q(person__name__icontains=query)
                       | Q(caller_name__icontains=query))
    return qs
