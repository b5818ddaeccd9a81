"""``python -m bench dashboards``: the city dashboard and the annual report at size (issue 14), against the naive
GROUP BY over the raw tables that a dashboard without rollups would run, timed in the same run.

    python -m bench dashboards                                   # 10,000,000 cases in fayuan_benchdash
    python -m bench dashboards --cases 100000 --database-url postgres://postgres@127.0.0.1:5432/fayuan_benchdash_small
    python -m bench dashboards --dashboard-path /office/stats/criminal/ --report-path /office/stats/criminal/

1. The database (PostgreSQL, ``--database-url``) is grown by ``bench/grow.py`` to ``--cases`` cases, or reused when
   it already holds that many (counted). After a grow, when the tally is empty, or with ``--rebuild``, the rollups are
   recomputed by ``manage.py stats_rebuild`` in a child process, timed.
2. SQL, each statement timed (median and p95 over ``--sql-repeat`` runs, ``--naive-repeat`` for the naive ones, after
   one untimed run) beside ``SELECT 1``:
   the naive dashboard (aided cases per center, month and case type for ``--year``: cases joined to their first
   granting event), the naive annual report (per district: applications by channel, aided by type, refusals by
   type, closings with the money recovered, statutory deadlines met on time or late) and the same figures summed
   from ``stats_tally``. The two sides must agree cell for cell; a difference is reported and fails the run.
3. Pages through gunicorn on the same database, signed in as the city bureau (``demo_bureau``, past the second
   factor): p50/p95 of ``--requests`` sequential requests (one client: the latency a user sees), and requests per
   second under ``wrk`` (``--connections``; ``--wrk-seconds 0`` skips it), each beside the bare baseline page of
   ``bench/baseline`` (its own database on the same server) measured the same way in the same run.
Results: ``bench/results/dashboards-<UTC date and time>.md`` and ``.json`` (small text files, committed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .atsize import allow_test_client, count_queries, percentile, timed_gets
from .server import ROOT, AppServer, app_env, django_setup

RESULTS = ROOT / "bench" / "results"
DEFAULT_CASES = 10_000_000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fayuan_benchdash"
DEFAULT_YEAR = 2026
DASHBOARD_PATH = "/office/stats/dashboard/"
REPORT_PATH = "/office/stats/reports/?period={year}"
BUDGET_MS = 200.0  # issue 14: the dashboard and the annual report answer within this
BASELINE_PATHS = [f"/page/item{n:05d}/" for n in range(0, 1000, 37)]  # bench/baseline's bare page, as load.py
TZ = "Asia/Shanghai"  # settings.TIME_ZONE: a rollup month is the calendar month in Beijing time (attribution.py)
AIDED = ("granted", "aid_first")  # measures.AIDED_STATUSES: aid began when a case first entered one of these


# --- Pure parts (bench/tests) ------------------------------------------------------------------------------------

@dataclass
class Line:
    """One line of the table: a statement or a page, its latency and its baseline measured the same way."""

    part: str  # "SQL" or "page" or "wrk"
    name: str
    p50_ms: float
    p95_ms: float
    baseline_p50_ms: float | None = None
    rows: int | None = None  # result rows (SQL), SQL queries (page)
    rps: float | None = None
    baseline_rps: float | None = None
    ok: bool = True
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Latency over the baseline's (p50); for wrk, throughput: baseline rps over ours (higher is slower too)."""
        if self.rps is not None and self.baseline_rps:
            return round(self.baseline_rps / self.rps, 2) if self.rps else None
        return round(self.p50_ms / self.baseline_p50_ms, 1) if self.baseline_p50_ms else None

    @property
    def within_budget(self) -> bool:
        return self.ok and self.p95_ms <= BUDGET_MS


def summary(samples: Sequence[float]) -> tuple[float, float]:
    """Median and p95 of latencies in ms, rounded to 0.1 ms."""
    return round(statistics.median(samples), 1), round(percentile(list(samples), 0.95), 1)


def compare(naive: dict[tuple, tuple[int, Decimal]], tally: dict[tuple, tuple[int, Decimal]]) -> list[str]:
    """The cells where the naive figures and the tally's differ (an empty list when they agree); zero cells count
    as missing on either side."""
    zero = (0, Decimal("0.00"))
    keys = sorted({k for k, v in naive.items() if v != zero} | {k for k, v in tally.items() if v != zero}, key=str)
    return [f"{k}: naive {naive.get(k, zero)} tally {tally.get(k, zero)}" for k in keys
            if naive.get(k, zero) != tally.get(k, zero)]


def fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def table(lines: list[Line]) -> str:
    rows = ["| part | what | p50 ms | p95 ms | baseline p50 ms | ratio | rps / baseline rps | ≤200 ms "
            "| rows or queries |",
            "|---|---|---|---|---|---|---|---|---|"]
    for x in lines:
        flag = "" if x.ok else " **(failed)**"
        note = f" ({x.note})" if x.note else ""
        rps = f"{fmt(x.rps, 0)} / {fmt(x.baseline_rps, 0)}" if x.rps is not None else ""
        budget = "" if x.part == "wrk" else ("yes" if x.within_budget else "no")
        rows.append(f"| {x.part} | {x.name}{note}{flag} | {fmt(x.p50_ms)} | {fmt(x.p95_ms)} | "
                    f"{fmt(x.baseline_p50_ms, 2)} | {fmt(x.ratio, 2 if x.part == 'wrk' else 1)} | {rps} | {budget} | "
                    f"{'' if x.rows is None else x.rows} |")
    return "\n".join(rows)


@dataclass
class Report:
    at: str
    commit: str
    database: str
    cases: int
    year: int
    cpus: int
    database_size: str = ""
    server_settings: str = ""  # the PostgreSQL settings that weigh on these figures (SHOW)
    grow: dict[str, Any] | None = None
    rebuild: dict[str, Any] | None = None
    lines: list[Line] = field(default_factory=list)
    mismatches: dict[str, list[str]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)

    def markdown(self) -> str:
        grow = (f"grown by {self.grow['cases']:,} cases in {self.grow['seconds']:,} s "
                f"({self.grow['cases_per_second']:,} cases/s)" if self.grow else "reused (already at size)")
        rebuild = (f"`manage.py stats_rebuild` {self.rebuild['seconds']:,} s, {self.rebuild['cells']} cells, "
                   f"peak memory {self.rebuild['max_rss_mb']:,} MB" if self.rebuild else "tally reused (no rebuild)")
        agree = ("the naive SQL and the tally agree cell for cell" if not any(self.mismatches.values()) else
                 "**the naive SQL and the tally differ**: " + "; ".join(
                     f"{k}: {len(v)} cells (first: {v[0]})" for k, v in self.mismatches.items() if v))
        pages = ", ".join(f"{k} `{v}`" for k, v in self.pages.items())
        return "\n".join([
            f"# Dashboards at size: {self.cases:,} cases ({self.at})", "",
            f"Commit {self.commit}; PostgreSQL database `{self.database}` ({self.database_size}); {self.cpus} CPUs; "
            f"year {self.year}.", "",
            f"- Server: {self.server_settings}.",
            f"- Database: {grow}.", f"- Rollups: {rebuild}.", f"- Figures: {agree}.", f"- Pages: {pages}.", "",
            "Latency: SQL statements in this process (median/p95 after one untimed run), baseline `SELECT 1`; pages "
            "one client through gunicorn, baseline the bare page of bench/baseline. Ratio = p50 / baseline p50 "
            "(wrk lines: baseline rps / page rps). ≤200 ms is judged on p95.", "",
            table(self.lines), ""])

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["lines"] = [{**asdict(x), "ratio": x.ratio, "within_budget": x.within_budget} for x in self.lines]
        data["table"] = table(self.lines)
        return data


# --- SQL: the naive figures and the tally's ------------------------------------------------------------------------

FIRST_AID = f"""
    first_aid AS (SELECT case_id, MIN(at) AS at FROM cases_caseevent
                  WHERE to_status IN ({", ".join(f"'{s}'" for s in AIDED)}) GROUP BY case_id)"""  # noqa: S608 (constants only)
DISTRICT = "COALESCE(ce.district_id, st.district_id, ce.seat_district_id)"  # attribution.district_of
CASE_PLACE = "JOIN org_center ce ON ce.id = c.center_id LEFT JOIN org_station st ON st.id = c.receiving_station_id"
LOCAL_MONTH = f"date_trunc('month', {{col}} AT TIME ZONE '{TZ}')::date"

NAIVE_DASHBOARD = f"""
WITH {FIRST_AID}
SELECT c.center_id, {LOCAL_MONTH.format(col="f.at")}, c.case_type, COUNT(*), 0
FROM first_aid f JOIN cases_case c ON c.id = f.case_id
WHERE f.at >= %(start)s AND f.at < %(end)s
GROUP BY 1, 2, 3"""  # noqa: S608 (constants only)

TALLY_DASHBOARD = """
SELECT center_id, month, split_part(key, '|', 1), SUM(count), 0 FROM stats_tally
WHERE measure = 'aided' AND month >= %(first)s AND month < %(next)s
GROUP BY 1, 2, 3"""

# A deadline met late: measures use Deadline.met_late; the same rule in SQL.
MET_LATE = (f"CASE WHEN d.paused_at IS NOT NULL AND d.met_at >= d.paused_at THEN 'on_time' "
            f"WHEN d.due_at IS NOT NULL THEN CASE WHEN d.met_at > d.due_at THEN 'late' ELSE 'on_time' END "
            f"WHEN (d.met_at AT TIME ZONE '{TZ}')::date > d.due_on THEN 'late' ELSE 'on_time' END")

NAIVE_REPORT = f"""
WITH {FIRST_AID}
SELECT 'applications', {DISTRICT}, c.channel, COUNT(*), 0 FROM cases_case c {CASE_PLACE}
 WHERE c.received_at >= %(start)s AND c.received_at < %(end)s GROUP BY 2, 3
UNION ALL
SELECT 'aided', {DISTRICT}, c.case_type, COUNT(*), 0 FROM first_aid f JOIN cases_case c ON c.id = f.case_id {CASE_PLACE}
 WHERE f.at >= %(start)s AND f.at < %(end)s GROUP BY 2, 3
UNION ALL
SELECT 'refused', {DISTRICT}, c.case_type, COUNT(*), 0 FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
 {CASE_PLACE} WHERE e.kind = 'refuse' AND e.at >= %(start)s AND e.at < %(end)s GROUP BY 2, 3
UNION ALL
SELECT 'closed', {DISTRICT}, c.case_type, COUNT(*), COALESCE(SUM(cf.money_recovered), 0)
 FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id {CASE_PLACE}
 LEFT JOIN LATERAL (SELECT money_recovered FROM cases_closingfile x
                    WHERE x.case_id = e.case_id AND x.accepted AND x.reviewed_at <= e.at
                    ORDER BY x.reviewed_at DESC, x.id DESC LIMIT 1) cf ON true
 WHERE e.kind = 'accept_closing' AND e.at >= %(start)s AND e.at < %(end)s GROUP BY 2, 3
UNION ALL
SELECT 'deadline', {DISTRICT}, r.code || '|' || {MET_LATE}, COUNT(*), 0
 FROM deadlines_deadline d JOIN deadlines_deadlinerule r ON r.id = d.rule_id
 JOIN cases_case c ON c.id = d.subject_id {CASE_PLACE}
 WHERE d.subject_type_id = %(case_type)s AND d.met_at >= %(start)s AND d.met_at < %(end)s GROUP BY 2, 3"""  # noqa: S608

TALLY_REPORT = """
SELECT measure, district_id, CASE WHEN measure = 'aided' THEN split_part(key, '|', 1) ELSE key END,
       SUM(count), SUM(amount)
FROM stats_tally
WHERE month >= %(first)s AND month < %(next)s AND measure IN ('applications', 'aided', 'refused', 'closed', 'deadline')
GROUP BY 1, 2, 3"""


def year_params(year: int) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from django.contrib.contenttypes.models import ContentType

    from fayuan.cases.models import Case

    tz = ZoneInfo(TZ)
    return {"start": dt.datetime(year, 1, 1, tzinfo=tz), "end": dt.datetime(year + 1, 1, 1, tzinfo=tz),
            "first": dt.date(year, 1, 1), "next": dt.date(year + 1, 1, 1),
            "case_type": ContentType.objects.get_for_model(Case).pk}


def run_sql(sql: str, params: dict[str, Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def timed_sql(sql: str, params: dict[str, Any], repeat: int) -> tuple[list[float], list[tuple]]:
    rows = run_sql(sql, params)  # untimed: plans and caches warm, as in a running server
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        rows = run_sql(sql, params)
        samples.append((time.perf_counter() - began) * 1000)
    return samples, rows


def as_cells(rows: list[tuple]) -> dict[tuple, tuple[int, Decimal]]:
    cells: dict[tuple, tuple[int, Decimal]] = {}
    for *address, n, amount in rows:
        key = tuple(str(a) if isinstance(a, dt.date) else a for a in address)
        before = cells.get(key, (0, Decimal("0.00")))
        cells[key] = (before[0] + int(n), (before[1] + Decimal(amount)).quantize(Decimal("0.01")))
    return cells


def measure_sql(year: int, repeat: int, naive_repeat: int) -> tuple[list[Line], dict[str, list[str]]]:
    params = year_params(year)
    base, _ = timed_sql("SELECT 1", {}, max(repeat, 20))
    b50, b95 = summary(base)
    lines = [Line("SQL", "baseline: SELECT 1", b50, b95, b50)]
    found: dict[str, dict[str, list[tuple]]] = {}
    for figure, naive, rolled in (("dashboard", NAIVE_DASHBOARD, TALLY_DASHBOARD),
                                  ("annual report", NAIVE_REPORT, TALLY_REPORT)):
        # The naive statements take minutes at 10M cases: fewer runs of them (their p95 is then their slowest).
        for side, sql, n in (("naive GROUP BY on the raw tables", naive, naive_repeat),
                             ("summed from stats_tally", rolled, repeat)):
            samples, rows = timed_sql(sql, params, n)
            p50, p95 = summary(samples)
            lines.append(Line("SQL", f"{figure}: {side}", p50, p95, b50, rows=len(rows)))
            found.setdefault(figure, {})[side] = rows
            print(f"  SQL {figure}, {side}: p50 {p50} ms, p95 {p95} ms, {len(rows)} rows", flush=True)
    mismatches = {figure: compare(as_cells(sides["naive GROUP BY on the raw tables"]),
                                  as_cells(sides["summed from stats_tally"])) for figure, sides in found.items()}
    for x in lines:
        if x.name.split(":")[0] in mismatches and mismatches[x.name.split(":")[0]]:
            x.ok, x.note = False, "figures differ"
    return lines, mismatches


def measure_stored_sums(repeat: int) -> list[Line]:
    """What the dashboard of a scope with thousands of centers costs when its stored sums are stale: one refresh
    (``stats.services.scope_sums_store``), for each such scope; then the whole job that does it every 10 minutes
    with the report page's and the funding page's sums. Nothing on a city's database (its scopes sum live: the
    page lines show them)."""
    from django.utils import timezone

    from fayuan.stats.dashboard import period_for, summed_scopes
    from fayuan.stats.services import scope_sums_store

    lines = []
    today = timezone.localdate()
    period = period_for(None, today)
    for scope in summed_scopes():
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            cells = scope_sums_store(scope=scope, period=period, today=today)
            samples.append((time.perf_counter() - began) * 1000)
        p50, p95 = summary(samples)
        rows = len(cells.by_key) + len(cells.aided_by_district) + len(cells.quality_by_center)
        lines.append(Line("SQL", f"dashboard: stored sums refreshed ({scope.title}, {len(scope.centers):,} centers)",
                          p50, p95, rows=rows))
        print(f"  stored sums of {scope.title}: p50 {p50} ms, p95 {p95} ms, {rows} rows", flush=True)
    if lines:
        # The whole job, as the scheduler runs it every 10 minutes: the dashboards' sums, the report page's four
        # periods and the funding page's closings. It also leaves them fresh for the pages measured after it, as
        # the schedule keeps them in production (a page that finds them stale sums or counts them itself).
        from fayuan.stats.tasks import sum_big_scopes

        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            stored = sum_big_scopes.call()
            samples.append((time.perf_counter() - began) * 1000)
        p50, p95 = summary(samples)
        lines.append(Line("SQL", f"the job sum_big_scopes ({stored} sums: dashboards, report periods, closings)",
                          p50, p95, rows=stored))
        print(f"  job sum_big_scopes: p50 {p50} ms, p95 {p95} ms, {stored} sums", flush=True)
    return lines


# --- Pages through gunicorn --------------------------------------------------------------------------------------

def measure_pages(env: dict[str, str], base_env: dict[str, str], folder: Path, pages: dict[str, str], *,
                  requests: int, wrk_seconds: float, connections: int) -> list[Line]:
    from django.test import Client

    from fayuan.accounts.models import User
    from fayuan.accounts.testing import sign_in

    from .load import Target, as_run, wrk

    allow_test_client()  # the test client's host "testserver" allowed in this process (query counts)
    bureau = User.objects.get(username="demo_bureau")
    client = Client()
    sign_in(client, bureau)  # a session row in the database: gunicorn's workers read the same cookie
    session = client.cookies["sessionid"].value
    lines: list[Line] = []
    app = AppServer(env, workers=2, log=folder / "app.log")
    baseline = AppServer(base_env, workers=2, log=folder / "baseline.log", wsgi="bench.baseline.wsgi")
    with app, baseline:
        app.wait_ready()
        baseline.wait_ready()

        def bare() -> list[float]:
            return [s for path in BASELINE_PATHS[:5] for s in timed_gets(baseline.base_url, path, "",
                                                                        max(1, requests // 5))[0]]

        # The baseline before and after the pages, pooled: a drift of the machine weighs on both sides alike.
        base = bare()
        measured = []
        for name, path in pages.items():
            samples, status = timed_gets(app.base_url, path, session, requests)
            queries, in_process = count_queries(client, path)
            measured.append((name, path, samples, status, in_process, queries))
            print(f"  page {name} {path}: p50 {summary(samples)[0]} ms, HTTP {status}, {queries} queries", flush=True)
        base += bare()
        b50, b95 = summary(base)
        lines.append(Line("page", "baseline: bench/baseline bare page", b50, b95, b50))
        for name, path, samples, status, in_process, queries in measured:
            p50, p95 = summary(samples)
            ok = status == 200 and in_process == 200
            lines.append(Line("page", f"{name} `{path}`", p50, p95, b50, rows=queries, ok=ok,
                              note="" if ok else f"HTTP {status}"))
        if wrk_seconds > 0 and shutil.which("wrk"):
            base_target = Target("GET", BASELINE_PATHS)
            for n, (name, path) in enumerate(pages.items()):
                scripts = {"app": Target("GET", [path], {"Cookie": f"sessionid={session}"}).script(folder, f"p{n}"),
                           "baseline": base_target.script(folder, f"b{n}")}
                servers = {"app": app, "baseline": baseline}
                runs: dict[str, list[Any]] = {"app": [], "baseline": []}
                for side in ("app", "baseline", "baseline", "app"):  # as load.py: drift weighs on both sides
                    raw = wrk(servers[side].base_url, scripts[side], seconds=wrk_seconds, connections=connections,
                              threads=1)
                    runs[side].append(as_run(name, side, 0, raw))
                rps = statistics.fmean(r.rps for r in runs["app"])
                base_rps = statistics.fmean(r.rps for r in runs["baseline"])
                errors = sum(r.errors for r in runs["app"])
                lines.append(Line("wrk", f"{name}, {connections} connections", round(statistics.fmean(
                    r.p50_ms for r in runs["app"]), 1), round(max(r.p99_ms for r in runs["app"]), 1),
                    round(statistics.fmean(r.p50_ms for r in runs["baseline"]), 2), rps=round(rps, 1),
                    baseline_rps=round(base_rps, 1), ok=errors == 0, note="p95 column: p99" + (
                        f", {errors} errors" if errors else "")))
                print(f"  wrk {name}: {rps:.1f} rps against {base_rps:.1f}", flush=True)
    return lines


# --- The database ------------------------------------------------------------------------------------------------

def ensure_size(url: str, cases: int, persons: int, *, audit_days: int | None = None,
                centers: int | None = None) -> dict[str, Any] | None:
    """Grow the database to ``cases`` cases (bench/grow.py; over ``centers`` centers when given: bench/country.py),
    or nothing when it holds that many already."""
    from .grow import _ensure_database, _has_people, grow

    _ensure_database(url)
    from fayuan.cases.models import Case
    from fayuan.org.models import Center

    if not Center.objects.exists() or not _has_people():
        from .server import prepare

        print("空库：迁移并生成演示城市……", flush=True)
        prepare(persons=persons)
    else:
        # A database grown by an earlier commit: the code measured needs its schema (a new table, an index).
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=1)
    have = Case.objects.count()
    if have >= cases:
        print(f"数据库已有 {have:,} 件案件，直接使用。", flush=True)
        return None
    print(f"数据库有 {have:,} 件案件，增长到 {cases:,} 件……", flush=True)
    # A new seed per step: a resumed grow does not repeat itself.
    return grow(cases - have, seed=have + 1, audit_days=audit_days, centers_total=centers)


def rebuild(env: dict[str, str]) -> dict[str, Any]:
    """``manage.py stats_rebuild`` in a child process: its wall time and peak memory."""
    began = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", "stats_rebuild"], cwd=ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, check=False)
    seconds = round(time.monotonic() - began, 1)
    if result.returncode != 0:
        raise SystemExit(f"stats_rebuild 失败：\n{result.stdout}\n{result.stderr}")
    print(result.stdout, flush=True)
    from fayuan.stats.models import Tally

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # the largest child so far (Linux: KiB)
    return {"seconds": seconds, "cells": Tally.objects.count(), "max_rss_mb": peak, "output": result.stdout}


def baseline_env(url: str) -> dict[str, str]:
    """The bare baseline's own database on the same server (created and filled by bench.baseline.setup)."""
    from urllib.parse import urlsplit

    import psycopg

    from .load import _clean_env

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_baseline"
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**_clean_env(), "BASELINE_DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
           "DJANGO_SETTINGS_MODULE": "bench.baseline.settings", "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "bench.baseline.setup"], cwd=ROOT, check=True, env=env)
    return env


SETTINGS = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather",
            "jit")


def server_settings() -> str:
    return ", ".join(f"{name} {run_sql(f'SHOW {name}', {})[0][0]}" for name in SETTINGS)


def database_size() -> str:
    rows = run_sql("SELECT pg_size_pretty(pg_database_size(current_database()))", {})
    return str(rows[0][0])


# --- Main --------------------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench dashboards",
        description="城市看板与年度报告在 N 件案件时的响应时间（与原始表 GROUP BY、裸基线对比）")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="案件数（默认 10,000,000；已达到则直接使用）")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL 数据库（默认 {DEFAULT_URL}）")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="年度（默认 2026）")
    parser.add_argument("--dashboard-path", default=DASHBOARD_PATH, help=f"城市看板页面（默认 {DASHBOARD_PATH}）")
    parser.add_argument("--report-path", default="", help="年度报告页面（默认 /office/stats/reports/?period=<年度>）")
    parser.add_argument("--rebuild", action="store_true", help="即使汇总已有数据也运行 stats_rebuild")
    parser.add_argument("--sql-repeat", type=int, default=20, help="汇总表 SQL 计时次数（默认 20）")
    parser.add_argument("--naive-repeat", type=int, default=3, help="原始表 GROUP BY 计时次数（默认 3）")
    parser.add_argument("--requests", type=int, default=50, help="每页顺序请求数（默认 50）")
    parser.add_argument("--wrk-seconds", type=float, default=10.0, help="每次 wrk 运行秒数（默认 10；0 跳过）")
    parser.add_argument("--connections", type=int, default=4, help="wrk 并发连接数（默认 4）")
    parser.add_argument("--persons", type=int, default=2000, help="空库时 seed_demo 的人员数（默认 2000）")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench dashboards 需要 PostgreSQL。")
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="fayuan-dashboards-"))
    env = app_env(database_url=args.database_url, media_root=folder / "media", STATIC_ROOT=str(folder / "static"))
    django_setup(env)
    from .load import _commit, _cpus

    grown = ensure_size(args.database_url, args.cases, args.persons)
    from fayuan.cases.models import Case
    from fayuan.stats.models import Tally

    rebuilt = None
    if grown is not None or args.rebuild or not Tally.objects.exists():
        print("重建统计汇总（manage.py stats_rebuild）……", flush=True)
        rebuilt = rebuild(env)
        print(f"  用时 {rebuilt['seconds']} 秒，{rebuilt['cells']} 个单元", flush=True)
    now = dt.datetime.now(tz=dt.UTC)
    pages = {"city dashboard": args.dashboard_path,
             "annual report": args.report_path or REPORT_PATH.format(year=args.year)}
    report = Report(at=now.isoformat(timespec="seconds"), commit=_commit(),
                    database=args.database_url.rsplit("/", 1)[-1], cases=Case.objects.count(), year=args.year,
                    cpus=_cpus(), database_size=database_size(), server_settings=server_settings(), grow=grown,
                    rebuild=rebuilt, pages=pages)
    print("SQL 计时……", flush=True)
    lines, report.mismatches = measure_sql(args.year, args.sql_repeat, args.naive_repeat)
    print("页面计时（gunicorn）……", flush=True)
    lines += measure_pages(env, baseline_env(args.database_url), folder, pages, requests=args.requests,
                           wrk_seconds=args.wrk_seconds, connections=args.connections)
    report.lines = lines
    shutil.rmtree(folder, ignore_errors=True)
    write(report, now)
    bad = [x for x in lines if not x.ok]
    print(f"{'有失败项' if bad else '全部通过'}（用时 {time.monotonic() - started:.0f} 秒）")
    return 1 if bad else 0


def write(report: Report, now: dt.datetime, out: Path = RESULTS) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"dashboards-{now:%Y-%m-%dT%H%M%S}"
    stem.with_suffix(".md").write_text(report.markdown(), encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str),
                                         encoding="utf-8")
    print(f"\n{report.markdown()}\n结果已写入 {stem.relative_to(ROOT) if stem.is_relative_to(ROOT) else stem}.md/.json")
    return stem

