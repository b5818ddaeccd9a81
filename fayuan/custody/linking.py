"""A rights notification meets the later case of the same person (issue 11 follow-up): the police told a suspect
of the right to apply; when a criminal legal aid case of that person arrives (an organ's notice, a forwarded
application, an application at the center), both records show each other. Matched by the person record only: the
notification's ID number (its keyed hash) against the person's, or the person already linked. A name alone is never
enough (namesakes); a notification recorded without an ID number stays unlinked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from fayuan.cases.models import Case
from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.eligibility.models import CaseType
from fayuan.people.models import Person

from .models import RightsNotification


def person_for_hash(id_number_hash: str) -> Person | None:
    """The person record with this ID number, if the people app has one (never registered from here)."""
    return Person.objects.filter(id_number_hash=id_number_hash).first() if id_number_hash else None


def later_case(person: Person, notified_at: dt.datetime) -> Case | None:
    """The person's first criminal case received at or after the notification (the case it led to)."""
    return (Case.objects.filter(Q(applicant=person), case_type=CaseType.CRIMINAL, received_at__gte=notified_at)
            .order_by("received_at", "id").first())


def notifications_link_case(*, actor: Any, case: Case) -> int:
    """Link the unlinked notifications of the case's applicant told before the case arrived; audited per row."""
    if case.case_type != CaseType.CRIMINAL or case.applicant_id is None:
        return 0
    person = case.applicant
    match = Q(person_id=person.pk)
    if person.id_number_hash:
        match |= Q(id_number_hash=person.id_number_hash)
    rows = list(RightsNotification.objects.select_for_update()
                .filter(match, case__isnull=True, notified_at__lte=case.received_at))
    for row in rows:
        row.case, row.person = case, person
        row.save(update_fields=["case", "person"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=row,
                     detail={"fields": ["case", "person"], "operation": "link_later_case"})
    return len(rows)
