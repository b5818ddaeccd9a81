"""``python -m bench national``: one harness run on a database at national size, every target of the core performance
and dashboard issues measured on it, one result file (issue 15 part 1).

    python -m bench grow --cases 10000000 --centers 3000 --audit-days 30 --database-url postgres://.../fayuan_national
    python -m bench national --database-url postgres://.../fayuan_national
    python -m bench national --database-url ... --quick      # 3 s wrk runs, 10 requests a page: does it all work

On the given PostgreSQL database (grown beforehand, or to ``--cases`` here), against the bare baseline
(bench/baseline) served from its own database on the same server, through gunicorn:
1. **Throughput under wrk** (16 connections, 5 workers, each workload beside its baseline twice, bench/load.py): the
   self-check and the submit against the bare insert, the reviewer's queue and the case page against the bare page.
   Targets (issue 10): self-check ≥ 0.70 of the insert, submit ≥ 0.25 with p99 ≤ 100 ms, queue and case page ≥ 0.30.
2. **Every staff list and the case page for one client** (bench/atsize.py): p95 ≤ 50 ms, and the same number of SQL
   statements as on a 1,000-case database, which a child process builds and counts in the same run
   (``<database>_reference`` on the same server).
3. **The city dashboard and the annual report** (bench/dashboards.py): the rollup SQL against the naive GROUP BY
   over the raw tables (and their figures compared), the pages p95 ≤ 200 ms, under wrk against the bare page.
4. **Every office page the city bureau reaches** (bench/crawl.py), following links two deep, the slowest listed: no
   target, a lookout for pages that grow with the data (flagged over 1 s or 1 MB).
Results: ``bench/results/national-<UTC date and time>.md`` and ``.json``; the exit status says whether every target
was met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import crawl
from .server import ROOT, AppServer, app_env, django_setup

RESULTS = ROOT / "bench" / "results"
REFERENCE_SIZE = 1000
# Issue 10's targets: throughput as a share of the bare baseline's, and latency ceilings.
THROUGHPUT_TARGETS = {"self-check": 0.70, "receive an application": 0.25, "reviewer's queue": 0.30, "case page": 0.30}
# Measured beside them with no target: the fixed cost of any signed-in office page (bench/load.py).
REFERENCE_WORKLOADS = ("office home",)
SUBMIT_P99_MS = 100.0
STAFF_P95_MS = 50.0


def _reference_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts._replace(path=parts.path.rstrip("/") + "_reference").geturl()


def reference_queries(url: str, persons: int) -> dict[str, int]:
    """SQL statements per staff page on a 1,000-case database, from a child process (Django is set up once per
    process, on one database). The database is made once and kept (``<database>_reference``)."""
    result = subprocess.run([sys.executable, "-m", "bench.national", "--reference", _reference_url(url),  # noqa: S603
                             "--persons", str(persons)], cwd=ROOT, capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if result.returncode != 0:
        raise SystemExit(f"参照库（{REFERENCE_SIZE} 件）测量失败：\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _one_due_today() -> None:
    """At 1,000 cases, or in a small center of the country model, the reviewer's center may have no deadline due
    today, and the "due today" tab then skips the queries that read its rows: it would count fewer statements than
    a page with rows runs. The reference database and the measured one (bench databases, never served) get one: the
    open deadline due soonest after today moves to today. A direct write, as the grower's: there is nothing to audit
    in a bench database."""
    from django.utils import timezone

    from fayuan.accounts.models import User
    from fayuan.deadlines.models import Deadline

    today = timezone.localdate()
    center = User.objects.get(username="demo_reviewer").center
    running = Deadline.objects.filter(center=center, met_at=None, cancelled_at=None, paused_at=None, due_at=None,
                                      started_on__lte=today)  # counted in days, started: today is a valid due day
    if not running.filter(due_on=today).exists():
        soonest = running.filter(due_on__gt=today).order_by("due_on", "id").first()
        if soonest is not None:
            Deadline.objects.filter(pk=soonest.pk).update(due_on=today)


def _reference_main(url: str, persons: int) -> int:
    """The child of ``reference_queries``: a demo city grown to 1,000 cases, each staff page's statements counted."""
    folder = Path(tempfile.mkdtemp(prefix="fayuan-national-ref-"))
    django_setup(app_env(database_url=url, media_root=folder / "media", STATIC_ROOT=str(folder / "static")))
    from .dashboards import ensure_size

    ensure_size(url, REFERENCE_SIZE, persons)
    _one_due_today()
    client, _, case_path = _reviewer_client()
    from .atsize import PAGES, count_queries, fiftieth_page

    page50 = fiftieth_page(client)
    counts = {name: count_queries(client, template.format(case=case_path, page50=page50))[0]
              for name, template in PAGES}
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _session_of(username: str) -> str:
    """The session cookie of a demo user signed in past the second factor, for gunicorn's workers to read."""
    from django.test import Client

    from fayuan.accounts.models import User
    from fayuan.accounts.testing import sign_in

    from .atsize import allow_test_client

    allow_test_client()
    client = Client()
    sign_in(client, User.objects.get(username=username))
    return str(client.cookies["sessionid"].value)


def _reviewer_client() -> tuple[Any, str, str]:
    """The demo reviewer signed in (past the second factor) in Django's test client, the session cookie gunicorn's
    workers will read, and the page of a case of the reviewer's center in progress."""
    from django.test import Client

    from fayuan.accounts.models import User
    from fayuan.accounts.testing import sign_in

    from .atsize import allow_test_client, measured_case

    allow_test_client()
    reviewer = User.objects.get(username="demo_reviewer")
    client = Client()
    sign_in(client, reviewer)
    case = measured_case(reviewer.center)
    if case is None:
        raise SystemExit("审查人员所在中心没有案件。")
    return client, client.cookies["sessionid"].value, f"/office/cases/{case.public_id}/"


def throughput_verdicts(runs: list[Any]) -> list[dict[str, Any]]:
    """Per workload: mean throughput over its baseline's, worst p99, errors, and whether issue 10's target is met."""
    out = []
    measured: list[tuple[str, float | None]] = [*THROUGHPUT_TARGETS.items(), *((w, None) for w in REFERENCE_WORKLOADS)]
    for prefix, target in measured:
        mine = [r for r in runs if r.workload.startswith(prefix) and r.side == "fayuan"]
        base = [r for r in runs if r.workload.startswith(prefix) and r.side == "baseline"]
        if not mine or not base:
            continue
        rps, base_rps = sum(r.rps for r in mine) / len(mine), sum(r.rps for r in base) / len(base)
        ratio = rps / base_rps if base_rps else 0.0
        p99 = max(r.p99_ms for r in mine)
        errors = sum(r.errors for r in mine)
        met = None if target is None else (
            ratio >= target and errors == 0 and (prefix != "receive an application" or p99 <= SUBMIT_P99_MS))
        out.append({"workload": mine[0].workload, "rps": round(rps, 1), "baseline_rps": round(base_rps, 1),
                    "ratio": round(ratio, 3), "target": target, "p99_ms": round(p99, 1), "errors": errors,
                    "met": met})
    return out


def spread() -> dict[str, Any]:
    """How the grower spread the cases: centers, active providers and open cases, overall and at the reviewer's
    center, whose queue and case page are measured (its ranking counts its providers' open cases)."""
    from fayuan.accounts.models import User
    from fayuan.cases.models import Case
    from fayuan.cases.workflow import OPEN_STATUSES
    from fayuan.org.models import Center, Provider

    center = User.objects.get(username="demo_reviewer").center_id or 0
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    providers = Provider.objects.filter(active=True)
    return {"centers": Center.objects.count(), "providers": providers.count(), "open_cases": open_cases.count(),
            "reviewer_center": {"cases": Case.objects.filter(center_id=center).count(),
                                "open_cases": open_cases.filter(center_id=center).count(),
                                "providers": providers.filter(home_center_id=center).count()}}


def _spread_line(s: dict[str, Any]) -> str:
    mine = s["reviewer_center"]
    return (f"Spread: {s['centers']:,} centers, {s['providers']:,} active providers, {s['open_cases']:,} open cases "
            f"({s['open_cases'] / max(s['providers'], 1):.1f} per provider). The reviewer's center, whose pages are "
            f"measured: {mine['cases']:,} cases, {mine['open_cases']:,} open, {mine['providers']:,} providers "
            f"({mine['open_cases'] / max(mine['providers'], 1):.1f} open cases each).")


def staff_verdicts(rows: list[dict[str, Any]], reference: dict[str, int]) -> list[dict[str, Any]]:
    return [row | {"reference_queries": reference.get(row["page"]),
                   "met": row["ok"] and row["p95_ms"] <= STAFF_P95_MS and row["queries"] == reference.get(row["page"])}
            for row in rows]


def _target_cell(verdict: dict[str, Any]) -> str:
    if verdict["target"] is None:
        return "none"
    submit = " and p99 ≤ 100 ms" if verdict["workload"].startswith("receive") else ""
    return f"≥ {verdict['target']:.2f}{submit}"


def markdown(report: dict[str, Any]) -> str:
    yes = {True: "yes", False: "**no**", None: "(no target)"}
    lines = [f"# National size: {report['cases']:,} cases ({report['at']}, commit {report['commit']})", "",
             f"Database `{report['database']}`, {report['database_size']}, {report['cpus']} CPUs; "
             f"{report['server_settings']}.", "", "Rows:", "",
             "| table | rows |", "|---|---|"]
    lines += [f"| {t} | {n:,} |" for t, n in report["rows"].items()]
    if report.get("spread"):
        lines += ["", _spread_line(report["spread"])]
    if report.get("rebuild"):
        lines += ["", "The rollups did not match the raw tables (the grower writes rows, not rollups) and were "
                      f"rebuilt in this run (`manage.py stats_rebuild`): {report['rebuild']['cells']:,} cells in "
                      f"{report['rebuild']['seconds']:,} s; the table above counts the rebuilt rollups."]
    lines += ["", f"## 1. Throughput under wrk ({report['connections']} connections, {report['workers']} workers, "
              f"{report['seconds_per_run']} s runs, twice each beside the baseline)", "",
              "| workload | rps | baseline rps | ratio | target | p99 ms | errors | met |",
              "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {v['workload']} | {v['rps']} | {v['baseline_rps']} | {v['ratio']:.2f} | {_target_cell(v)} "
              f"| {v['p99_ms']} | {v['errors']} | {yes[v['met']]} |" for v in report["throughput"]]
    lines += ["", report["wrk_table"], "",
              f"## 2. Staff pages, one client ({report['requests']} requests each; queries against a "
              f"{REFERENCE_SIZE:,}-case database in the same run)", "",
              "| page | p50 ms | p95 ms (≤ 50) | queries | at 1,000 | met |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} | {r['reference_queries']} "
              f"| {yes[r['met']]} |" for r in report["staff"]]
    lines += ["", "## 3. Dashboards and the annual report", "", report["dashboards_table"], ""]
    if any(report["mismatches"].values()):
        lines += ["Rollup figures that differ from the naive GROUP BY:", "",
                  *[f"- {k}: {v[:5]}" for k, v in report["mismatches"].items() if v], ""]
    if report.get("bureau_pages_table"):
        lines += ["## 4. Every office page of the city bureau (one client, following links two deep; no target: "
                  f"flagged over {crawl.SLOW_MS:,.0f} ms or {crawl.BIG_BYTES / 1e6:.0f} MB)", "",
                  report["bureau_pages_table"], ""]
    verdict = "yes" if report["all_met"] else "no"
    lines += [f"Every target met: **{verdict}** ({report['seconds']:,} s for the whole run).", ""]
    return "\n".join(lines)


def _count(table: str) -> int:
    from . import dashboards

    return int(dashboards.run_sql(f"SELECT count(*) FROM {table}", {})[0][0])  # noqa: S608 (fixed names)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench national",
                                     description="国家规模数据库上的一次完整基准：提交、工作列表、看板与年度报告")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="已增长的 PostgreSQL 数据库（默认取 DATABASE_URL）")
    parser.add_argument("--cases", type=int, default=0, help="先增长到这么多件（默认 0：按现有数据测量）")
    parser.add_argument("--audit-days", type=int, default=None, help="增长时只写最近 N 天的审计记录")
    parser.add_argument("--centers", type=int, default=None,
                        help="增长时按全国模型分布到 N 个中心（见 bench/country.py；默认只用演示城市的中心）")
    parser.add_argument("--persons", type=int, default=2000, help="空库时 seed_demo 的人员数（默认 2000）")
    parser.add_argument("--year", type=int, default=dt.datetime.now(tz=dt.UTC).year, help="年度报告的年度")
    parser.add_argument("--seconds", type=float, default=15.0, help="每次 wrk 运行秒数（默认 15）")
    parser.add_argument("--requests", type=int, default=50, help="单客户端每页请求数（默认 50）")
    parser.add_argument("--connections", type=int, default=16, help="wrk 并发连接数（默认 16）")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn 工作进程数（默认 5）")
    parser.add_argument("--quick", action="store_true", help="每次 wrk 3 秒、每页 10 次请求（检查能否跑通）")
    parser.add_argument("--reference", metavar="URL", help=argparse.SUPPRESS)  # the child of reference_queries
    args = parser.parse_args(argv)
    if args.reference:
        return _reference_main(args.reference, args.persons)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench national 需要 PostgreSQL：请给出 --database-url 或设置 DATABASE_URL。")
    if shutil.which("wrk") is None:
        raise SystemExit("找不到 wrk：请先 `make sysdeps`（apt-get install wrk）。")
    seconds, requests = (3.0, 10) if args.quick else (args.seconds, args.requests)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="fayuan-national-"))
    url = args.database_url
    # The self-check is rate limited per address: loopback would be refused after 60 a minute.
    env = app_env(database_url=url, media_root=folder / "media", STATIC_ROOT=str(folder / "static"),
                  ELIGIBILITY_RATE_LIMIT="0")
    django_setup(env)
    from . import dashboards
    from .atsize import measure
    from .capacity import GROWING
    from .load import _commit, _cpus, build_app_world, check_first_answers, ratio_table, run_pairs, workloads

    grown = (dashboards.ensure_size(url, args.cases, args.persons, audit_days=args.audit_days, centers=args.centers)
             if args.cases else None)
    from fayuan.cases.models import Case
    from fayuan.stats.models import Tally

    rebuilt = None
    if grown is not None or not Tally.objects.exists():
        print("重建统计汇总（manage.py stats_rebuild）……", flush=True)
        rebuilt = dashboards.rebuild(env)
    print(f"参照库：{REFERENCE_SIZE} 件时各页面的查询数……", flush=True)
    reference = reference_queries(url, persons=200)
    base_env = dashboards.baseline_env(url)
    cases = Case.objects.count()
    rows = {t: _count(t) for t in GROWING}
    cases_spread = spread()

    print("1. wrk：自测、提交、审查队列、案件页……", flush=True)
    world = build_app_world(cases=0)
    loads = workloads(world)
    app = AppServer(env, workers=args.workers, log=folder / "app.log")
    baseline = AppServer(base_env, workers=args.workers, log=folder / "baseline.log", wsgi="bench.baseline.wsgi")
    with app, baseline:
        app.wait_ready()
        baseline.wait_ready()
        check_first_answers(app, baseline, loads)
        runs = run_pairs(app, baseline, loads, folder, seconds=seconds, warmup=1 if args.quick else 5,
                         connections=args.connections, threads=2)

    print("2. 单客户端：各工作列表与案件页……", flush=True)
    # As in the reference: a center of the country model is small (71 open cases in the run of 2026-12-06T190642),
    # and with nothing due today its tab asked two statements fewer than the reference, failing the same-count rule.
    _one_due_today()
    client, session, case_path = _reviewer_client()
    staff = staff_verdicts(measure(env, folder, session, client, case_path, requests, cases), reference)

    print("3. 看板与年度报告……", flush=True)
    lines, mismatches = dashboards.measure_sql(args.year, 3 if args.quick else 20, 1 if args.quick else 3)
    if any(mismatches.values()) and rebuilt is None:
        # The grower writes rows, not the rollups the services keep: rebuild them once, then measure again.
        print("汇总与原始表不一致：重建统计汇总（manage.py stats_rebuild）后重新计时……", flush=True)
        rebuilt = dashboards.rebuild(env)
        rows["stats_tally"] = _count("stats_tally")  # the rebuilt rollups, not the stale ones counted above
        lines, mismatches = dashboards.measure_sql(args.year, 3 if args.quick else 20, 1 if args.quick else 3)
    lines += dashboards.measure_stored_sums(3 if args.quick else 5)  # a country's scope: what a refresh costs
    pages = {"city dashboard": dashboards.DASHBOARD_PATH,
             "annual report": dashboards.REPORT_PATH.format(year=args.year)}
    lines += dashboards.measure_pages(env, base_env, folder, pages, requests=requests,
                                      wrk_seconds=seconds, connections=4)

    print("4. 市局可打开的每个办公页面……", flush=True)
    with AppServer(env, workers=2, log=folder / "crawl.log") as crawl_app:
        crawl_app.wait_ready()
        crawled = crawl.crawl(crawl_app.base_url, _session_of("demo_bureau"), limit=60 if args.quick else 200,
                              requests=1 if args.quick else 3)
    shutil.rmtree(folder, ignore_errors=True)

    throughput = throughput_verdicts(runs)
    dashboards_met = all(x.ok and (x.part == "wrk" or x.part == "SQL" or x.within_budget) for x in lines)
    now = dt.datetime.now(tz=dt.UTC)
    report: dict[str, Any] = {
        "kind": "national", "at": now.isoformat(timespec="seconds"), "commit": _commit(),
        "database": url.rsplit("/", 1)[-1], "cases": cases, "rows": rows, "cpus": _cpus(),
        "database_size": dashboards.database_size(), "server_settings": dashboards.server_settings(),
        "grow": grown, "rebuild": rebuilt, "spread": cases_spread, "connections": args.connections,
        "workers": args.workers,
        "seconds_per_run": seconds, "requests": requests, "throughput": throughput, "wrk_table": ratio_table(runs),
        "runs": [{k: v for k, v in vars(r).items() if k != "raw"} for r in runs], "staff": staff,
        "dashboards": [vars(x) | {"ratio": x.ratio, "within_budget": x.within_budget} for x in lines],
        "dashboards_table": dashboards.table(lines), "mismatches": mismatches,
        "bureau_pages": [vars(p) for p in crawled], "bureau_pages_table": crawl.table(crawled),
        "all_met": all(v["met"] is not False for v in throughput) and all(r["met"] for r in staff) and dashboards_met
        and not any(mismatches.values()),
    }
    report["seconds"] = round(time.monotonic() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"national-{now:%Y-%m-%dT%H%M%S}"
    text = markdown(report)
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str),
                                         encoding="utf-8")
    print(f"\n{text}\n结果已写入 {stem.relative_to(ROOT)}.md/.json")
    return 0 if report["all_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
