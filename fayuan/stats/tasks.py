"""The stats app's periodic task (registered in ``fayuan/jobs/schedule.py``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from fayuan.core.background import retrying
from fayuan.core.replica import reports_reads

from .dashboard import period_for, summed_scopes
from .services import scope_sums_store


@task(priority=-10)
@retrying(attempts=2, base_delay=60)
def sum_big_scopes() -> int:
    """The dashboards of a country's scope read sums stored a few minutes ago (``scope_cells.py``): sum them again.
    A city's installation has no such scope, and this does nothing but count its centers."""
    with reports_reads():  # the sums scan the year's cells: on the replica when there is one (the rows go to default)
        scopes = summed_scopes()
        today = timezone.localdate()
        period = period_for(None, today)
        for scope in scopes:
            scope_sums_store(scope=scope, period=period, today=today)
    return len(scopes)
