"""Scoped reads of complaints, the repeated-complaint flag and what a provider may see.

Who sees which complaints:
- center reviewer and director: those about their center's cases;
- bureau supervisor: the city bureau all, a district bureau those of the center it set up;
- provider and duty lawyer: the complaints about themselves once the handler has told them the points to answer,
  and then only ``ProviderView``: never the complainant's name, relation, contact, channel or own words;
- applicant: the complaints they submitted online (the portal shows them on the case page);
- everyone else: none. Anything outside the scope is a 404.

Why the provider sees so little (decided here, issue 12): the law gives the recipient the right to complain
(art. 55) and the bureau the duty to investigate and answer the complainant (art. 56); it gives the provider no
right to the complainant's identity, and binds the center to keep what it learns confidential (art. 21). The
provider needs to know what is alleged, about which case, to answer it, and what was decided: the handler writes
those points for them. The recipient's name is on the case they hold anyway; who of the family complained, their
phone and their own words are not needed for an answer and are withheld (PIPL minimisation; no room for
pressure on the complainant)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, PROVIDER_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden

from .models import Complaint, Outcome, RepeatRule, Status

# Record complaints on a caller's behalf (the center's counter and the bureau's 12348 line both take them).
COMPLAINT_RECORDERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
COMPLAINT_READERS = COMPLAINT_RECORDERS | PROVIDER_ROLES
# Who sees the repeated-complaint flag beside a provider (those who assign and supervise).
FLAG_READERS = COMPLAINT_RECORDERS


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return Q(center_id=user.center_id)
    if user.role == Role.BUREAU_SUPERVISOR:
        return Q() if user.district_id is None else Q(center__district_id=user.district_id)
    if user.role in PROVIDER_ROLES and user.provider_id:
        return Q(provider_id=user.provider_id, provider_notified_at__isnull=False)
    if user.role == Role.APPLICANT:
        return Q(complainant_account=user)
    return None


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    scope = _scope(user)
    if scope is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(scope)


def complaint_list_for_user(user: User, *, status: str = "") -> QuerySet[Complaint]:
    qs = complaints_visible_to(user).select_related("case", "center", "provider")
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs


def complaint_get_for_user(user: User, public_id: Any, *, for_update: bool = False) -> Complaint:
    import uuid

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden("未找到该投诉，或您无权查看。") from None
    qs = complaints_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    complaint = qs.select_related("case", "center", "provider", "change_request").filter(public_id=key).first()
    if complaint is None:
        raise NotFoundOrForbidden("未找到该投诉，或您无权查看。")
    return complaint


def sees_complainant(user: User) -> bool:
    """Staff handling complaints see who complained; providers never do (see the module's note)."""
    return user.role in COMPLAINT_RECORDERS


@dataclass(frozen=True)
class ProviderView:
    """Everything a provider is shown of a complaint about them."""

    public_id: Any
    reference: str
    case_number: str
    category: str
    received_on: dt.date
    points: str
    response: str
    status: str
    outcome: str
    findings: str
    measures: list[str]


def provider_view(complaint: Complaint) -> ProviderView:
    from django.utils import timezone

    return ProviderView(
        public_id=complaint.public_id, reference=complaint.reference, case_number=complaint.case.number,
        category=complaint.get_category_display(), received_on=timezone.localdate(complaint.received_at),
        points=complaint.points_for_provider, response=complaint.provider_response,
        status=complaint.get_status_display(),
        outcome=complaint.get_outcome_display() if complaint.outcome else "",
        findings=complaint.findings if complaint.outcome else "", measures=complaint.measure_labels)


# --- Repeated complaints -----------------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has fewer days)."""
    import calendar

    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def repeat_rule_on(day: dt.date) -> RepeatRule | None:
    return RepeatRule.objects.in_force_on(day).order_by("-effective_from").first()


def counting_complaints(rule: RepeatRule, on: dt.date) -> QuerySet[Complaint]:
    """Complaints that count towards the flag on ``on``: received in the rule's window (the day itself and the
    ``window_months`` months before), still being handled or found (partly) substantiated."""
    since = months_before(on, rule.window_months)
    return Complaint.objects.filter(
        received_at__date__gt=since, received_at__date__lte=on).filter(
        Q(status=Status.RECEIVED) | Q(outcome__in=[Outcome.SUBSTANTIATED, Outcome.PARTLY]))


@dataclass(frozen=True)
class Flag:
    provider_id: int
    count: int
    rule: RepeatRule

    @property
    def text(self) -> str:
        return (f"重复投诉提示：近{self.rule.window_months}个月内有{self.count}件尚在处理或经查成立的投诉"
                f"（提示标准：{self.rule.threshold}件）")


def repeat_flags(provider_ids: Any, on: dt.date) -> dict[int, Flag]:
    """The flagged providers among ``provider_ids`` (None: every provider) on ``on``, by the rule in force."""
    rule = repeat_rule_on(on)
    if rule is None:
        return {}
    qs = counting_complaints(rule, on)
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=list(provider_ids))
    rows = qs.values("provider_id").annotate(n=Count("id")).filter(n__gte=rule.threshold)
    return {r["provider_id"]: Flag(r["provider_id"], r["n"], rule) for r in rows}
