"""The library's periodic task (registered in ``fayuan/jobs/schedule.py``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from fayuan.core.background import retrying

from .services import typical_case_remind


@task(priority=-10)
@retrying(attempts=5, base_delay=120)
def remind_typical_cases(*, on: str) -> int:
    """From the quota's reminder day, centers that have not reported their month's typical case are reminded."""
    return typical_case_remind(on=dt.date.fromisoformat(on))
