"""Where a case came from, when another app holds the record: an organ's notice (criminal), a forwarding from
custody (custody); and what other apps keep about it (its quality record). An extension point like ``vetoes``:
those apps sit above cases, which never imports them, and register a function in their ``AppConfig.ready()`` that
gives the case page its links (only the records the user may open, through that app's scoped selector)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (case, user) -> [(label, url)]; a function should return [] at once for cases that are not its kind (no query).
CaseOrigin = Callable[[Any, Any], list[tuple[str, str]]]

_origins: list[CaseOrigin] = []


def register_case_origin(origin: CaseOrigin) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if origin not in _origins:
        _origins.append(origin)


def case_origins(case: Any, user: Any) -> list[tuple[str, str]]:
    return [link for origin in _origins for link in origin(case, user)]


# The same for records kept about a case after it came (quality's grade and evaluation, ...): the case page's
# "相关记录" line.
_related: list[CaseOrigin] = []


def register_case_related(related: CaseOrigin) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if related not in _related:
        _related.append(related)


def case_related(case: Any, user: Any) -> list[tuple[str, str]]:
    return [link for related in _related for link in related(case, user)]
