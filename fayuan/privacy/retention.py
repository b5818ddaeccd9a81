"""When personal data has been kept long enough: pure rules, no database.

A case is kept for the archive period once archived (``Case.retention_until``, set by ``cases.case_archive`` from
ARCHIVE_RETENTION_YEARS, 30 years by default: the city's archive period; no text held here fixes it, so the
processing record marks its basis pending). Past that date it is anonymized. Cases that never reach the archive
(refused, withdrawn, terminated) are not anonymized by this rule: the bureau has not set their period yet.

Records that are not cases keep a person identifiable for the same period, counted from their own date (no text
held here sets a different period for them, so none is invented): a consultation without a case, the police's
record of telling a suspect of the right to apply (from the day told; while it is linked to a case that is not yet
anonymized it waits for that case), and a duty lawyer's help record (from the day it was recorded).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

ARCHIVED = "archived"


def archive_years() -> int:
    return int(getattr(settings, "ARCHIVE_RETENTION_YEARS", 30))


def case_due(status: str, retention_until: dt.date | None, on: dt.date) -> bool:
    """An archived case whose retention date has passed (the day itself is still within retention)."""
    return status == ARCHIVED and retention_until is not None and retention_until < on


def record_cutoff(on: dt.date) -> dt.date:
    """Records dated after this day keep their person identifiable (the same period as an archived case)."""
    try:
        return on.replace(year=on.year - archive_years())
    except ValueError:  # 29 February
        return on.replace(year=on.year - archive_years(), day=28)


consultation_cutoff = record_cutoff  # the consultations' name for it


def record_due(recorded_on: dt.date, on: dt.date, *, case_pending: bool = False) -> bool:
    """A record dated ``recorded_on`` is past retention on ``on``: the day ARCHIVE_RETENTION_YEARS on is still kept,
    as for a case; a case it is linked to and not yet anonymized holds it."""
    return not case_pending and recorded_on < record_cutoff(on)
