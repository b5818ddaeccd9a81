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
from fayuan.deadlines import events as deadline_events
from fayuan.deadlines.models import Deadline
from fayuan.deadlines.selectors import deadline_open_started_by
from fayuan.org.models import Organ, OrganKind

from .coverage import coverage_rate
from .grounds import NoticeKind, NoticeRoute, NoticeStage
from .models import CourtTrialReturn, Notice

THREE_DAYS = dt.timedelta(days=3)  # Legal Aid Law art. 36: assign within three days of the notice
RELATED = ("organ", "person", "case", "case__provider", "case__provider__firm", "center", "custody_place",
           "duty_lawyer", "duty_station", "duty_assigned_lawyer")


def notices_visible_to(user: User) -> QuerySet[Notice]:
    qs = Notice.objects.select_related(*RELATED)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.ORGAN_LIAISON and user.organ_id:
        return qs.filter(organ_id=user.organ_id)
    if role in CENTER_ROLES and user.center_id:
        return qs.filter(center_id=user.center_id)
    if role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(center__district_id=user.district_id)
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
    if notice.case is None:
        return ""
    prefetched = getattr(notice.case, "organ_letters", None)
    if prefetched is not None:
        return prefetched[0].number if prefetched else ""
    doc = notice.case.documents.filter(kind=DocumentKind.ORGAN_LETTER).order_by("-created_at", "-id").first()
    return doc.number if doc else ""


def assignment_deadline(notice: Notice) -> Deadline | None:
    """The open three-day assignment clock (art. 36) of the notice's case, if it still runs."""
    if notice.case is None:
        return None
    return deadline_open_started_by(notice.case, deadline_events.NOTICE_RECEIVED)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, local time."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(first, dt.time.min, tzinfo=tz), dt.datetime.combine(following, dt.time.min, tzinfo=tz)


def notices_filtered(user: User, *, organ: str = "", stage: str = "", late: bool = False,
                     month: dt.date | None = None, route: str = "", waiting: bool = False,
                     kind: str = "") -> QuerySet[Notice]:
    """The scoped list narrowed by the reports' figures (organ, stage, late, month, route, kind): codes and ids, no
    personal data. ``waiting``: routed to the duty station and no duty lawyer recorded yet."""
    qs = notices_visible_to(user)
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    if route:
        qs = qs.filter(route=route)
    if waiting:
        qs = qs.filter(route=NoticeRoute.DUTY, duty_lawyer__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
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
    to_duty: int = 0
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
    three days; notices routed to a duty station are counted apart, they wait for no assignment). One query over the
    scoped notices."""
    rows = (notices_visible_to(user).select_related(None).order_by()
            .annotate(first_assigned=Min("case__assignments__assigned_at"))
            .values_list("organ_id", "organ__name", "organ__kind", "stage", "late", "received_at", "first_assigned",
                         "route"))
    figures: dict[int, OrganFigures] = {}
    for organ_id, name, kind, stage, late, received_at, first_assigned, route in rows:
        f = figures.setdefault(organ_id, OrganFigures(organ_id, name, kind))
        f.total += 1
        f.to_duty += route == NoticeRoute.DUTY
        f.by_stage[stage] = f.by_stage.get(stage, 0) + 1
        f.late += bool(late)
        if first_assigned is not None:
            f.assigned += 1
            hours = (first_assigned - received_at).total_seconds() / 3600
            f.hours_to_assign.append(hours)
            f.within_3_days += timezone.localdate(first_assigned) <= timezone.localdate(received_at) + THREE_DAYS
    return sorted(figures.values(), key=lambda f: (f.kind, f.organ))


def courts_visible_to(user: User) -> QuerySet[Organ]:
    """The courts whose monthly figures a user reads: a court's liaison its own court, a center the courts that
    notify it, a district bureau those of its center, the city bureau all."""
    qs = Organ.objects.filter(kind=OrganKind.COURT).select_related("district", "center")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ORGAN_LIAISON:
        return qs.filter(pk=user.organ_id or 0)
    if user.role in CENTER_ROLES:
        return qs.filter(center_id=user.center_id or 0)
    if user.role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(center__district_id=user.district_id)
    return qs.none()


@dataclass
class CoverageRow:
    """One court's month: the return it (or its center) entered and the defense notices it sent that month."""

    organ: Organ
    month: dt.date
    tried: int | None  # None: no return entered for the month
    own_counsel: int
    notices: int
    to_duty: int
    entered: CourtTrialReturn | None

    @property
    def rate(self) -> float | None:
        return None if self.tried is None else coverage_rate(tried=self.tried, own_counsel=self.own_counsel,
                                                             notices=self.notices)


def coverage_report(user: User, month: dt.date) -> list[CoverageRow]:
    """Full defense coverage per court for a month: (defendants with their own counsel + the court's defense
    notices of the month, to a lawyer or to the duty station) ÷ defendants tried. Three queries."""
    courts = list(courts_visible_to(user).order_by("district__sort_order", "name"))
    first = month.replace(day=1)
    returns = {r.organ_id: r for r in CourtTrialReturn.objects.filter(organ__in=courts, month=first)
               .select_related("entered_by")}
    start, end = month_bounds(first)
    counts: dict[int, list[int]] = {}
    for organ_id, route in (Notice.objects.filter(organ__in=courts, kind=NoticeKind.DEFENSE, received_at__gte=start,
                                                  received_at__lt=end).values_list("organ_id", "route")):
        pair = counts.setdefault(organ_id, [0, 0])
        pair[0] += 1
        pair[1] += route == NoticeRoute.DUTY
    rows = []
    for court in courts:
        entered = returns.get(court.pk)
        notices, to_duty = counts.get(court.pk, [0, 0])
        rows.append(CoverageRow(court, first, entered.defendants_tried if entered else None,
                                entered.with_own_counsel if entered else 0, notices, to_duty, entered))
    return rows


def notice_links_for_case(case: Any, user: User) -> list[tuple[str, str]]:
    """The case page's link to the notice that opened the case (registered in ``cases.origins``)."""
    from django.urls import reverse

    if case.channel != "organ_notice":
        return []
    notice = notices_visible_to(user).filter(case=case).first()
    if notice is None:
        return []
    return [(f"{notice.organ.name}的{notice.get_kind_display()}", reverse("criminal:notice", args=[notice.public_id]))]
