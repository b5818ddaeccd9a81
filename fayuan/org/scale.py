"""How big a scope may grow before its pages stop counting it live.

A province's hundred-odd centers count their cases in a few tens of milliseconds; a country's thousands do not (the
10-million-case runs in ``docs/capacity.md``). A scope of more centers than ``LIVE_CENTERS`` therefore reads sums a
job stored (the dashboards, the funding page) or asks for a narrower scope first (the quality pages). A stored sum
older than ``STALE_AFTER`` means the job stopped, and the page sums again. One place for both numbers, so that every
page draws the line at the same size.
"""

from __future__ import annotations

import datetime as dt

LIVE_CENTERS = 200
STALE_AFTER = dt.timedelta(minutes=30)
