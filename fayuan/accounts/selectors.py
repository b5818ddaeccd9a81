"""Scoped reads of accounts and their role grants: the security administrator's account list (office accounts
only: applicants' accounts belong to the public site and their sign-in names are phone numbers) and the auditor's
list of grants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fayuan.core.errors import NotFoundOrForbidden

from .models import RoleGrant, User
from .roles import Role

PENDING = "pending"  # the role filter's value for accounts awaiting a grant


def _office_accounts() -> QuerySet[User]:
    return User.objects.exclude(role=Role.APPLICANT).select_related("center", "station", "provider", "district")


def account_list_for_security(*, query: str = "", role: str = "") -> QuerySet[User]:
    qs = _office_accounts()
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    if role == PENDING:
        qs = qs.filter(role="")
    elif role in Role.values:
        qs = qs.filter(role=role)
    return qs.order_by("username")


def account_get_for_security(user_id: Any) -> User:
    user = _office_accounts().filter(pk=user_id).first() if user_id else None
    if user is None:
        raise NotFoundOrForbidden()
    return user


def grants_of(user: User) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("actor").order_by("-occurred_at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def grant_list(*, since: dt.date | None = None, until: dt.date | None = None,
               username: str = "") -> QuerySet[RoleGrant]:
    """Every role change, newest first; ``username`` matches the account changed or the one who changed it."""
    qs = RoleGrant.objects.select_related("user", "actor").order_by("-occurred_at", "-id")
    if since is not None:
        qs = qs.filter(occurred_at__gte=_day_start(since))
    if until is not None:
        qs = qs.filter(occurred_at__lt=_day_start(until + dt.timedelta(days=1)))
    if username:
        qs = qs.filter(Q(user__username=username) | Q(actor__username=username))
    return qs
