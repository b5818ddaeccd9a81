"""Writes of bulletins: draft (the figures pre-fill the suggested problems and good practice), edit the text,
issue (numbered, figures and excellent cases frozen). The city bureau writes the city's, a center's staff their
center's; district bureaus read. An issued bulletin never changes."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Center, CenterLevel

from . import figures, rules
from .models import Bulletin, BulletinCounter, Kind, Status
from .selectors import bulletin_get_for_user, excellent_cases, writable_center_id

MAX_TEXT = 5000
EARLIEST_YEAR = 2018


def scope_of(bulletin: Bulletin) -> figures.Scope:
    start, end = rules.period_bounds(bulletin.kind, bulletin.period_start)
    return figures.Scope(start, end, bulletin.center_id)


def _writer_scope(actor: User) -> int | None:
    try:
        return writable_center_id(actor)
    except NotFoundOrForbidden as exc:
        raise PermissionDenied(exc.message) from exc


@atomic_service
def bulletin_draft(*, actor: User, kind: str, period_start: dt.date, today: dt.date | None = None) -> Bulletin:
    """A draft for a period that is over, for the actor's scope; the text starts from the figures' suggestions."""
    center_id = _writer_scope(actor)
    if kind not in Kind.values:
        raise ValidationFailed("请选择通报类型（月度或年度）。", field="kind")
    today = today or timezone.localdate()
    start, end = rules.period_bounds(kind, period_start)
    if end > today:
        raise ValidationFailed("只能为已经结束的月份或年度编写通报。", field="period_start")
    if start.year < EARLIEST_YEAR:
        raise ValidationFailed(f"通报期间不能早于{EARLIEST_YEAR}年。", field="period_start")
    if Bulletin.objects.filter(Q(center_id=center_id) if center_id else Q(center__isnull=True), kind=kind,
                               period_start=start).exists():
        raise Conflict("该期间的通报已经存在，请打开它继续编写。")
    scope = figures.Scope(start, end, center_id)
    found = figures.snapshot(scope)
    named = excellent_cases(scope, kind)
    try:
        with transaction.atomic():  # a savepoint: a concurrent draft of the same period makes this insert fail
            bulletin = Bulletin.objects.create(
                kind=kind, period_start=start, center_id=center_id, created_by=actor,
                problems=rules.suggest_problems(found),
                good_practice=rules.suggest_good_practice(found, [c["title"] for c in named]))
    except IntegrityError as exc:
        raise Conflict("该期间的通报已经存在，请打开它继续编写。") from exc
    audit_record(actor=actor, action=AuditAction.CREATE, obj=bulletin,
                 detail={"kind": kind, "period_start": start.isoformat()})
    return bulletin


def _locked_draft(actor: User, public_id: object) -> Bulletin:
    bulletin = bulletin_get_for_user(actor, public_id, for_update=True)
    if _writer_scope(actor) != bulletin.center_id:
        raise PermissionDenied("只有通报的编写单位可以修改或印发它。")
    if bulletin.status != Status.DRAFT:
        raise Conflict("通报已印发，不能再修改。")
    return bulletin


@atomic_service
def bulletin_update(*, actor: User, public_id: object, problems: str, good_practice: str) -> Bulletin:
    bulletin = _locked_draft(actor, public_id)
    for value, name, label in ((problems, "problems", "发现的问题"), (good_practice, "good_practice", "好的做法")):
        if len(value.strip()) > MAX_TEXT:
            raise ValidationFailed(f"{label}不能超过{MAX_TEXT}字。", field=name)
    bulletin.problems, bulletin.good_practice = problems.strip(), good_practice.strip()
    bulletin.save(update_fields=["problems", "good_practice", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=bulletin, detail={"fields": ["problems",
                                                                                          "good_practice"]})
    return bulletin


def _prefix(bulletin: Bulletin) -> str:
    if bulletin.center is not None:
        return bulletin.center.doc_prefix
    city = Center.objects.filter(level=CenterLevel.CITY).first()
    return city.doc_prefix if city is not None else rules.CITY_PREFIX


def _take_number(prefix: str, year: int) -> int:
    """Gap-free per prefix and year: the counter row stays locked until the issuing transaction ends, and a
    rolled-back issue gives its number back (as cases.numbering does for case documents)."""
    counter = BulletinCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                BulletinCounter.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # a concurrent issue created it; lock theirs
        counter = BulletinCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@atomic_service
def bulletin_issue(*, actor: User, public_id: object) -> Bulletin:
    """Issue a draft: the text must be written, the figures and the excellent cases are frozen, the number taken."""
    bulletin = _locked_draft(actor, public_id)
    if not bulletin.problems.strip() and not bulletin.good_practice.strip():
        raise ValidationFailed("请先填写发现的问题或好的做法。", field="problems")
    scope = scope_of(bulletin)
    now = timezone.now()
    prefix = _prefix(bulletin)
    year = timezone.localtime(now).year
    bulletin.figures = figures.snapshot(scope)
    bulletin.excellent_cases = excellent_cases(scope, bulletin.kind)
    bulletin.number = rules.format_number(prefix, year, _take_number(prefix, year))
    bulletin.status, bulletin.issued_by, bulletin.issued_at = Status.ISSUED, actor, now
    bulletin.save(update_fields=["figures", "excellent_cases", "number", "status", "issued_by", "issued_at",
                                 "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=bulletin, detail={"issued": bulletin.number})
    return bulletin
