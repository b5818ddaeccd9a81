"""A country's bureau reads its report page from sums stored by the job (``stats/report_sums.py``). Here the limit is
lowered so that the test city counts as such a scope: the stored report equals the live one and reads no cell, a new
case shows once the job sums again or the stored sums are stale, the exports always sum live, a district's report is
never stored, and a rebuild of the rollups drops the sums. At the shipped limit a city never stores any."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import granted
from fayuan.org import scale
from fayuan.stats import report_sums, reports, scope_cells
from fayuan.stats.models import ReportSums, Tally
from fayuan.stats.services import report_sums_store, tally_rebuild
from fayuan.stats.tasks import sum_big_scopes

URL = "/office/stats/reports/"
EXPORT = "/office/stats/reports/export/"
TOTAL = ("一、法律援助案件（受援人次）", "法律援助案件合计")


def _page_report(user: Any, period: str | None = None, district_id: int | None = None) -> reports.Report:
    return reports.report_for(user, period=period or f"{timezone.localdate():%Y}", district_id=district_id)


def _aided(report: reports.Report) -> int:
    return report.row(*TOTAL).count


@pytest.fixture
def country(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test city's handful of centers counted as a country's thousands."""
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)


def test_a_city_sums_its_report_on_each_view_and_stores_nothing(year_of_work: Any) -> None:
    report = _page_report(year_of_work.user("bureau"))
    assert report.summed_at is None and _aided(report) > 0
    assert report_sums.sums_key(reports.whole_scope()) is None
    with pytest.raises(ValueError, match="中心不多"):
        report_sums_store(scope=report.scope, period=report.period)
    assert sum_big_scopes.call() == 0
    assert not ReportSums.objects.exists()


def test_the_stored_report_gives_the_live_figures_and_reads_no_cell(year_of_work: Any, country: None) -> None:
    bureau = year_of_work.user("bureau")
    live = reports.build_report(reports.report_scope(bureau), reports.parse_period(f"{timezone.localdate():%Y}"))
    assert live.summed_at is None and _aided(live) > 0
    first = _page_report(bureau)  # nothing stored yet: summed now, and stored
    assert first.summed_at is not None and first.cells == live.cells and first.sections == live.sections
    stored = ReportSums.objects.get()
    assert (stored.scope_key, stored.period) == ("city:", f"{timezone.localdate():%Y}")
    with CaptureQueriesContext(connection) as queries:
        second = _page_report(bureau)
    assert second.cells == live.cells and second.summed_at == first.summed_at
    assert not [q for q in queries.captured_queries if Tally._meta.db_table in q["sql"]]


def test_a_report_narrowed_to_a_district_is_summed_live(year_of_work: Any, country: None) -> None:
    bureau, district_bureau = year_of_work.user("bureau"), year_of_work.user("bureau_a")
    narrowed = _page_report(bureau, district_id=year_of_work.district_a.pk)
    own = _page_report(district_bureau)
    assert narrowed.summed_at is None and own.summed_at is None
    assert not ReportSums.objects.exists()


def test_a_new_case_shows_once_the_job_sums_again_and_the_export_at_once(city: Any, country: None) -> None:
    bureau = city.user("bureau")
    granted(city)
    assert _aided(_page_report(bureau)) == 1
    granted(city)
    assert _aided(_page_report(bureau)) == 1  # the stored sums of a moment ago
    client = Client()
    sign_in(client, bureau)
    page = client.get(URL, {"period": f"{timezone.localdate():%Y}"}).content.decode()
    assert 'data-testid="summed-at"' in page and "导出的 Excel、PDF 按导出时的记录现算" in page
    # The workbook is summed when it is made.
    from io import BytesIO

    from openpyxl import load_workbook

    export = client.get(EXPORT, {"period": f"{timezone.localdate():%Y}", "format": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert next(r[2] for r in sheet.iter_rows(values_only=True) if r[1] == TOTAL[1]) == 2

    today = timezone.localdate()
    # dashboards: city, 2 districts; the report's periods; closings of this year and last
    assert sum_big_scopes.call() == 3 + len(report_sums.refreshed_periods(today)) + 2
    assert set(ReportSums.objects.values_list("period", flat=True)) == set(report_sums.refreshed_periods(today))
    assert _aided(_page_report(bureau)) == 2
    assert _aided(_page_report(bureau, f"{today:%Y-%m}")) == 2


def test_stale_sums_are_summed_again_by_the_view(city: Any, country: None) -> None:
    bureau = city.user("bureau")
    granted(city)
    first = _page_report(bureau)
    granted(city)
    later = timezone.now() + scope_cells.STALE_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # the job stopped: the view does not show sums this old
        again = _page_report(bureau, f"{timezone.localdate():%Y}")
    assert _aided(again) == 2 and again.summed_at > first.summed_at
    assert ReportSums.objects.count() == 1


def test_a_rebuild_of_the_rollups_drops_the_stored_report(city: Any, country: None) -> None:
    granted(city)
    _page_report(city.user("bureau"))
    assert ReportSums.objects.exists()
    tally_rebuild()
    assert not ReportSums.objects.exists()
    assert _aided(_page_report(city.user("bureau"))) == 1


@pytest.mark.parametrize(("today", "periods"), [
    (dt.date(2026, 12, 6), ["2026", "2025", "2026-12", "2026-11"]),
    (dt.date(2027, 1, 1), ["2027", "2026", "2027-01", "2026-12"]),  # January: last month is last year's December
    (dt.date(2026, 3, 31), ["2026", "2025", "2026-03", "2026-02"]),
])
def test_the_job_keeps_this_and_last_year_and_month(today: dt.date, periods: list[str]) -> None:
    assert report_sums.refreshed_periods(today) == periods
