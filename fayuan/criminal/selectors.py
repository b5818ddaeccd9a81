"""Scoped reads of notices: an organ's liaison sees its own organ's notices; a center's staff those of their center
(through the case); a bureau those of the centers it supervises. Anything else is a 404."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Document, DocumentKind
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction

from .grounds import NoticeStage
from .models import Notice

THREE_DAYS = dt.timedelta(days=3)  # Legal Aid Law art. 36: assign within three days of the notice
RELATED = ("organ", "person", "case", "case__provider", "case__provider__firm", "case__center", "custody_place")


def notices_visible_to(user: User) -> QuerySet[Notice]:
    qs = Notice.objects.select_related(*RELATED)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.ORGAN_LIAISON and user.organ_id:
        return qs.filter(organ_id=user.organ_id)
    if role in CENTER_ROLES and user.center_id:
        return qs.filter(case__center_id=user.center_id)
    if role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(case__center__district_id=user.district_id)
    return qs.none()


def notice_get_for_user(user: User, public_id: Any, *, audit: bool = True) -> Notice:
    """One notice, or 404. Opening it is an audited read of personal data (the person's name, the charge)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    notice = notices_visible_to(user).filter(public_id=key).first()
    if notice is None:
        raise NotFoundOrForbidden()
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=notice)
    return notice


def with_letters(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    """The organ letters of each notice's case in one more query (a list answers with their numbers)."""
    letters = Document.objects.filter(kind=DocumentKind.ORGAN_LETTER).order_by("-created_at", "-id")
    return qs.prefetch_related(Prefetch("case__documents", queryset=letters, to_attr="organ_letters"))


def letter_number(notice: Notice) -> str:
    """The number of the latest letter to the organ (issued at each assignment), or ''."""
    prefetched = getattr(notice.case, "organ_letters", None)
    if prefetched is not None:
        return prefetched[0].number if prefetched else ""
    doc = notice.case.documents.filter(kind=DocumentKind.ORGAN_LETTER).order_by("-created_at", "-id").first()
    return doc.number if doc else ""


def notices_filtered(user: User, *, organ: str = "", stage: str = "", late: bool = False) -> QuerySet[Notice]:
    """The scoped list narrowed by the report's figures (organ, stage, late): codes and ids, no personal data."""
    qs = notices_visible_to(user)
    if organ.isdigit():
        qs = qs.filter(organ_id=int(organ))
    if stage:
        qs = qs.filter(stage=stage)
    if late:
        qs = qs.filter(late=True)
    return qs


@dataclass
class OrganFigures:
    organ_id: int
    organ: str
    kind: str
    by_stage: dict[str, int] = field(default_factory=dict)
    total: int = 0
    late: int = 0
    assigned: int = 0
    within_3_days: int = 0
    hours_to_assign: list[float] = field(default_factory=list)

    @property
    def stage_counts(self) -> list[tuple[str, int]]:
        return [(code, self.by_stage.get(code, 0)) for code in NoticeStage.values]

    @property
    def average_days(self) -> float | None:
        hours = self.hours_to_assign
        return round(sum(hours) / len(hours) / 24, 1) if hours else None


def notice_report(user: User) -> list[OrganFigures]:
    """Per organ: notices by stage, late notices, and the time from the notice to the first assignment (art. 36:
    three days). One query over the scoped notices."""
    rows = (notices_visible_to(user).select_related(None).order_by()
            .annotate(first_assigned=Min("case__assignments__assigned_at"))
            .values_list("organ_id", "organ__name", "organ__kind", "stage", "late", "received_at", "first_assigned"))
    figures: dict[int, OrganFigures] = {}
    for organ_id, name, kind, stage, late, received_at, first_assigned in rows:
        f = figures.setdefault(organ_id, OrganFigures(organ_id, name, kind))
        f.total += 1
        f.by_stage[stage] = f.by_stage.get(stage, 0) + 1
        f.late += bool(late)
        if first_assigned is not None:
            f.assigned += 1
            hours = (first_assigned - received_at).total_seconds() / 3600
            f.hours_to_assign.append(hours)
            f.within_3_days += timezone.localdate(first_assigned) <= timezone.localdate(received_at) + THREE_DAYS
    return sorted(figures.values(), key=lambda f: (f.kind, f.organ))
