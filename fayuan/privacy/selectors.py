"""Scoped reads for the privacy duties: who may export or see the access report of which person, and the report.

- Export: the intake roles (station clerk, center reviewer and director) for the people in their scope
  (``people.selectors``), who answer a person's request at the counter; anyone else, or a person out of scope: 404.
- Access report: the same staff for the people in their scope, and the auditor for anyone (the audit log is the
  auditor's remit; the auditor sees the person's public id, never their name).
A center sees only the entries about what it holds: its own cases and registration, and reads of the person record
by its own staff, the bureau and the system; that another center read the person is not its business (the same
oracle as issue 9 item 4 would open otherwise).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import PERSON_WRITER_ROLES, Role
from fayuan.cases.models import Case, CaseFile, Document
from fayuan.cases.selectors import cases_visible_to
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditEntry
from fayuan.people.models import Person, PersonRegistration
from fayuan.people.selectors import person_get_for_user

EXPORT_ROLES = frozenset(PERSON_WRITER_ROLES)
REPORT_ROLES = EXPORT_ROLES | {Role.AUDITOR}


def person_for_privacy(user: User, public_id: Any, *, roles: frozenset[str]) -> Person:
    """The person a privacy page is about, or 404 (wrong role, out of scope, unknown). Not audited here: each
    caller audits its own action."""
    if user.role not in roles:
        raise NotFoundOrForbidden()
    if user.role == Role.AUDITOR:
        try:
            key = uuid.UUID(str(public_id))
        except ValueError:
            raise NotFoundOrForbidden() from None
        person = Person.objects.filter(public_id=key).first()
        if person is None:
            raise NotFoundOrForbidden()
        return person
    return person_get_for_user(user, public_id, audit=False)


def person_by_row_id(user: User, row_id: int | None) -> Person:
    """For the auditor, who sees row ids in the audit log: the person behind ``people.person:<id>``, or 404."""
    if user.role != Role.AUDITOR or row_id is None:
        raise NotFoundOrForbidden()
    person = Person.objects.filter(pk=row_id).first()
    if person is None:
        raise NotFoundOrForbidden()
    return person


def person_cases(user: User, person: Person) -> QuerySet[Case]:
    """The person's cases (as applicant or agent) that ``user`` may see; all of them for the auditor."""
    base = Case.objects.all() if user.role == Role.AUDITOR else cases_visible_to(user)
    return base.filter(Q(applicant=person) | Q(agent=person)).order_by("received_at", "id")


def _ids(qs: QuerySet[Any]) -> list[str]:
    return [str(pk) for pk in qs.values_list("pk", flat=True)]


def access_report(user: User, person: Person) -> QuerySet[AuditEntry]:
    """Audit entries about the person's record, registrations, cases, their files and documents, newest first."""
    case_ids = list(person_cases(user, person).values_list("pk", flat=True))
    registrations = PersonRegistration.objects.filter(person=person)
    if user.role != Role.AUDITOR:
        own = Q(center_id=user.center_id) if user.center_id else Q(station_id=user.station_id)
        registrations = registrations.filter(own)
    about_person = (Q(object_type="people.person", object_id=str(person.pk))
                    | Q(object_type="people.personregistration", object_id__in=_ids(registrations)))
    if user.role != Role.AUDITOR:
        center_id = user.center_id or (user.station.center_id if user.station_id and user.station else None)
        other_center = ((Q(actor__center__isnull=False) & ~Q(actor__center_id=center_id))
                        | (Q(actor__station__isnull=False) & ~Q(actor__station__center_id=center_id)))
        about_person &= ~other_center
    about_cases = (Q(object_type="cases.case", object_id__in=[str(i) for i in case_ids])
                   | Q(object_type="cases.casefile", object_id__in=_ids(CaseFile.objects.filter(case_id__in=case_ids)))
                   | Q(object_type="cases.document", object_id__in=_ids(Document.objects.filter(case_id__in=case_ids))))
    return (AuditEntry.objects.filter(about_person | about_cases).select_related("actor")
            .order_by("-occurred_at", "-seq"))
