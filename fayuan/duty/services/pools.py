"""Admission to and leaving a station's pool; a lawyer's leave (不能值班时段)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core import bounds
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Provider, ProviderKind

from .. import rules
from ..models import AdmissionCriterion, AssessmentResult, Duty, DutyPoolMember, RotaStatus, Unavailability
from ..selectors import member_get_for_user, station_get_for_user
from ._common import require_center, require_lawyer

MAX_TEXT = bounds.REASON_MAX


def criteria_in_force(on: dt.date) -> list[rules.Criterion]:
    return [c.as_rule() for c in AdmissionCriterion.objects.in_force_on(on).order_by("code")]


@atomic_service
def pool_admit(*, actor: User, station_id: Any, provider_id: int, admitted_on: dt.date, assessment_result: str,
               has_sanction: bool) -> DutyPoolMember:
    """Admit a lawyer to the station's pool if every admission criterion in force on ``admitted_on`` holds."""
    require_center(actor)
    station = station_get_for_user(actor, station_id)
    if assessment_result not in AssessmentResult.values:
        raise ValidationFailed("请选择考核结果。", field="assessment_result")
    provider = Provider.objects.filter(pk=provider_id, active=True, kind=ProviderKind.LAWYER).first()
    if provider is None:
        raise ValidationFailed("所选律师不存在或已不在册（值班律师须为执业律师）。", field="provider_id")
    criteria = criteria_in_force(admitted_on)
    facts = rules.Facts(provider.years_of_practice(admitted_on), assessment_result == AssessmentResult.PASSED,
                        has_sanction)
    refused = rules.admission_refusals(criteria, facts)
    if refused:
        raise ValidationFailed(f"{provider.name}不符合入库条件：{'；'.join(refused)}。", field="provider_id")
    member = DutyPoolMember(station=station, provider=provider, admitted_on=admitted_on,
                            assessment_result=assessment_result, has_sanction=has_sanction, admitted_by=actor,
                            admission_explanation=rules.explain_admission(criteria, facts))
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise Conflict(f"{provider.name}已在{station.name}的值班律师库中。") from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=member,
                 detail={"fields": ["station", "provider", "admitted_on", "assessment_result", "has_sanction"]})
    return member


@atomic_service
def pool_leave(*, actor: User, member_id: Any, left_on: dt.date, reason: str) -> DutyPoolMember:
    require_center(actor)
    member = member_get_for_user(actor, member_id)
    if member.left_on is not None:
        raise Conflict("该律师已出库。")
    if left_on <= member.admitted_on:
        raise ValidationFailed("出库日期应晚于入库日期。", field="left_on")
    if not 2 <= len(reason.strip()) <= MAX_TEXT:
        raise ValidationFailed(f"请写明出库原因（2 到 {MAX_TEXT} 字）。", field="reason")
    member.left_on, member.left_reason = left_on, reason.strip()
    member.save(update_fields=["left_on", "left_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, detail={"fields": ["left_on", "left_reason"]})
    return member


@atomic_service
def unavailability_record(*, actor: User, provider_id: int, start_on: dt.date, end_on: dt.date,
                          reason: str) -> Unavailability:
    """Leave of a lawyer of one of the center's pools: the next generated rota leaves them out on those days."""
    require_center(actor)
    if not DutyPoolMember.objects.filter(provider_id=provider_id, station__center_id=actor.center_id or 0).exists():
        raise ValidationFailed("该律师不在本中心任何站点的值班律师库中。", field="provider_id")
    _check_period(start_on, end_on, reason)
    row = Unavailability.objects.create(provider_id=provider_id, start_on=start_on, end_on=end_on,
                                        reason=reason.strip(), recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row,
                 detail={"fields": ["provider", "start_on", "end_on", "reason"]})
    return row


def _check_period(start_on: dt.date, end_on: dt.date, reason: str) -> None:
    if end_on < start_on:
        raise ValidationFailed("截止日期不能早于起始日期。", field="end_on")
    if (end_on - start_on).days > 366:
        raise ValidationFailed("一次登记的时段不能超过一年。", field="end_on")
    if not 2 <= len(reason.strip()) <= MAX_TEXT:
        raise ValidationFailed(f"请写明原因（2 到 {MAX_TEXT} 字）。", field="reason")


@atomic_service
def unavailability_record_own(*, actor: User, start_on: dt.date, end_on: dt.date, reason: str) -> Unavailability:
    """A duty lawyer enters their own leave, from tomorrow on. A day they hold on a published rota stays theirs
    until a swap is approved (the published rota changes only by swaps): such a period is refused with the days
    named. Days of a draft rota are left to the center, whose next generation leaves them out."""
    provider = require_lawyer(actor)
    today = timezone.localdate()
    if not DutyPoolMember.objects.filter(provider=provider, left_on__isnull=True).exists():
        raise Conflict("您不在任何站点的值班律师库中，无须登记不能值班时段。")
    if start_on <= today:
        raise ValidationFailed("只能登记明天及以后的不能值班时段；今天及以前的情况请联系法律援助中心。",
                               field="start_on")
    _check_period(start_on, end_on, reason)
    # Lock the lawyer's provider row: two leave entries at once cannot both pass the overlap check.
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    if Unavailability.objects.filter(provider=provider, start_on__lte=end_on, end_on__gte=start_on).exists():
        raise Conflict("该时段与您已登记的不能值班时段重叠，请勿重复登记。")
    held = list(Duty.objects.filter(provider=provider, active=True, rota__status=RotaStatus.PUBLISHED,
                                    date__range=(start_on, end_on)).select_related("station").order_by("date"))
    if held:
        days = "、".join(f"{d.date:%Y-%m-%d}（{d.station.name}）" for d in held)
        raise Conflict(f"您在 {days} 已排入已发布的值班，不能登记为不能值班。请先对这些值班申请换班，"
                       "换班经中心批准后再登记。", field="start_on")
    row = Unavailability.objects.create(provider=provider, start_on=start_on, end_on=end_on, reason=reason.strip(),
                                        recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row,
                 detail={"fields": ["provider", "start_on", "end_on", "reason"], "own": True})
    return row
