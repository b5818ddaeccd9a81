"""The membership beside a provider on their page and the assignment screen, linked for those who manage it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from .selectors import members_visible_to


def membership_note(provider_ids: Sequence[int], user: Any) -> dict[int, list[tuple[str, str]]]:
    members = members_visible_to(user).filter(provider_id__in=list(provider_ids), left_on__isnull=True)
    return {m.provider_id: [(f"名优律师团成员（{m.admitted_on:%Y-%m-%d} 入团）",
                             reverse("lawyer_team:member", args=[m.pk]))] for m in members.only(
        "pk", "provider_id", "admitted_on")}

