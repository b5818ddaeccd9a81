"""Scoped reads of cases. Every view and endpoint that shows a case starts here.

Who sees which cases:
- bureau supervisor: all;
- center reviewer and director: cases of their center;
- station clerk: cases their station received;
- provider and duty lawyer: cases ever assigned to them;
- applicant: cases where they are the applicant or the agent;
- organ liaison, system administrator, auditor: none (organ notices arrive with the criminal-aid issue).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction

from .models import Case


def cases_visible_to(user: User) -> QuerySet[Case]:
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.BUREAU_SUPERVISOR:
        return qs
    if role in CENTER_ROLES and user.center_id:
        return qs.filter(center_id=user.center_id)
    if role == Role.STATION_CLERK and user.station_id:
        return qs.filter(receiving_station_id=user.station_id)
    if role in (Role.PROVIDER, Role.DUTY_LAWYER) and user.provider_id:
        return qs.filter(assignments__provider_id=user.provider_id).distinct()
    if role == Role.APPLICANT:
        # Their own person record (once staff linked it), and whatever they submitted online themselves.
        return qs.filter(Q(applicant__account=user) | Q(agent__account=user) | Q(portal_submission__account=user))
    return qs.none()


def case_list_for_user(user: User, *, status: str = "", query: str = "") -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("applicant", "center", "provider", "receiving_station")
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(applicant__name__icontains=query)
                       | Q(matter_summary__icontains=query))
    return qs


def case_get_for_user(user: User, public_id: Any, *, audit: bool = True, for_update: bool = False) -> Case:
    """One case, or 404. Opening a case's details is an audited read of personal data."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    qs = cases_visible_to(user)
    if for_update:
        # Lock only the case row; the scope filter may join other tables.
        ids = list(qs.filter(public_id=key).values_list("pk", flat=True)[:1])
        case = Case.objects.select_for_update().filter(pk__in=ids).first() if ids else None
    else:
        case = qs.select_related("applicant", "agent", "center", "provider", "receiving_station").filter(
            public_id=key).first()
    if case is None:
        raise NotFoundOrForbidden()
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=case)
    return case
