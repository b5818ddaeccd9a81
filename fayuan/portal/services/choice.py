"""The public site's side of 点援制: find the applicant's case in the site's own scope, then let the assignment
rules in ``cases.services.choice`` do the rest."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fayuan.accounts.models import User
from fayuan.cases.models import Assignment, ProviderPreference
from fayuan.cases.selectors import PREFERENCE_STATUSES
from fayuan.cases.services import case_assign_by_client_choice, case_prefer_provider

from .. import selectors


@transaction.atomic
def provider_choose(*, account: User, public_id: Any, provider_id: int) -> Assignment | ProviderPreference:
    """Before the decision the choice is recorded as a preference; after it, the provider is assigned at once."""
    case = selectors.portal_case_get(account, public_id, for_update=True, audit=False)
    if case.status in PREFERENCE_STATUSES:
        return case_prefer_provider(account=account, case=case, provider_id=provider_id)
    return case_assign_by_client_choice(account=account, case=case, provider_id=provider_id)
