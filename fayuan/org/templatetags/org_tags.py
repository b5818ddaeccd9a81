"""Template filters for dated master data.

Model methods that need a date (``Provider.years_of_practice(on)``, ``StaffQualification.valid_on(day)``,
``MinimumWage.in_force_on(day)``) cannot be called from a template; these filters pass the date the view gives
(``today``), so templates never reach for the clock themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from fayuan.org.models import Provider

register = template.Library()


@register.filter
def years_practice(provider: Provider, on: dt.date | None) -> int | None:
    """Full years in practice on ``on``; ``None`` when the start date is not recorded (shown as “—”)."""
    if not isinstance(on, dt.date) or provider.practice_since is None:
        return None
    return provider.years_of_practice(on)


@register.filter
def years_criminal(provider: Provider, on: dt.date | None) -> int | None:
    """Full years of criminal defense work on ``on``; ``None`` when the start date is not recorded."""
    if not isinstance(on, dt.date) or provider.criminal_defense_since is None:
        return None
    return provider.years_of_criminal_defense(on)


@register.filter
def valid_on(qualification: Any, day: dt.date | None) -> bool:
    """Whether a qualification (anything with ``valid_on(day)``) is valid on ``day``."""
    return isinstance(day, dt.date) and bool(qualification.valid_on(day))


@register.filter
def in_force(rule: Any, day: dt.date | None) -> bool:
    """Whether a dated rule row (``DatedRule``) is in force on ``day``."""
    return isinstance(day, dt.date) and bool(rule.in_force_on(day))
