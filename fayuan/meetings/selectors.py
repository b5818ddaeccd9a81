"""Scoped reads of joint meetings. A center sees the meetings it convened or took part in; a district bureau those
it convened and those of the centers of its district; the city bureau all; an organ's liaison the meetings its
organ took part in (read-only). Anyone else, and any meeting outside the scope, is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.params import parse_id

from .models import FollowUpAction, Meeting

# Record meetings and their follow-up; liaisons only read.
MEETING_WRITERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
MEETING_READERS = MEETING_WRITERS | {Role.ORGAN_LIAISON}


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(convener_center_id=user.center_id) | Q(centers__id=user.center_id)
    if user.role == Role.BUREAU_SUPERVISOR:
        if user.district_id is None:
            return Q()
        d = user.district_id
        return (Q(convened_by_bureau=True, convener_district_id=d) | Q(convener_center__district_id=d)
                | Q(centers__district_id=d))
    if user.role == Role.ORGAN_LIAISON and user.organ_id:
        return Q(organs__id=user.organ_id)
    return None


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    scope = _scope(user)
    if scope is None:
        return Meeting.objects.none()
    # The scope joins the participants; select the ids first so the list itself has one row per meeting.
    ids = Meeting.objects.filter(scope).values("pk")
    return Meeting.objects.filter(pk__in=ids).select_related("convener_center", "convener_district")


def meeting_get_for_user(user: User, meeting_id: Any, *, for_update: bool = False) -> Meeting:
    pk = parse_id(str(meeting_id))
    qs = meetings_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    meeting = qs.filter(pk=pk).first() if pk is not None else None
    if meeting is None:
        raise NotFoundOrForbidden("未找到该联席会议，或您无权查看。")
    return meeting


def meeting_detail(meeting: Meeting) -> Meeting:
    """The meeting with its participants, decisions and actions loaded (a fixed number of queries)."""
    actions = FollowUpAction.objects.select_related("owner_center", "owner_organ").order_by("due_on", "pk")
    return (Meeting.objects.filter(pk=meeting.pk).select_related("convener_center", "convener_district")
            .prefetch_related("centers", "organs", "decisions", Prefetch("actions", queryset=actions)).get())


def action_get_for_user(user: User, action_id: Any, *, for_update: bool = False) -> FollowUpAction:
    pk = parse_id(str(action_id))
    qs = FollowUpAction.objects.filter(meeting__in=meetings_visible_to(user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    action = qs.select_related("meeting").filter(pk=pk).first() if pk is not None else None
    if action is None:
        raise NotFoundOrForbidden("未找到该落实事项，或您无权查看。")
    return action


def overdue_actions(user: User, *, on: dt.date) -> QuerySet[FollowUpAction]:
    """Follow-up actions of the user's meetings not done by their due date."""
    return (FollowUpAction.objects.filter(meeting__in=meetings_visible_to(user), done_on__isnull=True,
                                          due_on__lt=on)
            .select_related("meeting", "owner_center", "owner_organ").order_by("due_on", "pk"))
