"""Quality bulletins in the demo city, through the bulletins services: last month's city bulletin (the city
bureau), last month's bulletin of the home center (its reviewer), and last year's annual city bulletin, each
drafted from the figures (the pre-filled problems and good practice kept as written by the system) and issued.
Written last, after quality, complaints and the typical cases, so the figures hold them. Safe to run again: a
bulletin already issued is left alone, a draft left by an interrupted run is issued."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.bulletins.models import Bulletin, Kind
from fayuan.bulletins.services import bulletin_draft, bulletin_issue


def _issued(actor: User, kind: str, start: dt.date, center_id: int | None) -> bool:
    scope = Q(center_id=center_id) if center_id else Q(center__isnull=True)
    bulletin = Bulletin.objects.filter(scope, kind=kind, period_start=start).first()
    if bulletin is not None and bulletin.issued:
        return False
    if bulletin is None:
        bulletin = bulletin_draft(actor=actor, kind=kind, period_start=start)
    bulletin_issue(actor=actor, public_id=bulletin.public_id)
    return True


def seed_bulletins(users: dict[str, User]) -> int:
    """The number of bulletins issued by this run."""
    bureau, reviewer = users.get("demo_bureau"), users.get("demo_reviewer")
    if bureau is None or reviewer is None or bureau.district_id is not None or reviewer.center_id is None:
        return 0
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last_year = dt.date(today.year - 1, 1, 1)
    return sum((_issued(bureau, Kind.MONTHLY, last_month, None),
                _issued(reviewer, Kind.MONTHLY, last_month, reviewer.center_id),
                _issued(bureau, Kind.ANNUAL, last_year, None)))
