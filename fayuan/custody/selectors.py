"""Scoped reads of the custody app. An organ sees its own records, a duty lawyer the forwardings they recorded, a
center the forwardings sent to it, a district bureau those of the center it set up, the city bureau all. Anyone
else, and any record outside the scope, is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Status
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.org.models import Organ, OrganKind

from .models import EVIDENCED_METHODS, Forwarding, NotificationOccasion, RightsNotification


def forwardings_visible_to(user: User) -> QuerySet[Forwarding]:
    qs = Forwarding.objects.select_related("organ", "provider", "center", "case", "case__applicant")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ORGAN_LIAISON and user.organ_id:
        return qs.filter(organ_id=user.organ_id)
    if user.role == Role.DUTY_LAWYER and user.provider_id:
        return qs.filter(provider_id=user.provider_id)
    if user.role in CENTER_ROLES and user.center_id:
        return qs.filter(center_id=user.center_id)
    if user.role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(center__district_id=user.district_id)
    return qs.none()


def forwarding_get_for_user(user: User, public_id: Any, *, for_update: bool = False) -> Forwarding:
    qs = forwardings_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        found = qs.filter(public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):  # a malformed UUID is "not found", not a 500
        found = None
    if found is None:
        raise NotFoundOrForbidden("未找到该转交记录，或您无权查看。")
    return found


def breach_filter(now: dt.datetime) -> Q:
    """Late (forwarded after the 24 hours ran out) or overdue (still not forwarded when they ran out). An
    application withdrawn before forwarding is no breach; a receipt with no rule in force has no clock."""
    late = Q(forwarded_at__isnull=False, forwarded_at__gt=F("due_at"))
    overdue = Q(forwarded_at__isnull=True, due_at__lt=now) & ~Q(case__status=Status.WITHDRAWN)
    return Q(due_at__isnull=False) & (late | overdue)


def forwarding_state(forwarding: Forwarding, now: dt.datetime) -> str:
    """One word for the list: 按时转交 / 超时转交 / 待转交 / 已超时未转交."""
    if forwarding.forwarded_at is not None:
        late = forwarding.due_at is not None and forwarding.forwarded_at > forwarding.due_at
        return "超时转交" if late else "按时转交"
    if forwarding.case.status == Status.WITHDRAWN:
        return "已撤回"
    if forwarding.due_at is not None and forwarding.due_at < now:
        return "已超时未转交"
    return "待转交"


@dataclass
class BreachRow:
    body: str
    organ_id: int | None
    provider_id: int | None
    late: int
    overdue: int

    @property
    def total(self) -> int:
        return self.late + self.overdue


def forwarding_breaches(user: User, *, now: dt.datetime | None = None) -> list[BreachRow]:
    """Breaches of the 24 hours per forwarding body (an organ, or a duty lawyer), within the user's scope."""
    now = now or timezone.now()
    rows = (forwardings_visible_to(user).filter(breach_filter(now))
            .values("organ_id", "organ__name", "provider_id", "provider__name")
            .annotate(late=Count("id", filter=Q(forwarded_at__isnull=False)),
                      overdue=Count("id", filter=Q(forwarded_at__isnull=True)))
            .order_by("organ__name", "provider__name"))
    return [BreachRow(body=r["organ__name"] or f"值班律师 {r['provider__name']}", organ_id=r["organ_id"],
                      provider_id=r["provider_id"], late=r["late"], overdue=r["overdue"]) for r in rows]


def notifications_visible_to(user: User) -> QuerySet[RightsNotification]:
    """The police organ its own; the bureau its district's; a center those linked to one of its cases (it reaches
    them from the case page)."""
    qs = RightsNotification.objects.select_related("organ")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ORGAN_LIAISON and user.organ_id:
        return qs.filter(organ_id=user.organ_id)
    if user.role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(organ__district_id=user.district_id)
    if user.role in CENTER_ROLES and user.center_id:
        return qs.filter(case__center_id=user.center_id)
    return qs.none()


def notification_get_for_user(user: User, public_id: Any) -> RightsNotification:
    try:
        found = (notifications_visible_to(user).select_related("case", "recorded_by")
                 .filter(public_id=public_id).first())
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise NotFoundOrForbidden("未找到该告知记录，或您无权查看。")
    return found


def notification_links_for_case(case: Any, user: User) -> list[tuple[str, str]]:
    """The case page's links to the rights notifications that preceded the case (``cases.origins``)."""
    from django.urls import reverse

    if case.case_type != "criminal":
        return []
    rows = notifications_visible_to(user).filter(case=case).order_by("notified_at", "id")
    return [(f"权利告知登记（{timezone.localtime(n.notified_at):%Y-%m-%d} {n.organ.name}）",
             reverse("custody:notification", args=[n.public_id])) for n in rows]


@dataclass
class CoverageRow:
    """Per police organ. ``suspects``: distinct (organ case number, suspect name) pairs entered; ``cases``:
    distinct organ case numbers; ``evidenced``: suspects with at least one notification in writing or signed;
    ``at_interrogation``: suspects told at the first interrogation; ``applied``: suspects who applied."""

    organ: Organ
    notifications: int = 0
    cases: int = 0
    suspects: int = 0
    evidenced: int = 0
    at_interrogation: int = 0
    applied: int = 0
    _seen: dict[str, set[tuple[str, str]]] = field(default_factory=dict, repr=False)

    @property
    def coverage(self) -> str:
        """Evidenced suspects as a share of the suspects entered (one decimal), or "—" when none was entered."""
        return f"{self.evidenced * 100 / self.suspects:.1f}%" if self.suspects else "—"


def notification_coverage(user: User, *, since: dt.date | None = None,
                          until: dt.date | None = None) -> list[CoverageRow]:
    """Coverage per police organ in the user's scope (every police organ in scope is listed, also with none)."""
    qs = notifications_visible_to(user)
    if since is not None:
        qs = qs.filter(notified_at__date__gte=since)
    if until is not None:
        qs = qs.filter(notified_at__date__lte=until)
    organs = Organ.objects.filter(kind=OrganKind.POLICE)
    if user.role == Role.ORGAN_LIAISON:
        organs = organs.filter(pk=user.organ_id or 0)
    elif user.role == Role.BUREAU_SUPERVISOR and user.district_id is not None:
        organs = organs.filter(district_id=user.district_id)
    elif user.role != Role.BUREAU_SUPERVISOR:
        organs = organs.none()
    rows = {o.pk: CoverageRow(organ=o) for o in organs}
    for organ_id, number, name, occasion, method, applied in qs.values_list(
            "organ_id", "organ_case_number", "suspect_name", "occasion", "method", "applied"):
        row = rows.get(organ_id)
        if row is None:
            continue
        row.notifications += 1
        suspect = (number, name)
        for key, hit in (("suspects", True), ("cases", True), ("evidenced", method in EVIDENCED_METHODS),
                         ("at_interrogation", occasion == NotificationOccasion.FIRST_INTERROGATION),
                         ("applied", applied)):
            if hit:
                row._seen.setdefault(key, set()).add((number, "") if key == "cases" else suspect)
    for row in rows.values():
        for key in ("suspects", "cases", "evidenced", "at_interrogation", "applied"):
            setattr(row, key, len(row._seen.get(key, ())))
    return list(rows.values())


def forwarding_links_for_case(case: Any, user: User) -> list[tuple[str, str]]:
    """The case page's link to the forwarding from custody that brought the application (``cases.origins``)."""
    from django.urls import reverse

    if case.channel != "custody":
        return []
    forwarding = forwardings_visible_to(user).filter(case=case).first()
    if forwarding is None:
        return []
    return [("在押人员申请转交记录", reverse("custody:forwarding", args=[forwarding.public_id]))]
