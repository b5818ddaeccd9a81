"""``python -m bench load``: Fayuan through gunicorn against a bare Django baseline, under wrk, on PostgreSQL.

    python -m bench load                 # 20 s per run, 16 connections
    python -m bench load --quick         # 3 s per run: does it all work
    python -m bench load --at-size 100000   # single-client latency and queries of the staff lists at size

A private PostgreSQL instance (bench/server.py) holds two databases: the app's (migrated, a small demo city from
seed_demo) and the baseline's (bench/baseline: one insert view, one page view, no Fayuan). Both are served by
gunicorn on loopback with the same number of workers. Each workload runs beside its baseline twice, in the order
app, baseline, baseline, app, so that a drift of the machine (other processes, a warming cache) weighs on both
sides alike. A run with any answer outside 2xx/3xx or any socket error is flagged. Results go to
``bench/results/load-<UTC date and time>.json``; the ratios (Fayuan rps / baseline rps) are printed as a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .server import ROOT, AppServer, PrivatePostgres, app_env, django_setup, prepare

RESULTS = ROOT / "bench" / "results"

# The wrk script: a request maker that cycles through the given paths and bodies, a fresh Idempotency-Key per
# request where asked, and a done() that prints the numbers as one JSON line (wrk's own text is for people).
LUA = r"""
local paths = %(paths)s
local bodies = %(bodies)s
local method = "%(method)s"
local headers = %(headers)s
local fresh_key = %(fresh_key)s
local counter = 0
local threads = {}
-- Globals, not locals: setup() (in wrk's main state) writes thread_id into each thread's globals, and init()
-- reads the nonce wrk() passes after "--". A local thread_id stayed 0 in every thread, so two threads sent the same
-- keys, and each run of a script sent its previous run's keys again: replays, not submits.
thread_id = 0
nonce = ""

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  nonce = args[1] or ""
end

function request()
  counter = counter + 1
  local i = (counter + thread_id * 7919) %% #paths + 1
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if fresh_key then h["Idempotency-Key"] = string.format("%(run)s-%%s-%%d-%%d", nonce, thread_id, counter) end
  local body = nil
  if #bodies > 0 then body = bodies[(counter + thread_id) %% #bodies + 1] end
  return wrk.format(method, paths[i], h, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "mean_us": %%f, "max_us": %%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a JSON string with \uXXXX escapes is not Lua: keep bodies ASCII


def lua_list(items: list[str]) -> str:
    return "{" + ", ".join(lua_string(i) for i in items) + "}"


@dataclass
class Target:
    """One side of a workload: where wrk sends what."""

    method: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)
    fresh_key: bool = False

    def script(self, folder: Path, name: str) -> Path:
        for body in self.bodies:
            if not body.isascii():
                raise ValueError("bodies must be ASCII (escape non-ASCII text in JSON as \\uXXXX)")
        text = LUA % {
            "paths": lua_list(self.paths), "bodies": lua_list(self.bodies), "method": self.method,
            "headers": "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in self.headers.items()) + "}",
            "fresh_key": "true" if self.fresh_key else "false", "run": uuid.uuid4().hex[:12],
        }
        path = folder / f"{name}.lua"
        path.write_text(text, encoding="utf-8")
        return path


@dataclass
class Workload:
    name: str
    app: Target
    baseline: Target
    baseline_name: str


@dataclass
class Run:
    workload: str
    side: str  # "fayuan" or "baseline"
    repetition: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int
    flagged: bool
    raw: dict[str, Any]


def wrk(url: str, script: Path, *, seconds: float, connections: int, threads: int) -> dict[str, Any]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
               "-s", str(script), url, "--", uuid.uuid4().hex[:12]]  # the nonce: this run's keys are its own
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")


def as_run(workload: str, side: str, repetition: int, raw: dict[str, Any]) -> Run:
    errors = sum(int(raw[k]) for k in ("connect", "read", "write", "status", "timeout"))
    seconds = raw["duration_us"] / 1e6
    return Run(workload=workload, side=side, repetition=repetition, rps=raw["requests"] / seconds,
               p50_ms=raw["p50_us"] / 1000, p90_ms=raw["p90_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
               requests=int(raw["requests"]), errors=errors, flagged=errors > 0 or raw["requests"] == 0, raw=raw)


def ratio_table(runs: list[Run]) -> str:
    """Markdown: one row per workload and repetition, Fayuan beside its baseline and their ratio."""
    lines = ["| workload | rep | Fayuan rps | p50 ms | p99 ms | baseline rps | p50 ms | p99 ms | ratio | flags |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    seen: list[tuple[str, int]] = []
    for r in runs:
        if (r.workload, r.repetition) not in seen:
            seen.append((r.workload, r.repetition))
    for workload, rep in seen:
        pair = {r.side: r for r in runs if r.workload == workload and r.repetition == rep}
        app, base = pair.get("fayuan"), pair.get("baseline")
        if app is None or base is None:
            continue
        ratio = app.rps / base.rps if base.rps else 0.0
        flags = ", ".join(f"{side}: {r.errors} errors" for side, r in pair.items() if r.flagged) or ""
        lines.append(f"| {workload} | {rep} | {app.rps:.0f} | {app.p50_ms:.0f} | {app.p99_ms:.0f} | {base.rps:.0f} "
                     f"| {base.p50_ms:.1f} | {base.p99_ms:.1f} | {ratio:.2f} | {flags} |")
    return "\n".join(lines)


# --- Setup -----------------------------------------------------------------------------------------------------

@dataclass
class AppWorld:
    token: str
    applicants: list[str]
    session: str
    district: str
    cases: list[str]


def build_app_world(*, cases: int) -> AppWorld:
    """The API token, signed-in office session (past the second factor) and applicants of bench/faults.py, plus a
    few cases received through the services so that the queue and case page have something to show."""
    from decimal import Decimal

    from fayuan.accounts.models import User
    from fayuan.cases import services
    from fayuan.cases.models import Case

    from .faults import build_world

    world = build_world()
    reviewer = User.objects.get(username="demo_reviewer")
    for i in range(cases):
        services.case_receive(actor=reviewer, data=services.ApplicationInput(
            applicant_id=world.applicants[i % len(world.applicants)], case_type="civil", matter="wages",
            matter_summary=f"基准-{i}", household_size=3, household_monthly_income=Decimal("3000")))
    district = reviewer.center.means_test_district if reviewer.center else None
    if district is None:
        raise SystemExit("演示中心未设置所在地行政区。")
    ids = [str(p) for p in Case.objects.filter(center=reviewer.center).order_by("-id")
           .values_list("public_id", flat=True)[:20]]
    return AppWorld(token=world.token, applicants=world.applicants, session=world.session, district=district.code,
                    cases=ids)


def workloads(world: AppWorld) -> list[Workload]:
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    check = json.dumps({"district_code": world.district, "application_date": today, "case_type": "civil",
                        "matter": "wages", "household_size": 3, "household_monthly_income": "3000.00",
                        "groups": ["migrant_worker"]})
    submits = [json.dumps({"applicant_id": a, "case_type": "civil", "matter": "wages",
                           "matter_summary": f"load test {n}", "household_size": 3,
                           "household_monthly_income": "3000.00"}) for n, a in enumerate(world.applicants)]
    inserts = [json.dumps({"name": f"row {n}", "amount": n}) for n in range(50)]
    json_headers = {"Content-Type": "application/json"}
    insert = Target("POST", ["/insert"], json_headers, inserts)
    page = Target("GET", [f"/page/item{n:05d}/" for n in range(0, 1000, 37)])
    office = {"Cookie": f"sessionid={world.session}"}
    return [
        Workload("self-check POST /api/v1/eligibility/check",
                 Target("POST", ["/api/v1/eligibility/check"], json_headers, [check]), insert, "bare insert"),
        Workload("receive an application POST /api/v1/cases",
                 Target("POST", ["/api/v1/cases"], {**json_headers, "Authorization": f"Bearer {world.token}"},
                        submits, fresh_key=True), insert, "bare insert"),
        # No target: the lightest signed-in office page (session, user, second factor, CSRF, CSP, the menu, five
        # statements), to tell what every office page pays before its own work from what the page itself costs.
        Workload("office home GET /office/ (floor of a signed-in page)", Target("GET", ["/office/"], office), page,
                 "bare page"),
        Workload("reviewer's queue GET /office/cases/", Target("GET", ["/office/cases/"], office), page, "bare page"),
        Workload("case page GET /office/cases/<id>/",
                 Target("GET", [f"/office/cases/{c}/" for c in world.cases], office), page, "bare page"),
    ]


def check_first_answers(app: AppServer, baseline: AppServer, loads: list[Workload]) -> None:
    """One request of each kind before any timing: a misconfigured workload fails here with the answer's text, not
    as a run full of errors."""
    import urllib.error
    import urllib.request

    for w in loads:
        for server, target in ((app, w.app), (baseline, w.baseline)):
            headers = dict(target.headers)
            if target.fresh_key:
                headers["Idempotency-Key"] = str(uuid.uuid4())
            body = target.bodies[0].encode() if target.bodies else None
            request = urllib.request.Request(  # noqa: S310 (loopback http)
                server.base_url + target.paths[0], data=body, headers=headers, method=target.method)
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                    status = answer.status
            except urllib.error.HTTPError as exc:
                raise SystemExit(f"{w.name}: {server.wsgi} answered {exc.code}: "
                                 f"{exc.read()[:500].decode(errors='replace')}") from None
            if status >= 400:
                raise SystemExit(f"{w.name}: {server.wsgi} answered {status}")


def run_pairs(app: AppServer, baseline: AppServer, loads: list[Workload], folder: Path, *, seconds: float,
              warmup: float, connections: int, threads: int) -> list[Run]:
    """Each workload beside its baseline, twice, in the order app, baseline, baseline, app (a drift of the machine
    weighs on both sides alike), after warming both sides for ``warmup`` seconds."""
    runs = []
    for n, w in enumerate(loads):
        scripts = {"fayuan": w.app.script(folder, f"w{n}-app"), "baseline": w.baseline.script(folder, f"w{n}-base")}
        servers = {"fayuan": app, "baseline": baseline}
        # Warm both sides (imports, connections, caches) for a moment before anything is timed.
        for side in ("fayuan", "baseline"):
            wrk(servers[side].base_url, scripts[side], seconds=warmup, connections=connections, threads=threads)
        for rep, side in ((1, "fayuan"), (1, "baseline"), (2, "baseline"), (2, "fayuan")):
            raw = wrk(servers[side].base_url, scripts[side], seconds=seconds, connections=connections,
                      threads=threads)
            run = as_run(w.name, side, rep, raw)
            runs.append(run)
            print(f"  {w.name} [{side} #{rep}] {run.rps:.0f} rps, p50 {run.p50_ms:.1f} ms, "
                  f"p99 {run.p99_ms:.1f} ms, errors {run.errors}", flush=True)
    return runs


# --- Main ------------------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load",
                                     description="负载基准：经 gunicorn 与 PostgreSQL，与裸 Django 基线对比")
    parser.add_argument("--duration", type=float, default=20.0, help="每次运行的秒数（默认 20）")
    parser.add_argument("--quick", action="store_true", help="每次运行 3 秒（检查能否跑通）")
    parser.add_argument("--connections", type=int, default=16, help="并发连接数（默认 16）")
    parser.add_argument("--threads", type=int, default=2, help="wrk 线程数（默认 2）")
    parser.add_argument("--workers", type=int, default=5, help="每个 gunicorn 的工作进程数（默认 5）")
    parser.add_argument("--persons", type=int, default=200, help="演示人员数（默认 200）")
    parser.add_argument("--cases", type=int, default=40, help="预先受理的案件数（默认 40）")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="每个负载计时前两侧各预热的秒数（默认 5；--quick 时 1）")
    parser.add_argument("--only", default="", help="只运行名称中含这些词的负载（逗号分隔，如 check,queue）")
    parser.add_argument("--at-size", type=int, default=0, metavar="N",
                        help="改为测量 N 件案件时各工作列表与案件页的单客户端延迟和查询数（与 1000 件对比）")
    parser.add_argument("--requests", type=int, default=50, help="--at-size：每页请求数（默认 50）")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None and not args.at_size:
        raise SystemExit("找不到 wrk：请先 `make sysdeps`（apt-get install wrk）。")
    if args.at_size:
        from .atsize import main as at_size

        return at_size(size=args.at_size, requests=args.requests, persons=args.persons)
    seconds = 3.0 if args.quick else args.duration
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="fayuan-load-"))
    runs: list[Run] = []
    print("启动私有 PostgreSQL 实例……", flush=True)
    with PrivatePostgres.create() as pg:
        url = pg.create_database("fayuan_load_bench")
        base_url = pg.create_database("fayuan_load_baseline")
        # The self-check is rate limited per address: loopback would be refused after 60 a minute.
        env = app_env(database_url=url, media_root=folder / "media", STATIC_ROOT=str(folder / "static"),
                      ELIGIBILITY_RATE_LIMIT="0")
        base_env = {"BASELINE_DATABASE_URL": base_url, "DJANGO_SETTINGS_MODULE": "bench.baseline.settings",
                    "PYTHONUNBUFFERED": "1"}
        subprocess.run([sys.executable, "-m", "bench.baseline.setup"], cwd=ROOT, check=True,
                       env={**_clean_env(), **base_env})
        django_setup(env)
        print("迁移并生成演示数据……", flush=True)
        prepare(persons=args.persons)
        world = build_app_world(cases=args.cases)
        loads = [w for w in workloads(world)
                 if not args.only or any(word.strip() in w.name for word in args.only.split(",") if word.strip())]
        print(f"准备就绪（{time.monotonic() - started:.0f} 秒）。", flush=True)
        app = AppServer(env, workers=args.workers, log=folder / "app.log")
        baseline = AppServer({**_clean_env(), **base_env}, workers=args.workers, log=folder / "baseline.log",
                             wsgi="bench.baseline.wsgi")
        with app, baseline:
            app.wait_ready()
            baseline.wait_ready()
            check_first_answers(app, baseline, loads)
            runs = run_pairs(app, baseline, loads, folder, seconds=seconds,
                             warmup=1 if args.quick else args.warmup, connections=args.connections,
                             threads=args.threads)
        if any(r.flagged for r in runs):
            print(f"gunicorn 日志末尾：\n{app.log_tail(30)}\n{baseline.log_tail(10)}", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    now = dt.datetime.now(tz=dt.UTC)
    table = ratio_table(runs)
    report = {
        "kind": "load", "at": now.isoformat(timespec="seconds"), "commit": _commit(), "seconds_per_run": seconds,
        "warmup_seconds": 1 if args.quick else args.warmup,
        "connections": args.connections, "wrk_threads": args.threads, "workers": args.workers,
        "persons": args.persons, "cases": args.cases, "cpus": _cpus(),
        "baselines": {w.name: w.baseline_name for w in loads},
        "runs": [{k: v for k, v in asdict(r).items()} for r in runs], "table": table,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{now:%Y-%m-%dT%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{table}\n")
    flagged = [r for r in runs if r.flagged]
    verdict = f"有 {len(flagged)} 次运行出现错误" if flagged else "全部运行无错误"
    print(f"{verdict}（用时 {time.monotonic() - started:.0f} 秒）；结果已写入 {out.relative_to(ROOT)}")
    return 1 if flagged else 0


def _commit() -> str:
    """The commit measured (with "+dirty" when the worktree has changes), so before and after runs can be told apart."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,  # noqa: S603,S607
                              check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def _clean_env() -> dict[str, str]:
    """This process's environment without the app's Django settings (the baseline must not inherit them)."""
    import os

    drop = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FAYUAN_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)
