"""Closing checks: an extension point for apps above cases (which cases never imports) to hold a case open until
something they keep is done, with the reason in Chinese. Quality registers one: a major or difficult case cannot
close without a collective discussion record. ``closing_submit`` and ``closing_review`` (on acceptance) ask it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# case -> the reason it may not close yet, or None.
ClosingCheck = Callable[[Any], str | None]

_checks: list[ClosingCheck] = []


def register_closing_check(check: ClosingCheck) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if check not in _checks:
        _checks.append(check)


def unregister_closing_check(check: ClosingCheck) -> None:
    if check in _checks:
        _checks.remove(check)


def closing_refusals(case: Any) -> list[str]:
    return [reason for check in _checks if (reason := check(case))]
