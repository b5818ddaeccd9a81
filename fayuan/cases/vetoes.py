"""Assignment vetoes: an extension point for apps above cases (which cases never imports) to refuse a provider
for a case, with the reason in Chinese. Duty registers one: a duty lawyer who helped one co-defendant may not
defend another of the same criminal case. A veto is a hard rule like those of ``assignment_rules``: it filters the
rotation and refuses a manual choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

# (case, provider ids) -> {provider id: reason} for the providers it refuses.
AssignmentVeto = Callable[[Any, Sequence[int]], Mapping[int, str]]

_vetoes: list[AssignmentVeto] = []


def register_assignment_veto(veto: AssignmentVeto) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if veto not in _vetoes:
        _vetoes.append(veto)


def unregister_assignment_veto(veto: AssignmentVeto) -> None:
    if veto in _vetoes:
        _vetoes.remove(veto)


def assignment_vetoes(case: Any, provider_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not provider_ids:
        return found
    for veto in _vetoes:
        for provider_id, reason in veto(case, provider_ids).items():
            found.setdefault(provider_id, []).append(reason)
    return found
