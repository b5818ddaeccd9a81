"""``python -m bench load --at-size N``: one client's latency and the SQL queries of every staff list and the case
page, with 1,000 cases and with N.

A private PostgreSQL instance gets a small demo city, then ``bench grow`` to 1,000 cases: each page is measured
(p50/p95 over ``--requests`` sequential requests through gunicorn, signed in as the demo reviewer past the second
factor; and its SQL statements counted once in this process through Django's test client); then the same database
grows to N and the same pages, the same case, are measured again. The pages should not slow down nor run more
queries as the database grows. Results: ``bench/results/atsize-<UTC date and time>.json`` and a table.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .server import ROOT, AppServer, PrivatePostgres, app_env, django_setup, prepare

RESULTS = ROOT / "bench" / "results"
FIRST_SIZE = 1000

# Every staff list (the queue's tabs, the people, consultations and deadlines lists), a deep page of "all cases"
# (reached by following "下一页" 49 times: keyset pages) and the case page.
PAGES = [
    ("queue: to do", "/office/cases/"),
    ("queue: due today", "/office/cases/?tab=today"),
    ("queue: overdue", "/office/cases/?tab=overdue"),
    ("queue: all cases", "/office/cases/?tab=all"),
    ("queue: all cases, page 50", "{page50}"),
    ("people list", "/office/people/"),
    ("consultations list", "/office/consultations/"),
    ("deadlines queue", "/office/deadlines/"),
    ("case page", "{case}"),
]


def allow_test_client() -> None:
    """Django's test environment in this process (the test client's host "testserver" allowed, for counting a page's
    queries in process), once: a run that measures pages twice must not set it up twice (Django refuses)."""
    from django.test.utils import _TestState, setup_test_environment

    if not hasattr(_TestState, "saved_data"):
        setup_test_environment()


def fiftieth_page(client: Any) -> str:
    """The URL of the 50th page of "all cases", following the next-page links (cursors) from the first."""
    import re

    path = "/office/cases/?tab=all"
    for _ in range(49):
        found = re.search(r'href="\?([^"]*after=[\w-]+)" rel="next"', client.get(path).content.decode())
        if found is None:
            break
        path = "/office/cases/?" + found.group(1).replace("&amp;", "&")
    return path


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed_gets(base_url: str, path: str, session: str, n: int) -> tuple[list[float], int]:
    """``n`` sequential GETs after two untimed ones; the latencies in ms and the last status."""
    status = 0
    samples = []
    for i in range(n + 2):
        request = urllib.request.Request(base_url + path, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if i >= 2:
            samples.append((time.perf_counter() - began) * 1000)
    return samples, status


def count_queries(client: Any, path: str) -> tuple[int, int]:
    """SQL statements of one request through Django's test client in this process (an execute wrapper: the
    request_started signal clears Django's own query log), and the status."""
    from django.db import connection

    seen = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen[0] += 1
        return execute(sql, params, many, context)

    client.get(path)  # once untimed: per-process caches warm, as in a running worker
    seen[0] = 0
    with connection.execute_wrapper(count):
        status = client.get(path).status_code
    return seen[0], status


def measured_case(center: Any) -> Any:
    """The case whose page is measured: the center's newest civil case in progress (the same kind at both sizes: a
    criminal case's page asks one more query, which would read as a query that grows with the data), else its
    newest case."""
    from fayuan.cases.models import Case

    mine = Case.objects.filter(center=center).order_by("-received_at")
    return (mine.filter(status="in_progress", case_type="civil").first() or mine.filter(status="in_progress").first()
            or mine.first())


def measure(env: dict[str, str], folder: Path, session: str, client: Any, case_path: str, requests: int,
            size: int) -> list[dict[str, Any]]:
    rows = []
    with AppServer(env, workers=2, log=folder / f"app-{size}.log") as app:
        app.wait_ready()
        page50 = fiftieth_page(client)
        for name, template in PAGES:
            path = template.format(case=case_path, page50=page50)
            samples, status = timed_gets(app.base_url, path, session, requests)
            queries, in_process_status = count_queries(client, path)
            rows.append({"page": name, "path": path, "size": size, "p50_ms": round(statistics.median(samples), 1),
                         "p95_ms": round(percentile(samples, 0.95), 1), "queries": queries, "status": status,
                         "ok": status == 200 and in_process_status == 200})
            print(f"  {size:>9,} 件 {name}: p50 {rows[-1]['p50_ms']} ms, p95 {rows[-1]['p95_ms']} ms, "
                  f"{queries} queries, HTTP {status}", flush=True)
    return rows


def table(rows: list[dict[str, Any]], size: int) -> str:
    lines = [f"| page | p50 ms @{FIRST_SIZE:,} | p95 ms @{FIRST_SIZE:,} | queries @{FIRST_SIZE:,} "
             f"| p50 ms @{size:,} | p95 ms @{size:,} | queries @{size:,} |",
             "|---|---|---|---|---|---|---|"]
    for name, _ in PAGES:
        small = next(r for r in rows if r["page"] == name and r["size"] == FIRST_SIZE)
        big = next(r for r in rows if r["page"] == name and r["size"] == size)
        flag = "" if small["ok"] and big["ok"] else f" (HTTP {small['status']}/{big['status']})"
        lines.append(f"| {name}{flag} | {small['p50_ms']} | {small['p95_ms']} | {small['queries']} | {big['p50_ms']} "
                     f"| {big['p95_ms']} | {big['queries']} |")
    return "\n".join(lines)


def main(*, size: int, requests: int, persons: int) -> int:
    if size <= FIRST_SIZE:
        raise SystemExit(f"--at-size 须大于 {FIRST_SIZE}。")
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="fayuan-atsize-"))
    print("启动私有 PostgreSQL 实例……", flush=True)
    with PrivatePostgres.create() as pg:
        url = pg.create_database("fayuan_atsize_bench")
        env = app_env(database_url=url, media_root=folder / "media", STATIC_ROOT=str(folder / "static"))
        django_setup(env)
        print("迁移并生成演示数据……", flush=True)
        prepare(persons=persons)
        from django.test import Client

        from fayuan.accounts.models import User
        from fayuan.accounts.testing import sign_in
        from fayuan.cases.models import Case

        from .faults import build_world
        from .grow import grow

        allow_test_client()
        world = build_world()
        reviewer = User.objects.get(username="demo_reviewer")
        client = Client()
        sign_in(client, reviewer)
        grows = [grow(FIRST_SIZE, seed=1, verbose=False)]
        case = measured_case(reviewer.center)
        if case is None:
            raise SystemExit("审查人员所在中心没有案件。")
        case_path = f"/office/cases/{case.public_id}/"
        rows = measure(env, folder, world.session, client, case_path, requests, FIRST_SIZE)
        print(f"增长到 {size:,} 件……", flush=True)
        grows.append(grow(size - FIRST_SIZE, seed=2))
        print(f"  {grows[-1]['cases']:,} 件用时 {grows[-1]['seconds']} 秒（{grows[-1]['cases_per_second']:,} 件/秒）",
              flush=True)
        in_center = Case.objects.filter(center=reviewer.center).count()
        rows += measure(env, folder, world.session, client, case_path, requests, size)
    shutil.rmtree(folder, ignore_errors=True)
    now = dt.datetime.now(tz=dt.UTC)
    text = table(rows, size)
    from .load import _commit

    report = {"kind": "atsize", "at": now.isoformat(timespec="seconds"), "commit": _commit(), "size": size,
              "first_size": FIRST_SIZE,
              "requests_per_page": requests, "reviewer_center_cases": in_center, "grow": grows, "rows": rows,
              "table": text}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"atsize-{now:%Y-%m-%dT%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n审查人员所在中心 {in_center:,} 件。\n\n{text}\n")
    bad = [r for r in rows if not r["ok"]]
    print(f"{'有页面未返回 200' if bad else '全部页面返回 200'}（用时 {time.monotonic() - started:.0f} 秒）；"
          f"结果已写入 {out.relative_to(ROOT)}")
    return 1 if bad else 0
