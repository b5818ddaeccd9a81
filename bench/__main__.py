"""Benchmarks: each measurement is a ratio to a bare baseline timed in the same process, on the same database.

    make bench            # python -m bench load: gunicorn + wrk against a bare Django baseline (bench/load.py)
    python -m bench grow --cases N          # a PostgreSQL database at size (bench/grow.py)
    python -m bench dashboards [--cases N]  # dashboard + annual report at size vs naive SQL (bench/dashboards.py)
    python -m bench capacity                # bytes per case on a grown database, ten years ahead (bench/capacity.py)
    python -m bench national --database-url URL   # every target on one database at size, one run (bench/national.py)
    FAYUAN_ENV=development python -m bench [inprocess] [--cases 300] [--repeat 30]   # this in-process bench
    make bench-faults     # or: python -m bench faults  (fault injection through gunicorn: bench/faults.py)

A fresh SQLite database in a temporary folder gets a small demo city through seed_demo (the services), then:
- pages (staff queue, case page, public home, self-check) against a baseline request (/healthz);
- writes (receive an application, decide, assign) against a baseline single-row insert;
- the eligibility engine against a baseline of the per-capita arithmetic alone.
Ratios, not seconds, are what to compare between runs and machines. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path


def _setup(tmp: Path) -> None:
    os.environ.setdefault("FAYUAN_ENV", "development")
    os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def _time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    if sys.argv[1:2] == ["faults"]:  # python -m bench faults: fault injection through gunicorn (bench/faults.py)
        from .faults import main as faults

        raise SystemExit(faults(sys.argv[2:]))
    if sys.argv[1:2] == ["load"]:  # python -m bench load: gunicorn + wrk against a bare baseline (bench/load.py)
        from .load import main as load

        raise SystemExit(load(sys.argv[2:]))
    if sys.argv[1:2] == ["grow"]:  # python -m bench grow --cases N: a database at size (bench/grow.py)
        from .grow import main as grow

        raise SystemExit(grow(sys.argv[2:]))
    if sys.argv[1:2] == ["dashboards"]:  # python -m bench dashboards: rollup pages at size (bench/dashboards.py)
        from .dashboards import main as dashboards

        raise SystemExit(dashboards(sys.argv[2:]))
    if sys.argv[1:2] == ["national"]:  # python -m bench national: every target at size, one run (bench/national.py)
        from .national import main as national

        raise SystemExit(national(sys.argv[2:]))
    if sys.argv[1:2] == ["capacity"]:  # python -m bench capacity: bytes per case, ten years ahead (bench/capacity.py)
        from .capacity import main as capacity

        raise SystemExit(capacity(sys.argv[2:]))
    if sys.argv[1:2] == ["inprocess"]:  # the in-process bench below, by name
        del sys.argv[1]
    parser = argparse.ArgumentParser(description="法援平台性能基准（与同进程基线之比）")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--persons", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from io import StringIO

        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        seed_start = time.perf_counter()
        call_command("seed_demo", persons=args.persons, cases=args.cases, stdout=StringIO())
        seed_seconds = time.perf_counter() - seed_start

        from fayuan.accounts.models import User
        from fayuan.cases import services
        from fayuan.cases.models import Case, Status
        from fayuan.consultations.models import Consultation
        from fayuan.eligibility import engine
        from fayuan.eligibility.ruleset import load_ruleset
        from fayuan.people.models import Person

        reviewer = User.objects.get(username="demo_reviewer")
        staff = Client()
        staff.force_login(reviewer)
        public = Client()
        case = Case.objects.filter(center=reviewer.center).order_by("-id").first()
        if case is None:
            raise SystemExit("演示数据中没有案件：请用 --cases 生成。")

        rows: list[tuple[str, str, float, float, int | None]] = []

        def page(name: str, client: Client, url: str, base: float) -> None:
            # Counted with an execute wrapper: the request_started signal clears Django's own query log.
            seen = [0]

            def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
                seen[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            ms = _time(lambda: client.get(url), args.repeat)
            rows.append(("页面", name, ms, ms / base, seen[0]))

        baseline_request = _time(lambda: public.get("/healthz"), args.repeat)
        rows.append(("页面", "基线：/healthz", baseline_request, 1.0, None))
        page("工作队列 /office/cases/", staff, "/office/cases/", baseline_request)
        page("全部案件（分页）", staff, "/office/cases/?tab=all", baseline_request)
        page("案件详情", staff, f"/office/cases/{case.public_id}/", baseline_request)
        page("公众首页 /", public, "/", baseline_request)
        page("自助测评页", public, "/self-check/", baseline_request)

        # Writes: one application received, decided and assigned, against one plain row insert.
        applicants = list(Person.objects.filter(intake_center=reviewer.center).values_list("public_id", flat=True))
        consultation_fields = {"channel": "counter", "center": reviewer.center, "question": "q", "advice": "a",
                               "recorded_by": reviewer}

        def bare_insert() -> None:
            from django.utils import timezone

            Consultation.objects.create(occurred_at=timezone.now(), **consultation_fields)

        baseline_write = _time(bare_insert, args.repeat)
        rows.append(("写入", "基线：插入一行", baseline_write, 1.0, None))
        counter = iter(range(10**6))

        def receive() -> Case:
            n = next(counter)
            return services.case_receive(actor=reviewer, data=services.ApplicationInput(
                applicant_id=applicants[n % len(applicants)], case_type="civil", matter="wages",
                matter_summary="追索劳动报酬", household_size=3, household_monthly_income=Decimal("3000")))

        rows.append(("写入", "受理申请（编号、审查、期限、文书、审计）", t := _time(receive, args.repeat),
                     t / baseline_write, None))
        fresh = [receive() for _ in range(args.repeat + 1)]
        it = iter(fresh)
        rows.append(("写入", "作出给予决定", t := _time(
            lambda: services.case_decide(actor=reviewer, public_id=next(it).public_id, kind="grant"), args.repeat),
            t / baseline_write, None))
        granted = iter(Case.objects.filter(pk__in=[c.pk for c in fresh], status=Status.GRANTED))
        rows.append(("写入", "轮派指派（锁定名额、冲突检查）", t := _time(
            lambda: services.case_assign(actor=reviewer, public_id=next(granted).public_id), args.repeat),
            t / baseline_write, None))

        # The engine, pure: against the per-capita arithmetic it wraps.
        district = reviewer.center.means_test_district if reviewer.center else None
        if district is None:
            raise SystemExit("演示中心未设置所在地行政区。")
        rules = load_ruleset(district_code=district.code, on=case.received_at.date())
        applicant = engine.Applicant(case_type="civil", matter="wages", criminal_ground=None, birth_date=None,
                                     household_size=3, household_monthly_income=Decimal("7000"),
                                     groups=frozenset({"migrant_worker"}), facts=frozenset())
        many = 2000
        base_engine = _time(lambda: [(Decimal("7000") / 3).quantize(Decimal("0.01")) for _ in range(many)], 10)
        rows.append(("规则", f"基线：人均收入计算 ×{many}", base_engine, 1.0, None))
        rows.append(("规则", f"受援条件引擎 evaluate ×{many}", t := _time(
            lambda: [engine.evaluate(applicant, rules) for _ in range(many)], 10), t / base_engine, None))

        print(f"演示数据：{args.persons} 人、{args.cases} 件案件，经服务层生成用时 {seed_seconds:.1f} 秒")
        print(f"{'类别':<4} {'项目':<34} {'中位数(ms)':>10} {'与基线之比':>10} {'查询数':>6}")
        for kind, name, ms, ratio, queries in rows:
            print(f"{kind:<4} {name:<34} {ms:>10.2f} {ratio:>10.1f} {queries if queries is not None else '':>6}")


if __name__ == "__main__":
    main()
