"""With a read replica configured (REPLICA_DATABASE_URL), the statistical report, its exports and the dashboard
read their figures there, and nothing else goes there: the session, the user and every write stay on the primary.
The test suite's ``replica`` alias mirrors the test database (config/settings.py), so the figures are the same and
the queries can be told apart by the connection that ran them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import granted
from fayuan.core.models import AuditEntry
from fayuan.core.replica import ReportsRouter, reports_reads
from fayuan.stats import reports
from fayuan.stats.models import Tally

REPORT = "/office/stats/reports/"
EXPORT = "/office/stats/reports/export/"
DASHBOARD_EXPORT = "/office/stats/dashboard/export/"


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_reports_and_dashboard_exports_read_from_the_replica(city: Any, client: Any, settings: Any) -> None:
    settings.REPORTS_DATABASE = "replica"
    granted(city)  # one decision this month: the report's first figure is 1
    sign_in(client, city.user("reviewer_a"))
    period = f"{timezone.localdate():%Y-%m}"
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as default:
        page = client.get(REPORT, {"period": period})
        xlsx = client.get(EXPORT, {"period": period, "format": "xlsx"})
        board = client.get(DASHBOARD_EXPORT)
    assert page.status_code == 200 and xlsx.status_code == 200 and board.status_code == 200
    with reports_reads():
        report = reports.build_report(reports.report_scope(city.user("reviewer_a")), reports.parse_period(period))
    assert report.row("一、法律援助案件（受援人次）", "法律援助案件合计").count == 1
    on_replica, on_default = _sql(replica), _sql(default)
    assert sum('"stats_tally"' in sql for sql in on_replica) >= 3  # the page, the workbook, the dashboard
    assert not any('"stats_tally"' in sql for sql in on_default)
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in on_replica), on_replica
    assert any('"django_session"' in sql for sql in on_default)  # the request's own reads stay on the primary


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_without_a_replica_the_reports_read_the_primary(city: Any, client: Any) -> None:
    granted(city)
    sign_in(client, city.user("reviewer_a"))
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as default:
        assert client.get(REPORT).status_code == 200
        assert client.get(DASHBOARD_EXPORT).status_code == 200
    assert _sql(replica) == []
    assert any('"stats_tally"' in sql for sql in _sql(default))


def test_writes_and_locks_inside_a_report_go_to_the_primary(settings: Any) -> None:
    settings.REPORTS_DATABASE = "replica"
    router = ReportsRouter()
    with reports_reads():
        assert router.db_for_read(Tally) == "replica"
        assert router.db_for_write(AuditEntry) == "default"
        assert Tally.objects.all().db == "replica"
        assert Tally.objects.select_for_update().db == "default"
        assert AuditEntry.objects.all().db == "replica"  # a read; an audit row written here goes to default
    assert Tally.objects.all().db == "default"
    assert router.allow_migrate("replica", "stats") is False and router.allow_migrate("default", "stats") is True
