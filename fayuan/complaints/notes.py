"""The repeated-complaint flag beside a provider (their page, the assignment screen): information for the staff who
assign and supervise, never a bar to assignment. Providers and others see nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from .selectors import FLAG_READERS, repeat_flags


def repeated_complaints_note(provider_ids: Sequence[int], user: Any) -> dict[int, list[tuple[str, str]]]:
    if getattr(user, "role", None) not in FLAG_READERS:
        return {}
    flags = repeat_flags(provider_ids, timezone.localdate())
    return {pk: [(flag.text, f"/office/complaints/flags/#provider-{pk}")] for pk, flag in flags.items()}
