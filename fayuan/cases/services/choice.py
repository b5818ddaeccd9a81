"""点援制: the recipient chooses a provider from those the rotation would accept, within the center's window; after
the window the rotation assigns. Both are assignment rules, so they live here beside ``case_assign``.

Capacity and conflicts are enforced by ``case_assign`` under a provider row lock, so when two recipients choose the
last free place at once exactly one gets it; the other is asked to choose again (``CHOOSE_AGAIN``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service

from ..models import Assignment, AssignmentMethod, Case, ProviderPreference
from ..selectors import (
    CHOOSABLE_STATUSES,
    PREFERENCE_STATUSES,
    choice_window,
    client_choice_applies,
    provider_preference,
)
from .assignment import case_assign, rank_for_case
from .transitions import record_event

log = logging.getLogger(__name__)

CHOOSE_AGAIN = "该律师名额刚刚已满，请重新选择"


@atomic_service
def case_assign_by_client_choice(*, account: User, case: Case, provider_id: int) -> Assignment:
    """Assign the provider the recipient chose. ``case`` comes locked from the caller's scoped selector (the public
    site's ``portal_case_get(..., for_update=True)``: the applicant's scope is the site's own); ``case_assign`` then
    locks the provider row and re-checks capacity, conflicts and art. 26 with fresh counts."""
    if case.status not in CHOOSABLE_STATUSES:
        raise Conflict("本案当前不能选择律师（只有决定给予法律援助、尚未指派时可以选择）。")
    if case.assignments.filter(is_active=True).exists():
        raise Conflict("本案已经指派了律师。")
    window = choice_window(case)
    if window is None or not window.is_open(timezone.localdate()):
        raise Conflict("选择律师的期限已过，法律援助中心将按轮派为您指派律师。")
    ranked, refused = rank_for_case(case)
    if provider_id not in {r.candidate.provider_id for r in ranked}:
        if provider_id in refused:  # full (or newly conflicted) since the list was shown
            raise Conflict(CHOOSE_AGAIN, field="provider_id")
        raise ValidationFailed("请从列表中选择律师。", field="provider_id")
    try:
        assignment = case_assign(actor=None, case=case, provider_id=provider_id,
                                 method=AssignmentMethod.CLIENT_CHOICE)
    except Conflict:
        raise Conflict(CHOOSE_AGAIN, field="provider_id") from None
    record_event(actor=account, case=case, kind="client_chose_provider", payload={"provider": provider_id})
    audit_record(actor=account, action=AuditAction.CREATE, obj=assignment,
                 detail={"method": AssignmentMethod.CLIENT_CHOICE, "provider": provider_id})
    return assignment


@atomic_service
def case_prefer_provider(*, account: User, case: Case, provider_id: int) -> ProviderPreference:
    """Before the decision: record the provider the recipient wants (chosen among those the hard rules allow now).
    ``case`` comes locked from the caller's scoped selector. Granting aid assigns this provider if still possible
    (``honour_preference``); choosing again replaces the preference."""
    if case.status not in PREFERENCE_STATUSES:
        raise Conflict("本案已作出决定，请在选择期限内直接选择律师。")
    ranked, refused = rank_for_case(case)
    if provider_id not in {r.candidate.provider_id for r in ranked}:
        if provider_id in refused:
            raise Conflict(CHOOSE_AGAIN, field="provider_id")
        raise ValidationFailed("请从列表中选择律师。", field="provider_id")
    now = timezone.now()
    preference, created = ProviderPreference.objects.update_or_create(
        case=case, defaults={"provider_id": provider_id, "chosen_by": account, "chosen_at": now})
    record_event(actor=account, case=case, kind="client_preferred_provider", at=now, payload={"provider": provider_id})
    audit_record(actor=account, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=preference,
                 detail={"fields": ["provider"]})
    return preference


def honour_preference(*, case_id: int) -> Assignment | None:
    """After a grant: assign the provider the recipient chose ahead, if the hard rules still allow it (capacity,
    conflicts, art. 26 are re-checked under the provider lock). Otherwise the recipient is told to choose again in
    the window; nothing is lost either way. Its own transaction: the grant has committed whatever happens here."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.status not in CHOOSABLE_STATUSES or case.assignments.filter(is_active=True).exists():
            return None
        preference = provider_preference(case)
        if preference is None:
            return None
        try:
            with transaction.atomic():
                assignment = case_assign(actor=None, case=case, provider_id=preference.provider_id,
                                         method=AssignmentMethod.CLIENT_CHOICE)
        except Conflict as exc:
            record_event(actor=None, case=case, kind="client_choice_unavailable",
                         note=f"受援人预先选择的律师现在不能承办（{exc.message}），请在期限内重新选择。",
                         payload={"provider": preference.provider_id})
            return None
        record_event(actor=None, case=case, kind="client_choice_honoured", payload={"provider": preference.provider_id})
        return assignment


def _cases_past_window(on: dt.date) -> list[int]:
    """Granted, unassigned cases whose recipient could choose online and whose window ended before ``on``."""
    candidates = (Case.objects.filter(status__in=CHOOSABLE_STATUSES)
                  .exclude(assignments__is_active=True).select_related("applicant", "agent").order_by("pk"))
    due: list[int] = []
    for case in candidates:
        if not client_choice_applies(case):
            continue
        window = choice_window(case)
        if window is not None and window.due_on < on:
            due.append(case.pk)
    return due


def client_choice_expire(*, on: dt.date) -> dict[str, int]:
    """Daily job: the rotation assigns every case whose choice window has passed without a choice.

    Each case is its own transaction, so one case without a free provider does not hold up the others; it stays
    granted and the center's assignment deadline (art. 43) keeps showing it in the queue."""
    assigned = failed = 0
    for case_id in _cases_past_window(on):
        try:
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=case_id)
                if case.status not in CHOOSABLE_STATUSES or case.assignments.filter(is_active=True).exists():
                    continue
                if honour_preference(case_id=case.pk) is not None:  # the grant's after-commit step never ran
                    assigned += 1
                    continue
                case_assign(actor=None, case=case)
                record_event(actor=None, case=case, kind="client_choice_lapsed",
                             note="受援人未在期限内选择律师，按轮派指派。")
            assigned += 1
        except Conflict as exc:
            failed += 1
            log.warning("client choice lapsed but no provider could be assigned (case %s): %s", case_id,
                        exc.message)
    return {"assigned": assigned, "no_provider": failed}
