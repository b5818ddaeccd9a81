"""Scoped reads of the excellent-lawyer team and the public figures about it.

Who sees what: center staff the members whose home center is theirs and the sessions held at their center or its
stations; a district bureau those of its district's center; the city bureau all; everyone else nothing (404).
The public site sees only ``public_team``: open members' names, firms, profiles, specialties and counts, never a
recipient or a consultation's content."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case, Status
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id

from .models import Attendance, Member, Session, SessionStatus

TEAM_MANAGERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
CLOSED = (Status.CLOSED, Status.ARCHIVED)


def _center_scope(user: User, center_field: str) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(**{f"{center_field}_id": user.center_id})
    if user.role == Role.BUREAU_SUPERVISOR:
        return Q() if user.district_id is None else Q(**{f"{center_field}__district_id": user.district_id})
    return None


def members_visible_to(user: User) -> QuerySet[Member]:
    scope = _center_scope(user, "provider__home_center")
    if scope is None:
        return Member.objects.none()
    return Member.objects.filter(scope).select_related("provider", "provider__home_center", "provider__firm")


def member_get_for_user(user: User, member_id: Any, *, for_update: bool = False) -> Member:
    pk = parse_id(str(member_id))
    qs = members_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    member = qs.filter(pk=pk).first() if pk is not None else None
    if member is None:
        raise NotFoundOrForbidden("未找到该名优律师团成员，或您无权查看。")
    return member


def sessions_visible_to(user: User) -> QuerySet[Session]:
    scope = _center_scope(user, "center")
    if scope is None:
        return Session.objects.none()
    return Session.objects.filter(scope).select_related("center", "station")


def session_get_for_user(user: User, session_id: Any, *, for_update: bool = False) -> Session:
    pk = parse_id(str(session_id))
    qs = sessions_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    session = qs.filter(pk=pk).first() if pk is not None else None
    if session is None:
        raise NotFoundOrForbidden("未找到该坐堂咨询，或您无权查看。")
    return session


def open_members_on(day: dt.date) -> QuerySet[Member]:
    return Member.objects.filter(Q(admitted_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day))


# --- Figures (office and public) ----------------------------------------------------------------------------------


@dataclass
class MemberFigures:
    sessions_held: int = 0  # sessions attended in the period
    consultations: int = 0  # consultations given at those sessions (a session's count, shared by its lawyers)
    closed_cases: int = 0  # legal aid cases they handled to the end, all time
    closed_by_type: dict[str, int] = field(default_factory=dict)


def member_figures(members: list[Member], *, since: dt.date, until: dt.date) -> dict[int, MemberFigures]:
    """Per member: sessions attended and consultations given between ``since`` and ``until``, and the legal aid
    cases their provider closed (three queries for any number of members)."""
    figures = {m.pk: MemberFigures() for m in members}
    sessions = (Attendance.objects.filter(member__in=members, attended=True, session__status=SessionStatus.HELD,
                                          session__held_on__gte=since, session__held_on__lte=until)
                .values("member_id").annotate(n=Count("id"), c=Sum("session__consultations_given")))
    for row in sessions:
        figures[row["member_id"]].sessions_held = row["n"]
        figures[row["member_id"]].consultations = row["c"] or 0
    by_provider = defaultdict(list)
    for m in members:
        by_provider[m.provider_id].append(m.pk)
    cases = (Case.objects.filter(provider_id__in=list(by_provider), status__in=CLOSED)
             .values("provider_id", "case_type").annotate(n=Count("id")))
    labels = dict(Case._meta.get_field("case_type").choices or [])
    for row in cases:
        for pk in by_provider[row["provider_id"]]:
            f = figures[pk]
            f.closed_cases += row["n"]
            label = str(labels.get(row["case_type"], row["case_type"]))
            f.closed_by_type[label] = f.closed_by_type.get(label, 0) + row["n"]
    return figures


@dataclass(frozen=True)
class PublicMember:
    name: str
    firm: str
    center: str
    admitted_on: dt.date
    profile: str
    specialties: tuple[str, ...]
    figures: MemberFigures


@dataclass(frozen=True)
class PublicSession:
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    place: str
    address: str
    topic: str
    lawyers: tuple[str, ...]


def public_team(on: dt.date) -> tuple[list[PublicMember], list[PublicSession]]:
    """The open members with their figures over the last year, and the coming sessions (next 60 days)."""
    members = list(open_members_on(on).select_related("provider", "provider__firm", "provider__home_center")
                   .prefetch_related("provider__specialties")
                   .order_by("provider__home_center__level", "provider__home_center__name", "provider__name"))
    figures = member_figures(members, since=on - dt.timedelta(days=365), until=on)
    team = [PublicMember(
        name=m.provider.name, firm=m.provider.firm.name if m.provider.firm else "",
        center=m.provider.home_center.name, admitted_on=m.admitted_on, profile=m.profile,
        specialties=tuple(s.name for s in m.provider.specialties.all()), figures=figures[m.pk]) for m in members]
    coming = (Session.objects.filter(status=SessionStatus.SCHEDULED, held_on__gte=on,
                                     held_on__lte=on + dt.timedelta(days=60))
              .select_related("center", "station").prefetch_related("attendances__member__provider")
              .order_by("held_on", "starts_at")[:30])
    sessions = [PublicSession(
        held_on=s.held_on, starts_at=s.starts_at, ends_at=s.ends_at, place=s.place,
        address=s.station.address if s.station else s.center.address, topic=s.topic,
        lawyers=tuple(a.member.provider.name for a in s.attendances.all())) for s in coming]
    return team, sessions
