"""The stats app's periodic task (registered in ``fayuan/jobs/schedule.py``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from fayuan.core.background import retrying
from fayuan.core.replica import reports_reads
from fayuan.org.models import Center
from fayuan.org.scale import too_many_to_count_live
from fayuan.subsidies.services import closing_sums_store

from . import report_sums, reports
from .dashboard import period_for, summed_scopes
from .services import report_sums_store, scope_sums_store


@task(priority=-10)
@retrying(attempts=2, base_delay=60)
def sum_big_scopes() -> int:
    """The dashboards, the report page and the funding page of a country's scope read sums stored a few minutes
    ago (``scope_cells.py``, ``report_sums.py``, ``subsidies.models.ClosingSums``): sum them again. A city's
    installation has no such scope, and this does nothing but count its centers. Returns the number of sums stored."""
    with reports_reads():  # the sums scan the year's cells: on the replica when there is one (the rows go to default)
        scopes = summed_scopes()
        today = timezone.localdate()
        period = period_for(None, today)
        for scope in scopes:
            scope_sums_store(scope=scope, period=period, today=today)
        stored = len(scopes)
        whole = reports.whole_scope()
        if report_sums.sums_key(whole) is not None:
            for code in report_sums.refreshed_periods(today):
                report_sums_store(scope=whole, period=reports.parse_period(code, today=today))
                stored += 1
        if too_many_to_count_live(Center.objects.count()):
            for year in (today.year, today.year - 1):
                closing_sums_store(year=year)
                stored += 1
    return stored
