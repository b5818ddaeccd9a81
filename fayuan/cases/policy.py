"""Which parts of a case a role may see: one policy for the office page and the API.

Which *cases* a user sees is ``selectors.cases_visible_to``; this module says which of a visible case's fields.
A provider never sees the household's means (the means test is the center's business); once the case is
closing or closed, the provider who handled it keeps what the closing and the subsidy need (the case, its
handling, its documents) but no longer the applicant's or agent's personal details beyond their names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import PROVIDER_ROLES

from .models import Case, Document, DocumentKind, Status

# The application form carries the household's means and the full ID number: never a provider's.
PROVIDER_DOCUMENTS = frozenset(DocumentKind.values) - {DocumentKind.APPLICATION_FORM}
# After the closing, what the subsidy claim rests on (the assignment notice carries the full ID number and phone).
PROVIDER_DOCUMENTS_AFTER_CLOSING = frozenset({DocumentKind.GRANT_DECISION, DocumentKind.TERMINATION_DECISION})
# From these statuses a provider no longer needs the applicant's contact details (nor their person record).
CLOSED_FOR_PROVIDER = frozenset({Status.CLOSING_SUBMITTED, Status.CLOSED, Status.ARCHIVED})


@dataclass(frozen=True)
class CaseFields:
    household: bool  # household size, monthly income and its source; the eligibility review
    applicant_details: bool  # the applicant's and agent's masked ID, phone and the link to their record


ALL_FIELDS = CaseFields(household=True, applicant_details=True)


def case_fields_for(user: User, case: Case) -> CaseFields:
    """What ``user`` may see of ``case`` (which they can already see through the selector)."""
    if user.role in PROVIDER_ROLES:
        return CaseFields(household=False, applicant_details=case.status not in CLOSED_FOR_PROVIDER)
    return ALL_FIELDS


def documents_visible(user: User, case: Case) -> QuerySet[Document]:
    """The case's official documents that ``user`` may list and download."""
    qs = case.documents.all()
    if user.role in PROVIDER_ROLES:
        kinds = PROVIDER_DOCUMENTS_AFTER_CLOSING if case.status in CLOSED_FOR_PROVIDER else PROVIDER_DOCUMENTS
        return qs.filter(kind__in=kinds)
    return qs
