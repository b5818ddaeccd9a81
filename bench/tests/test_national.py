"""The verdicts of ``python -m bench national`` (bench/national.py) against issue 10's targets: pure parts only (the
run itself needs a grown PostgreSQL database, gunicorn and wrk)."""

from __future__ import annotations

from bench.load import Run
from bench.national import markdown, staff_verdicts, throughput_verdicts


def _run(workload: str, side: str, rps: float, p99: float = 50.0, errors: int = 0) -> Run:
    return Run(workload=workload, side=side, repetition=1, rps=rps, p50_ms=10.0, p90_ms=20.0, p99_ms=p99,
               requests=int(rps * 10), errors=errors, flagged=errors > 0, raw={})


def test_throughput_is_judged_by_its_ratio_to_the_baseline_and_the_submit_by_its_p99_too() -> None:
    runs = [_run("self-check POST /api/v1/eligibility/check", "fayuan", 600), _run("self-check POST", "baseline", 800),
            _run("receive an application POST /api/v1/cases", "fayuan", 250, p99=90),
            _run("receive an application POST", "baseline", 800),
            _run("reviewer's queue GET /office/cases/", "fayuan", 100), _run("reviewer's queue", "baseline", 500),
            _run("case page GET /office/cases/<id>/", "fayuan", 200, errors=1), _run("case page", "baseline", 500)]
    verdicts = {v["workload"].split(" ")[0]: v for v in throughput_verdicts(runs)}
    assert verdicts["self-check"]["ratio"] == 0.75 and verdicts["self-check"]["met"]
    assert verdicts["receive"]["ratio"] == 0.312 and verdicts["receive"]["met"]  # 0.31 ≥ 0.25 and p99 90 ≤ 100
    assert not verdicts["reviewer's"]["met"]  # 0.20 < 0.30
    assert not verdicts["case"]["met"]  # an error fails it whatever the ratio
    slow = throughput_verdicts([_run("receive an application", "fayuan", 400, p99=140),
                                _run("receive an application", "baseline", 800)])
    assert slow[0]["ratio"] == 0.5 and not slow[0]["met"]  # fast enough, but p99 over 100 ms


def test_a_staff_page_meets_its_target_only_under_50_ms_and_with_the_reference_query_count() -> None:
    rows = [{"page": "queue: to do", "p50_ms": 20.0, "p95_ms": 40.0, "queries": 9, "ok": True},
            {"page": "people list", "p50_ms": 20.0, "p95_ms": 60.0, "queries": 7, "ok": True},
            {"page": "case page", "p50_ms": 20.0, "p95_ms": 30.0, "queries": 31, "ok": True}]
    verdicts = staff_verdicts(rows, {"queue: to do": 9, "people list": 7, "case page": 30})
    assert [v["met"] for v in verdicts] == [True, False, False]
    assert verdicts[2]["reference_queries"] == 30


def test_the_markdown_says_whether_every_target_was_met() -> None:
    report = {"cases": 10_000_000, "at": "2026-12-04T18:00:00+00:00", "commit": "abc", "database": "fayuan_national",
              "database_size": "60 GB", "cpus": 2, "server_settings": "shared_buffers 4GB", "rows": {"cases_case": 10},
              "connections": 16, "workers": 5, "seconds_per_run": 15.0, "requests": 50,
              "throughput": throughput_verdicts([_run("receive an application", "fayuan", 250, p99=90),
                                                 _run("receive an application", "baseline", 800)]),
              "wrk_table": "| wrk |", "staff": [], "dashboards_table": "| dash |", "mismatches": {}, "all_met": False,
              "seconds": 600}
    text = markdown(report)
    assert "# National size: 10,000,000 cases" in text and "≥ 0.25 and p99 ≤ 100 ms" in text
    assert "Every target met: **no**" in text and "differ from the naive" not in text
    assert "rebuilt in this run" not in text
    rebuilt = markdown(report | {"rebuild": {"cells": 7888, "seconds": 15.4}})
    assert "rebuilt in this run (`manage.py stats_rebuild`): 7,888 cells in 15.4 s" in rebuilt
    spread = {"centers": 3_000, "providers": 200_000, "open_cases": 800_000,
              "reviewer_center": {"cases": 16_000, "open_cases": 1_300, "providers": 330}}
    with_spread = markdown(report | {"spread": spread})
    assert ("Spread: 3,000 centers, 200,000 active providers, 800,000 open cases (4.0 per provider)."
            in with_spread) and "16,000 cases, 1,300 open, 330 providers (3.9 open cases each)" in with_spread


def test_the_crawl_follows_office_pages_once_and_skips_downloads() -> None:
    from bench.crawl import Page, links, table

    html = ('<a href="/office/cases/">队列</a><a href="/office/cases/?tab=all&amp;page=2">下一页</a>'
            '<a href="/office/cases/">again</a><a href="/office/stats/dashboard/export/?figure=all">导出</a>'
            '<a href="/accounts/logout/">退出</a><a href="/office/cases/1/#docs">文书</a><a href="/">首页</a>')
    assert links(html) == ["/office/cases/", "/office/cases/?tab=all&page=2", "/office/cases/1/"]
    pages = [Page("/office/slow/", 200, 1500.0, 1600.0, 20_000), Page("/office/big/", 200, 80.0, 90.0, 2_000_000),
             Page("/office/ok/", 200, 30.0, 40.0, 20_000)]
    text = table(pages)
    assert text.startswith("3 pages; over 1,000 ms: 1; over 1 MB: 1; not 200: 0.")
    assert text.count("**check**") == 2 and "| `/office/ok/` | 200 | 30.0 | 40.0 | 20,000 |  |" in text


def test_the_office_home_is_measured_as_the_floor_of_a_signed_in_page_and_judged_by_no_target() -> None:
    runs = [_run("office home GET /office/ (floor of a signed-in page)", "fayuan", 150),
            _run("office home", "baseline", 1500),
            _run("case page GET /office/cases/<id>/", "fayuan", 450), _run("case page", "baseline", 1500)]
    verdicts = {v["workload"].split(" ")[0]: v for v in throughput_verdicts(runs)}
    assert verdicts["office"]["ratio"] == 0.1 and verdicts["office"]["target"] is None
    assert verdicts["office"]["met"] is None and verdicts["case"]["met"]
    report = {"cases": 1_000, "at": "2026-12-06T18:00:00+00:00", "commit": "abc", "database": "fayuan_national",
              "database_size": "1 GB", "cpus": 2, "server_settings": "", "rows": {}, "connections": 16, "workers": 5,
              "seconds_per_run": 15.0, "requests": 50, "throughput": list(verdicts.values()), "wrk_table": "",
              "staff": [], "dashboards_table": "", "mismatches": {}, "all_met": True, "seconds": 60}
    text = markdown(report)
    assert "| 0.10 | none | 50.0 | 0 | (no target) |" in text and "| 0.30 | ≥ 0.30 | 50.0 | 0 | yes |" in text
