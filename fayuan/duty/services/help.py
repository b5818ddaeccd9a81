"""Legal help (法律帮助) recorded by the duty lawyer on their duty."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.services.organ import MAX_ORGAN_CASE_NUMBER, normalize_organ_case_number
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.core.transactions import atomic_service
from fayuan.people.services import person_match_or_register

from ..codefendants import CO_DEFENDANT_BASIS, co_defendant_cases_held
from ..models import HelpKind, HelpRecord, Stage
from ..selectors import open_assignments_for
from ._common import require_lawyer
from .duties import _own_active_duty
from .notices import link_help

MAX_NOTES = 2000


@atomic_service
def help_record_create(*, actor: User, duty_id: Any, person_name: str, stage: str, kind: str,
                       organ_case_number: str = "", id_number: str = "", application_forwarded: bool = False,
                       forwarded_at: dt.datetime | None = None, notes: str = "",
                       assignment_id: Any = None) -> HelpRecord:
    """Record help given on one's own duty. An ID number, if given, goes to the people app (encrypted, hashed,
    masked) and the record links the person; the number itself is never stored here. ``assignment_id``: the
    organ's notice on one's own rota slot this help answers (the notice then shows the help to the organ)."""
    provider = require_lawyer(actor)
    duty = _own_active_duty(actor, duty_id)
    assignment = None
    if assignment_id not in (None, ""):
        assignment = open_assignments_for(actor).select_for_update(of=("self",)).filter(
            pk=parse_id(str(assignment_id)) or 0).first()
        if assignment is None:
            raise ValidationFailed("所选通知不是安排给您、尚待提供法律帮助的通知。", field="assignment_id")
    if duty.date > timezone.localdate():
        raise Conflict("值班日之前不能登记法律帮助。")
    name = person_name.strip()
    if not 1 <= len(name) <= 60:
        raise ValidationFailed("请填写受帮助人姓名（60 字以内）。", field="person_name")
    if stage not in Stage.values:
        raise ValidationFailed("请选择诉讼阶段。", field="stage")
    if kind not in HelpKind.values:
        raise ValidationFailed("请选择帮助类型。", field="kind")
    number = normalize_organ_case_number(organ_case_number)
    if len(number) > MAX_ORGAN_CASE_NUMBER:
        raise ValidationFailed(f"办案机关案号不能超过 {MAX_ORGAN_CASE_NUMBER} 个字。", field="organ_case_number")
    if kind == HelpKind.PLEA_WITNESSED and not number:
        raise ValidationFailed("见证认罪认罚具结书签署的，请填写办案机关案号。", field="organ_case_number")
    if len(notes) > MAX_NOTES:
        raise ValidationFailed(f"帮助内容不能超过 {MAX_NOTES} 字。", field="notes")
    if application_forwarded and forwarded_at is None:
        raise ValidationFailed("已转交法律援助申请的，请填写转交时间。", field="forwarded_at")
    if forwarded_at is not None and forwarded_at > timezone.now():
        raise ValidationFailed("转交时间不能晚于现在。", field="forwarded_at")
    person = assignment.person if assignment is not None else None
    if id_number.strip():
        person, _ = person_match_or_register(actor=actor, name=name, id_number=id_number,
                                             center=duty.station.center, source="duty_help")
    held = co_defendant_cases_held(provider_id=provider.pk, organ_case_number=number,
                                   person_id=person.pk if person else None, name=name)
    if held:
        raise Conflict(f"您已为同案其他被告人担任辩护人（{'、'.join(held)}），不能为本案{name}提供值班律师法律帮助："
                       f"一名辩护人不得为两名以上的同案被告人辩护（{CO_DEFENDANT_BASIS}）。")
    record = HelpRecord.objects.create(
        duty=duty, provider=provider, station=duty.station, person_name=name, person=person, stage=stage,
        kind=kind, organ_case_number=number, application_forwarded=application_forwarded,
        forwarded_at=forwarded_at if application_forwarded else None, notes=notes.strip(), recorded_by=actor,
        recorded_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record,
                 detail={"fields": sorted(["person_name", "stage", "kind", "organ_case_number",
                                           *(["person"] if person else [])])})
    if assignment is not None:
        link_help(actor=actor, assignment=assignment, record=record)
    # Apps on higher floors (stats' rollups) listen; duty imports none of them. ``at``: the recording time; the
    # help counts in the month of its duty day (as the duty reports count it).
    events.publish(events.Event(name="duty.help_recorded", subject=record, at=record.recorded_at, actor=actor,
                                payload={"help_record_id": record.pk, "kind": kind, "station_id": duty.station_id,
                                         "duty_date": duty.date.isoformat()}))
    return record
