"""A duty's day: check-in and check-out, swaps (the lawyer asks, the center approves), no-shows, inspections."""

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

from ..models import Duty, Inspection, RotaStatus, SwapRequest, SwapStatus
from ..selectors import duty_get_for_user, pool_members, station_get_for_user, swap_get_for_user
from ._common import require_center, require_lawyer
from .notices import move_to_duty

MAX_TEXT = bounds.REASON_MAX
MAX_FINDINGS = 2000


def _own_active_duty(actor: User, duty_id: Any) -> Duty:
    require_lawyer(actor)
    duty = duty_get_for_user(actor, duty_id, for_update=True)
    if not duty.active:
        raise Conflict("该值班已换班，不再有效。")
    return duty


@atomic_service
def duty_check_in(*, actor: User, duty_id: Any) -> Duty:
    duty = _own_active_duty(actor, duty_id)
    now = timezone.now()
    if duty.date != timezone.localdate(now):
        raise Conflict(f"只能在值班当日签到（本次值班日期为{duty.date:%Y年%m月%d日}）。")
    if duty.checked_in_at is not None:
        raise Conflict("您已签到。")
    duty.checked_in_at = now
    duty.save(update_fields=["checked_in_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=duty, detail={"fields": ["checked_in_at"]})
    return duty


@atomic_service
def duty_check_out(*, actor: User, duty_id: Any) -> Duty:
    duty = _own_active_duty(actor, duty_id)
    if duty.checked_in_at is None:
        raise Conflict("尚未签到，不能签退。")
    if duty.checked_out_at is not None:
        raise Conflict("您已签退。")
    duty.checked_out_at = timezone.now()
    duty.save(update_fields=["checked_out_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=duty, detail={"fields": ["checked_out_at"]})
    return duty


@atomic_service
def swap_request(*, actor: User, duty_id: Any, replacement_id: int, reason: str) -> SwapRequest:
    """The lawyer asks to hand a future duty to another lawyer of the station's pool; the center decides."""
    provider = require_lawyer(actor)
    duty = _own_active_duty(actor, duty_id)
    if duty.date < timezone.localdate():
        raise Conflict("已过去的值班不能换班。")
    if not 2 <= len(reason.strip()) <= MAX_TEXT:
        raise ValidationFailed(f"请写明换班理由（2 到 {MAX_TEXT} 字）。", field="reason")
    if replacement_id == provider.pk or not pool_members(duty.station, on=duty.date).filter(
            provider_id=replacement_id).exists():
        raise ValidationFailed("替班律师须为本站值班律师库中的其他律师。", field="replacement_id")
    if duty.swap_requests.filter(status=SwapStatus.PENDING).exists():
        raise Conflict("该值班已有待审批的换班申请。")
    swap = SwapRequest.objects.create(duty=duty, replacement_id=replacement_id, reason=reason.strip(),
                                      requested_by=actor, requested_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=swap, detail={"fields": ["duty", "replacement"]})
    return swap


@atomic_service
def swap_decide(*, actor: User, swap_id: Any, approve: bool, note: str = "") -> SwapRequest:
    """Approving re-checks everything: the duty is still active, the replacement still in the pool, and the database
    refuses a second active duty of the replacement on that day (``duty_one_place_per_lawyer_day``)."""
    require_center(actor)
    swap = swap_get_for_user(actor, swap_id, for_update=True)
    if swap.status != SwapStatus.PENDING:
        raise Conflict("该换班申请已处理。")
    if len(note.strip()) > MAX_TEXT:
        raise ValidationFailed(f"审批意见不能超过 {MAX_TEXT} 字。", field="note")
    now = timezone.now()
    swap.status = SwapStatus.APPROVED if approve else SwapStatus.REFUSED
    swap.decided_by, swap.decided_at, swap.decision_note = actor, now, note.strip()
    if approve:
        duty = Duty.objects.select_for_update().get(pk=swap.duty_id)
        if not duty.active or duty.date < timezone.localdate(now):
            raise Conflict("原值班已失效或已过去，不能换班。")
        if not pool_members(duty.station, on=duty.date).filter(provider_id=swap.replacement_id).exists():
            raise Conflict(f"{swap.replacement.name}已不在{duty.station.name}的值班律师库中。")
        duty.active, duty.ended_reason = False, f"换班给{swap.replacement.name}"
        duty.save(update_fields=["active", "ended_reason"])
        try:
            with transaction.atomic():
                swap.new_duty = Duty.objects.create(rota=duty.rota, station=duty.station,
                                                    provider=swap.replacement, date=duty.date)
        except IntegrityError:
            raise Conflict(f"{swap.replacement.name}{duty.date:%m月%d日}已有其他值班，不能同日在两处值班。") from None
        move_to_duty(actor=actor, old=duty, new=swap.new_duty)  # the notices on the slot follow it
    swap.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_duty"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=swap, detail={"fields": ["status"]})
    return swap


@atomic_service
def duty_flag_no_shows(*, on: dt.date) -> int:
    """The daily job: a published duty whose day has passed without a check-in is flagged as a no-show.
    Idempotent: a flagged duty is not flagged again."""
    qs = Duty.objects.filter(active=True, rota__status=RotaStatus.PUBLISHED, date__lt=on,
                             checked_in_at__isnull=True, no_show=False)
    ids = list(qs.values_list("pk", flat=True))
    if ids:
        Duty.objects.filter(pk__in=ids).update(no_show=True, no_show_flagged_at=timezone.now())
        audit_record(actor=None, action=AuditAction.UPDATE, object_type="duty.duty",
                     detail={"fields": ["no_show"], "flagged": len(ids), "before": on.isoformat()})
    return len(ids)


@atomic_service
def inspection_record(*, actor: User, station_id: Any, date: dt.date, inspector: str, findings: str) -> Inspection:
    require_center(actor)
    station = station_get_for_user(actor, station_id)
    if date > timezone.localdate():
        raise ValidationFailed("督查日期不能晚于今天。", field="date")
    if not 2 <= len(inspector.strip()) <= 100:
        raise ValidationFailed("请填写督查人（2 到 100 字）。", field="inspector")
    if not 2 <= len(findings.strip()) <= MAX_FINDINGS:
        raise ValidationFailed(f"请填写督查发现（2 到 {MAX_FINDINGS} 字）。", field="findings")
    row = Inspection.objects.create(station=station, date=date, inspector=inspector.strip(),
                                    findings=findings.strip(), recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, detail={"fields": ["date", "inspector",
                                                                                     "findings"]})
    return row
