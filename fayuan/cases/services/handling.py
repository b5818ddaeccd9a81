"""Handling (progress entries), the closing file, the center's review of it, and the archive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.core import bounds
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.transactions import atomic_service

from ..closing_checks import closing_refusals
from ..models import Case, ClosingFile, FileKind, Outcome, ProgressEntry, ProgressKind, Status
from ..selectors import case_get_for_user
from .files import case_file_add
from .transitions import apply_transition, record_event

# Retention of closed files, in years; the bureau's archive rules decide the figure (settings, not code).
ARCHIVE_RETENTION_YEARS = getattr(settings, "ARCHIVE_RETENTION_YEARS", 30)


def _require_provider(actor: User, case: Case) -> None:
    active = case.assignments.filter(is_active=True).first()
    if active is None or active.provider_id != actor.provider_id:
        raise PermissionDenied("只有本案当前的承办人员可以记录办案进展。")
    if active.accepted_at is None:
        raise Conflict("请先接受指派。")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value or "0")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationFailed("金额格式不正确。", field=field) from None
    if not amount.is_finite():  # "NaN" quantizes to NaN, and comparing NaN raises
        raise ValidationFailed("金额格式不正确。", field=field)
    if amount < 0:
        raise ValidationFailed("金额不能为负数。", field=field)
    if amount > bounds.MONEY_MAX:
        raise ValidationFailed("金额过大，请核对（单位：元）。", field=field)
    return amount


@atomic_service
def progress_record(*, actor: User, public_id: Any, kind: str, occurred_on: dt.date, summary: str,
                    court: str = "", hearing_at: dt.datetime | None = None,
                    upload: UploadedFile | None = None) -> ProgressEntry:
    if kind not in ProgressKind.values:
        raise ValidationFailed("请选择进展类型。", field="kind")
    if not summary.strip():
        raise ValidationFailed("请简要记录办理情况。", field="summary")
    if occurred_on > timezone.localdate():
        raise ValidationFailed("进展日期不能晚于今天。", field="occurred_on")
    if kind == ProgressKind.HEARING and not court.strip():
        raise ValidationFailed("出庭记录须填写法院。", field="court")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    _require_provider(actor, case)
    if case.status not in (Status.AGREEMENT_SIGNED, Status.IN_PROGRESS):
        raise Conflict("签订委托协议后才能记录办案进展。")
    if case.status == Status.AGREEMENT_SIGNED:
        apply_transition(actor=actor, case=case, action="start_handling")
    file = None
    if upload is not None:
        kind_of_file = FileKind.JUDGMENT if kind == ProgressKind.JUDGMENT else FileKind.PROGRESS_DOCUMENT
        file = case_file_add(actor=actor, case=case, kind=kind_of_file, upload=upload)
    entry = ProgressEntry.objects.create(case=case, kind=kind, occurred_on=occurred_on, court=court.strip(),
                                         hearing_at=hearing_at, summary=summary.strip(), file=file,
                                         recorded_by=actor, recorded_at=timezone.now())
    # A judgment starts the clock for the closing file.
    emits = ("judgment_received",) if kind == ProgressKind.JUDGMENT else ()
    record_event(actor=actor, case=case, kind=f"progress_{kind}", note=summary.strip(),
                 payload={"entry": entry.pk, "court": court.strip(),
                          "hearing_at": hearing_at.isoformat() if hearing_at else None}, emits=emits)
    return entry


def _check_closing(case: Case) -> None:
    """What the apps above require before a case closes (``closing_checks``: quality's collective discussion)."""
    refusals = closing_refusals(case)
    if refusals:
        raise Conflict("；".join(refusals))


@atomic_service
def closing_submit(*, actor: User, public_id: Any, outcome: str, report: str, money_recovered: Any = "0",
                   money_saved: Any = "0", judgment: UploadedFile | None = None) -> ClosingFile:
    if outcome not in Outcome.values:
        raise ValidationFailed("请选择办理结果。", field="outcome")
    if len(report.strip()) < 10:
        raise ValidationFailed("请填写承办情况报告（不少于 10 个字）。", field="report")
    recovered, saved = _money(money_recovered, "money_recovered"), _money(money_saved, "money_saved")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    _require_provider(actor, case)
    _check_closing(case)
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="submit_closing", at=now)
    file = case_file_add(actor=actor, case=case, kind=FileKind.JUDGMENT, upload=judgment) if judgment else None
    return ClosingFile.objects.create(case=case, outcome=outcome, money_recovered=recovered, money_saved=saved,
                                      report=report.strip(), judgment=file, submitted_by=actor, submitted_at=now)


@atomic_service
def closing_review(*, actor: User, public_id: Any, accept: bool, notes: str = "") -> ClosingFile:
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("结案材料由法律援助中心审查。")
    if not accept and len(notes.strip()) < 4:
        raise ValidationFailed("退回补正须写明需要补正的内容。", field="notes")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    closing = case.closing_files.filter(accepted__isnull=True).first()
    if closing is None:
        raise Conflict("没有待审查的结案材料。")
    if accept:
        _check_closing(case)
    now = timezone.now()
    apply_transition(actor=actor, case=case, action="accept_closing" if accept else "return_closing", at=now,
                     note=notes.strip())
    closing.accepted, closing.reviewed_by, closing.reviewed_at = accept, actor, now
    closing.review_notes = notes.strip()
    closing.save(update_fields=["accepted", "reviewed_by", "reviewed_at", "review_notes"])
    return closing


@atomic_service
def case_archive(*, actor: User, public_id: Any) -> Case:
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    today = timezone.localdate()
    try:
        case.retention_until = today.replace(year=today.year + ARCHIVE_RETENTION_YEARS)
    except ValueError:  # 29 February
        case.retention_until = today.replace(year=today.year + ARCHIVE_RETENTION_YEARS, day=28)
    apply_transition(actor=actor, case=case, action="archive", extra_fields=("retention_until",),
                     payload={"retention_until": case.retention_until.isoformat()})
    return case
