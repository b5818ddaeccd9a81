"""The duty app's periodic task (registered in ``fayuan/jobs/schedule.py``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from fayuan.core.background import retrying

from .services import duty_flag_no_shows


@task(priority=-10)
@retrying(attempts=5, base_delay=120)
def flag_duty_no_shows(*, on: str) -> int:
    """A published duty whose working day has passed without a check-in is flagged as a no-show."""
    return duty_flag_no_shows(on=dt.date.fromisoformat(on))
