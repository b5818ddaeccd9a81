"""How big a scope may grow before its pages stop counting it live.

A province's hundred-odd centers count their cases in a few tens of milliseconds; a country's thousands do not (the
10-million-case runs in ``docs/capacity.md``). A scope of more centers than ``LIVE_CENTERS`` therefore reads sums a
job stored (the dashboards, the funding page) or asks for a narrower scope first (the quality pages). A stored sum
older than ``STALE_AFTER`` means the job stopped, and the page sums again. One place for both numbers, so that every
page draws the line at the same size.
"""

from __future__ import annotations

import datetime as dt

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES

from .selectors import centers_in_scope

LIVE_CENTERS = 200
STALE_AFTER = dt.timedelta(minutes=30)


def too_many_to_count_live(center_count: int) -> bool:
    """Whether a scope of ``center_count`` centers reads stored sums (or asks for a narrower scope) instead of
    counting its cases on the request."""
    return center_count > LIVE_CENTERS


def bureau_too_big_to_count(user: User) -> bool:
    """Whether the user is a bureau whose scope (the city's centers, or its district's) is too big to count live."""
    return user.role in BUREAU_ROLES and too_many_to_count_live(centers_in_scope(user).count())
