"""Notes about providers from apps above org (which org and cases never import): information shown beside a
provider on their page and on the assignment screen, never a rule that refuses them (that is ``cases.vetoes``).
Complaints register "repeated complaints" here, the excellent-lawyer team the membership.

A note function takes the provider ids and the user looking, and returns ``{provider id: [(text, url)]}`` for the
providers it has something to say about; it decides itself what the user may see (one query for all the ids)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

ProviderNote = Callable[[Sequence[int], Any], Mapping[int, list[tuple[str, str]]]]

_notes: list[ProviderNote] = []


def register_provider_note(note: ProviderNote) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if note not in _notes:
        _notes.append(note)


def provider_notes(provider_ids: Sequence[int], user: Any) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    if not provider_ids:
        return found
    for note in _notes:
        for provider_id, items in note(provider_ids, user).items():
            found.setdefault(provider_id, []).extend(items)
    return found
