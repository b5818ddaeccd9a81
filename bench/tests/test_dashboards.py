"""The pure parts of ``python -m bench dashboards``: ratios, the budget, the comparison of naive and rolled-up
figures and the result files. Run with ``.venv/bin/pytest bench/tests``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bench.dashboards import Line, Report, as_cells, compare, summary, table, write


def test_ratio_is_latency_over_the_baseline_and_budget_is_judged_on_p95() -> None:
    page = Line("page", "city dashboard", p50_ms=40.0, p95_ms=210.0, baseline_p50_ms=4.0, rows=12)
    assert page.ratio == 10.0
    assert not page.within_budget
    assert Line("SQL", "tally", 1.0, 2.0, 0.5).within_budget
    assert not Line("page", "broken", 1.0, 2.0, 0.5, ok=False).within_budget
    assert Line("SQL", "no baseline", 1.0, 2.0).ratio is None


def test_wrk_ratio_is_baseline_throughput_over_the_page() -> None:
    assert Line("wrk", "dashboard", 30.0, 90.0, 3.0, rps=100.0, baseline_rps=1000.0).ratio == 10.0


def test_summary_gives_median_and_p95() -> None:
    assert summary([float(n) for n in range(1, 101)]) == (50.5, 95.0)


def test_table_has_one_row_per_line_and_flags_failures() -> None:
    text = table([Line("SQL", "baseline: SELECT 1", 0.1, 0.2, 0.1),
                  Line("page", "annual report", 150.0, 250.0, 5.0, rows=9, ok=False, note="HTTP 404")])
    rows = text.splitlines()
    assert len(rows) == 4 and rows[0].startswith("| part | what |")
    assert rows[2] == "| SQL | baseline: SELECT 1 | 0.1 | 0.2 | 0.10 | 1.0 |  | yes |  |"
    assert "annual report (HTTP 404) **(failed)**" in rows[3] and "| 30.0 |" in rows[3] and "| no | 9 |" in rows[3]


def test_compare_sums_duplicate_cells_and_ignores_zeros() -> None:
    may = dt.date(2026, 5, 1)
    naive = as_cells([(1, may, "civil", 3, 0), (1, may, "criminal", 2, Decimal("10.5"))])
    # Readers sum: two tally rows for one cell (two transactions created it at once) count as one.
    tally = as_cells([(1, may, "civil", 1, 0), (1, may, "civil", 2, 0), (1, may, "criminal", 2, Decimal("10.50")),
                      (2, may, "civil", 0, 0)])
    assert compare(naive, tally) == []
    assert compare(naive, as_cells([(1, may, "civil", 3, 0)])) == [
        "(1, '2026-05-01', 'criminal'): naive (2, Decimal('10.50')) tally (0, Decimal('0.00'))"]


def test_report_files_carry_the_table_and_the_verdict(tmp_path: Path) -> None:
    report = Report(at="2026-12-03T08:00:00+00:00", commit="abc1234", database="fayuan_benchdash", cases=100_000,
                    year=2026, cpus=2, database_size="1 GB",
                    rebuild={"seconds": 12.5, "cells": 3456, "max_rss_mb": 300, "output": ""},
                    lines=[Line("SQL", "dashboard: summed from stats_tally", 1.5, 2.0, 0.1, rows=100)],
                    mismatches={"dashboard": []}, pages={"city dashboard": "/office/stats/dashboard/"})
    stem = write(report, dt.datetime(2026, 12, 3, 8, tzinfo=dt.UTC), tmp_path)
    text = stem.with_suffix(".md").read_text(encoding="utf-8")
    assert "100,000 cases" in text and "stats_rebuild` 12.5 s, 3456 cells" in text and "agree cell for cell" in text
    assert "reused (already at size)" in text
    data = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["lines"][0]["ratio"] == 15.0 and data["lines"][0]["within_budget"] is True
    assert stem.name == "dashboards-2026-12-03T080000"


@pytest.mark.django_db
def test_the_stored_sums_are_timed_with_the_whole_job_which_leaves_them_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a country's database (here one center counted as thousands) the harness times each dashboard scope's
    refresh and then the job, which stores the report page's periods too, so the pages measured next read fresh
    sums as they would under the scheduler."""
    from bench.dashboards import measure_stored_sums
    from fayuan.org import scale
    from fayuan.org.models import Center, CenterLevel, District
    from fayuan.stats.models import ReportSums, ScopeSums

    district = District.objects.order_by("pk").first()
    Center.objects.create(name="样本中心", doc_prefix="样援", level=CenterLevel.DISTRICT, district=district,
                          address="某路")
    assert measure_stored_sums(1) == []  # a city's handful: nothing stored, nothing timed
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)
    lines = measure_stored_sums(1)
    assert [line.name.split(" (")[0] for line in lines] == ["dashboard: stored sums refreshed"] * 2 + [
        "the job sum_big_scopes"]  # the city's scope and its district's, then the job
    assert lines[-1].rows == 2 + 4 + 2  # two dashboards, four report periods, two years of closings
    assert ScopeSums.objects.count() == 2 and ReportSums.objects.count() == 4
