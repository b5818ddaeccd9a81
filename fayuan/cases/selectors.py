"""Scoped reads of cases. Every view and endpoint that shows a case starts here.

Who sees which cases:
- bureau supervisor: all;
- center reviewer and director: cases of their center;
- station clerk: cases their station received;
- provider and duty lawyer: the cases they hold the active assignment of (closing does not end an assignment, so
  the provider who handled a case to the end keeps it; declined, replaced and terminated ones end it). Which
  fields of those they see is ``policy.case_fields_for``;
- applicant: cases where they are the applicant or the agent;
- organ liaison, system administrator, auditor: none (organ notices arrive with the criminal-aid issue).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, PROVIDER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction
from fayuan.deadlines.selectors import deadlines_open_for_subject
from fayuan.org.models import Center
from fayuan.people.selectors import as_registered_at

from .models import (
    DEFAULT_CHOICE_WINDOW_DAYS,
    MAX_CHOICE_WINDOW_DAYS,
    Case,
    CaseEvent,
    CaseFile,
    Channel,
    ClientChoiceSettings,
    ClosingFile,
    Objection,
    ProgressEntry,
    ProviderChangeRequest,
    ProviderPreference,
    Status,
    SupplementRequest,
    Termination,
)


def cases_visible_to(user: User) -> QuerySet[Case]:
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.BUREAU_SUPERVISOR:
        # The city bureau supervises every center; a district bureau the center it set up (art. 49), no other.
        return qs if user.district_id is None else qs.filter(center__district_id=user.district_id)
    if role in CENTER_ROLES and user.center_id:
        return qs.filter(center_id=user.center_id)
    if role == Role.STATION_CLERK and user.station_id:
        return qs.filter(receiving_station_id=user.station_id)
    if role in PROVIDER_ROLES and user.provider_id:
        # One filter call: both conditions on the same assignment row (at most one is active per case).
        return qs.filter(assignments__provider_id=user.provider_id, assignments__is_active=True)
    if role == Role.APPLICANT:
        # Their own person record (once staff linked it), and whatever they submitted online themselves.
        return qs.filter(Q(applicant__account=user) | Q(agent__account=user) | Q(portal_submission__account=user))
    return qs.none()


def case_list_for_user(user: User, *, status: str = "", query: str = "") -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("applicant", "center", "provider", "receiving_station")
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(applicant__name__icontains=query)
                       | Q(matter_summary__icontains=query))
    return qs


# The case's records that most cases never get (an objection, a termination, a closing file, ...), by the name of
# their list on the case page.
SELDOM_RECORDS = {"closing_files": ClosingFile, "objections": Objection, "supplement": SupplementRequest,
                  "files": CaseFile, "progress": ProgressEntry, "terminations": Termination}


def case_records_present(case: Case) -> frozenset[str]:
    """Which of ``SELDOM_RECORDS`` the case (already read through ``case_get_for_user``) has, in one statement: the
    case page then reads only those. A list query costs ~2 ms of ORM work even when it finds nothing, and the page
    is opened for every action."""
    probes = {f"has_{name}": Exists(model._default_manager.filter(case_id=OuterRef("pk")))  # prefixed: the names
              for name, model in SELDOM_RECORDS.items()}  # are the case's own relations
    row = Case.objects.filter(pk=case.pk).values(**probes).first() or {}
    return frozenset(name for name in SELDOM_RECORDS if row.get(f"has_{name}"))


def case_get_for_user(user: User, public_id: Any, *, audit: bool = True, for_update: bool = False) -> Case:
    """One case, or 404. Opening a case's details is an audited read of personal data."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    qs = cases_visible_to(user)
    if for_update:
        # Lock only the case row; the scope filter may join other tables.
        ids = list(qs.filter(public_id=key).values_list("pk", flat=True)[:1])
        case = Case.objects.select_for_update().filter(pk__in=ids).first() if ids else None
    else:
        case = qs.select_related("applicant", "agent", "center", "provider", "receiving_station").filter(
            public_id=key).first()
    if case is None:
        raise NotFoundOrForbidden()
    if not for_update:  # the applicant as the case's center registered them, not as another center did
        as_registered_at(case.applicant, case.center_id)
        as_registered_at(case.agent, case.center_id)
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=case)
    return case


# --- The recipient's choice of provider (点援制) ------------------------------------------------------------------

# Events that open (or reopen) the window in which the recipient may choose.
GRANTING_EVENTS = frozenset({"grant", "provide_aid_first", "overturn_refusal", "overturn_termination"})
CHOOSABLE_STATUSES = frozenset({Status.GRANTED, Status.AID_FIRST})
# Before the decision the recipient may already choose (art. 43 leaves no time after it): a preference.
PREFERENCE_STATUSES = frozenset({Status.AT_STATION, Status.RECEIVED, Status.UNDER_REVIEW, Status.SUPPLEMENT_REQUESTED})
# The clock event that the assignment deadline (art. 43: 3 days after the decision) stops on.
ASSIGNMENT_CLOCK_STOP = "provider_assigned"


def choice_window_days(center: Center | int) -> int:
    center_id = center if isinstance(center, int) else center.pk
    days = ClientChoiceSettings.objects.filter(center_id=center_id).values_list("choice_window_days", flat=True)
    return min(next(iter(days), DEFAULT_CHOICE_WINDOW_DAYS), MAX_CHOICE_WINDOW_DAYS)


@dataclass(frozen=True)
class ChoiceWindow:
    granted_at: dt.datetime
    days: int
    due_on: dt.date
    assignment_due_on: dt.date | None = None  # the statutory deadline the window must leave room for

    def is_open(self, today: dt.date) -> bool:
        return today <= self.due_on


def client_choice_applies(case: Case) -> bool:
    """The recipient can choose online only when somebody can sign in for the case: an applicant or agent with an
    account, or an application made online (its submitter follows it)."""
    if case.applicant.account_id or (case.agent is not None and case.agent.account_id):
        return True
    return case.channel == Channel.ONLINE


def assignment_due_on(case: Case) -> dt.date | None:
    """The due date of the open assignment deadline (art. 43, or the green channel's shorter one), if one runs."""
    due = [d.due_on for d in deadlines_open_for_subject(case).select_related("rule")
           if ASSIGNMENT_CLOCK_STOP in (d.rule.stop_events or [])]
    return min(due, default=None)


def choice_window(case: Case) -> ChoiceWindow | None:
    """The window opened by the latest grant (or aid first, or an objection upheld in the applicant's favour). It
    ends after the center's days, and in any case the day before the assignment deadline (art. 43), so the
    rotation can assign in time: a case waiting for a choice is never overdue while the law is kept."""
    granted = (CaseEvent.objects.filter(case=case, kind__in=GRANTING_EVENTS).order_by("-at", "-id")
               .values_list("at", flat=True).first())
    if granted is None:
        return None
    days = choice_window_days(case.center_id)
    granted_on = timezone.localdate(granted)
    due_on = granted_on + dt.timedelta(days=days)
    statutory = assignment_due_on(case)
    if statutory is not None:
        due_on = max(granted_on, min(due_on, statutory - dt.timedelta(days=1)))
    return ChoiceWindow(granted, days, due_on, statutory)


def provider_preference(case: Case) -> ProviderPreference | None:
    return ProviderPreference.objects.filter(case=case).select_related("provider").first()


_UNSET: Any = object()


def can_choose(case: Case, today: dt.date | None = None, *, window: ChoiceWindow | None = _UNSET) -> bool:
    """Whether the recipient may choose now: ahead of the decision (a preference), or in the window after it.
    A page that already holds ``choice_window(case)`` passes it in, so the window's queries run once."""
    if case.status in PREFERENCE_STATUSES:
        return True
    if case.status not in CHOOSABLE_STATUSES or case.assignments.filter(is_active=True).exists():
        return False
    if window is _UNSET:
        window = choice_window(case)
    return window is not None and window.is_open(today or timezone.localdate())


def change_requests_open(center: Center) -> QuerySet[ProviderChangeRequest]:
    return ProviderChangeRequest.objects.filter(case__center=center, handled_at__isnull=True).select_related(
        "case", "provider")
