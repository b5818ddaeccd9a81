"""The criminal-defense pool (刑事辩护法律援助律师库, 2018 work plan point 3): scoped reads and the two writes.

It lives in ``org``, below ``cases``, because the assignment reads it: a criminal case is assigned only to a member
on the assignment day (``cases.assignment_rules``). A center's staff manage the lawyers of their center; a
district bureau those of the centers of its district; the city bureau all. Membership rows are dated, so any past
assignment is judged by the pool of its own day; ``Provider.criminal_pool`` mirrors "has an open membership" for
the lists and filters, and only these services write it (admission and leaving are never dated in the future, so
the mirror cannot go stale with the calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core import bounds
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.core.transactions import atomic_service

from . import defense_pool_rules as rules
from .models import DefensePoolCriterion, DefensePoolMember, Provider, ProviderKind

MAX_REASON = bounds.REASON_MAX
MAX_TRAINING_HOURS = 2000
POOL_MANAGER_ROLES = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}


# --- reads -------------------------------------------------------------------------------------------------------

def criteria_rows_in_force(on: dt.date) -> QuerySet[DefensePoolCriterion]:
    return DefensePoolCriterion.objects.in_force_on(on).order_by("code")


def criteria_in_force(on: dt.date) -> list[rules.Criterion]:
    return [rules.Criterion(c.code, c.threshold, c.basis_label) for c in criteria_rows_in_force(on)]


def member_ids_on(provider_ids: Iterable[int], on: dt.date) -> set[int]:
    """The given providers who are pool members on ``on`` (the assignment's check)."""
    return set(DefensePoolMember.objects.filter(provider_id__in=list(provider_ids), admitted_on__lte=on)
               .filter(Q(left_on__isnull=True) | Q(left_on__gt=on)).values_list("provider_id", flat=True))


def _provider_scope(actor: User) -> Q | None:
    """The providers whose membership the actor manages, or None when they manage none."""
    if actor.role in CENTER_ROLES and actor.center_id is not None:
        return Q(home_center_id=actor.center_id)
    if actor.role == Role.BUREAU_SUPERVISOR:
        return Q() if actor.district_id is None else Q(home_center__district_id=actor.district_id)
    return None


def _require_manager(actor: User) -> Q:
    scope = _provider_scope(actor)
    if scope is None:
        raise PermissionDenied("只有法律援助中心工作人员或司法局可以管理刑事辩护律师库。")
    return scope


def members_for_user(actor: User, *, current_only: bool = True) -> QuerySet[DefensePoolMember]:
    scope = _provider_scope(actor)
    if scope is None:
        return DefensePoolMember.objects.none()
    qs = (DefensePoolMember.objects.filter(provider__in=Provider.objects.filter(scope))
          .select_related("provider__home_center", "provider__firm", "admitted_by", "left_by"))
    return qs.filter(left_on__isnull=True) if current_only else qs


def member_get_for_user(actor: User, member_id: Any, *, for_update: bool = False) -> DefensePoolMember:
    pk = parse_id(str(member_id))
    qs = members_for_user(actor, current_only=False)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    member = qs.filter(pk=pk).first() if pk is not None else None
    if member is None:
        raise NotFoundOrForbidden()
    return member


def admissible_providers_for_user(actor: User) -> QuerySet[Provider]:
    """Active lawyers the actor manages who are not in the pool now (the admission form's choices)."""
    scope = _provider_scope(actor)
    if scope is None:
        return Provider.objects.none()
    return (Provider.objects.filter(scope).filter(active=True, kind=ProviderKind.LAWYER)
            .exclude(pk__in=DefensePoolMember.objects.filter(left_on__isnull=True).values("provider_id"))
            .select_related("home_center").order_by("home_center", "name"))


# --- writes ------------------------------------------------------------------------------------------------------

@atomic_service
def defense_pool_admit(*, actor: User, provider_id: Any, admitted_on: dt.date, training_hours: int,
                       last_sanction_on: dt.date | None = None) -> DefensePoolMember:
    """Admit a lawyer if every criterion in force on ``admitted_on`` holds; the check is written on the row."""
    scope = _require_manager(actor)
    today = timezone.localdate()
    if admitted_on > today:
        raise ValidationFailed("入库日期不能晚于今天。", field="admitted_on")
    if not 0 <= training_hours <= MAX_TRAINING_HOURS:
        raise ValidationFailed(f"培训学时应在 0 到 {MAX_TRAINING_HOURS} 之间。", field="training_hours")
    if last_sanction_on is not None and last_sanction_on > admitted_on:
        raise ValidationFailed("最近一次处分日期不能晚于入库日期。", field="last_sanction_on")
    pk = parse_id(str(provider_id))
    # The provider row is locked as the assignment locks it: admission and an assignment of the same lawyer queue.
    provider = (Provider.objects.select_for_update(of=("self",)).filter(scope).filter(pk=pk, active=True).first()
                if pk is not None else None)
    if provider is None:
        raise ValidationFailed("所选人员不存在、已不在册或不属于您管理的范围。", field="provider_id")
    memberships = DefensePoolMember.objects.filter(provider=provider)
    if memberships.filter(left_on__isnull=True).exists():
        raise Conflict(f"{provider.name}已在刑事辩护律师库中。")
    if memberships.filter(left_on__gt=admitted_on).exists():
        raise ValidationFailed("入库日期不能早于该律师上次出库的日期。", field="admitted_on")
    criteria = criteria_in_force(admitted_on)
    facts = rules.Facts(is_lawyer=provider.kind == ProviderKind.LAWYER,
                        years_criminal=provider.years_of_criminal_defense(admitted_on),
                        training_hours=training_hours, last_sanction_on=last_sanction_on, on=admitted_on)
    refused = rules.admission_refusals(criteria, facts)
    if refused:
        raise ValidationFailed(f"{provider.name}不符合入库条件：{'；'.join(refused)}。", field="provider_id")
    member = DefensePoolMember.objects.create(
        provider=provider, admitted_on=admitted_on, training_hours=training_hours, last_sanction_on=last_sanction_on,
        criteria_check=rules.explain_admission(criteria, facts) or "入库时无有效入库条件", admitted_by=actor)
    provider.criminal_pool = True
    provider.save(update_fields=["criminal_pool"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=member,
                 detail={"fields": ["provider", "admitted_on", "training_hours", "last_sanction_on"]})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=provider, detail={"fields": ["criminal_pool"]})
    return member


@atomic_service
def defense_pool_leave(*, actor: User, member_id: Any, left_on: dt.date, reason: str) -> DefensePoolMember:
    """The lawyer leaves the pool on ``left_on`` (not in the future): from that day no criminal case is assigned
    to them; the cases they already hold stay theirs."""
    _require_manager(actor)
    member = member_get_for_user(actor, member_id, for_update=True)
    if member.left_on is not None:
        raise Conflict("该律师已出库。")
    if left_on <= member.admitted_on:
        raise ValidationFailed("出库日期应晚于入库日期。", field="left_on")
    if left_on > timezone.localdate():
        raise ValidationFailed("出库日期不能晚于今天。", field="left_on")
    if not 2 <= len(reason.strip()) <= MAX_REASON:
        raise ValidationFailed(f"请写明出库原因（2 到 {MAX_REASON} 字）。", field="reason")
    provider = Provider.objects.select_for_update().get(pk=member.provider_id)
    member.left_on, member.left_reason, member.left_by = left_on, reason.strip(), actor
    member.save(update_fields=["left_on", "left_reason", "left_by"])
    provider.criminal_pool = False
    provider.save(update_fields=["criminal_pool"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=member,
                 detail={"fields": ["left_on", "left_reason", "left_by"]})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=provider, detail={"fields": ["criminal_pool"]})
    return member
