"""``python -m bench capacity``: what a case costs on disk, measured on a grown database, projected to ten years.

    python -m bench capacity --database-url postgres://postgres@127.0.0.1:5432/fayuan_benchdash

Reads PostgreSQL's own sizes (``pg_total_relation_size``: table, TOAST and indexes) and row estimates
(``pg_class.reltuples``, exact after the grower's ANALYZE) of the tables that grow with the cases, divides by the
number of cases, and projects the total for a yearly volume (default: the country's 1.4 million cases a year, issue
15) over ``--years``. A range-partitioned table counts as the sum over its partitions (``pg_partition_tree``): the
parent itself holds nothing (its ``pg_total_relation_size`` is 0).

The grower writes the audit entries, documents and consultations of its cases, so their rows per case are measured
like the rest. Only when the audit table is empty (or ``--audit-entries-per-case`` is given) is the audit log an
estimate, stated as such: that many entries per case (by default the demo city's measured ratio,
``DEMO_AUDIT_ENTRIES_PER_CASE``) times the measured bytes per row, or ``--audit-row-bytes`` without rows.
Results: ``bench/results/capacity-<UTC date and time>.md`` (small text, committed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .server import ROOT

GROWING = ("cases_case", "cases_caseevent", "deadlines_deadline", "intake_consultation", "people_person",
           "cases_decision", "cases_assignment", "cases_document", "core_auditentry", "notifications_smsmessage",
           "notifications_smslog", "stats_tally")
GIB = 1024 ** 3
# Audit entries per case in the demo city (seed_demo's defaults: 2,000 cases, 3,000 consultations, 2,000 people, on
# the services), measured 2026-12-04: every entry in the log divided by the cases.
DEMO_AUDIT_ENTRIES_PER_CASE = 32.5


@dataclass(frozen=True)
class TableSize:
    table: str
    rows: int
    bytes_total: int

    @property
    def bytes_per_row(self) -> float:
        return self.bytes_total / self.rows if self.rows else 0.0


def per_case(sizes: list[TableSize], cases: int) -> dict[str, float]:
    """Bytes each table grows by per case."""
    return {s.table: s.bytes_total / cases for s in sizes if cases}


def project(bytes_per_case: float, cases_per_year: int, years: int) -> list[tuple[int, float]]:
    """(year, GiB on disk at its end) for a steady yearly volume: linear, nothing archived away."""
    return [(y, bytes_per_case * cases_per_year * y / GIB) for y in range(1, years + 1)]


def markdown(sizes: list[TableSize], cases: int, *, cases_per_year: int, years: int, audit_per_case: float | None,
             audit_row_bytes: float, at: str, database: str) -> str:
    """``audit_per_case`` None: the audit log is among ``sizes``, measured; else it is estimated (not in ``sizes``)."""
    shares = per_case(sizes, cases)
    measured = sum(shares.values())
    audit = (audit_per_case or 0) * audit_row_bytes
    whole = measured + audit
    lines = [f"# Capacity: {cases:,} cases in `{database}` ({at})", "",
             "| table | rows | rows per case | bytes per row (with indexes) | bytes per case |",
             "|---|---|---|---|---|"]
    for s in sorted(sizes, key=lambda s: -s.bytes_total):
        lines.append(f"| {s.table} | {s.rows:,} | {s.rows / cases:.2f} | {s.bytes_per_row:,.0f} | "
                     f"{shares.get(s.table, 0):,.0f} |")
    if audit_per_case is None:
        lines += ["", f"Measured, audit log included: {whole:,.0f} bytes ({whole / 1024:,.1f} KiB) per case.", ""]
    else:
        lines += ["", f"Measured: {measured:,.0f} bytes per case; audit log (estimated): {audit_per_case:.1f} entries "
                  f"per case × {audit_row_bytes:,.0f} bytes = {audit:,.0f} bytes per case; together {whole:,.0f} "
                  f"bytes ({whole / 1024:,.1f} KiB) per case.", ""]
    lines += [
              f"Projected at {cases_per_year:,} cases a year, nothing archived:", "",
              "| after year | GiB |", "|---|---|"]
    lines += [f"| {y} | {gib:,.0f} |" for y, gib in project(whole, cases_per_year, years)]
    return "\n".join(lines) + "\n"


def measure(tables: tuple[str, ...] = GROWING) -> list[TableSize]:
    from django.db import connection

    with connection.cursor() as cursor:
        # A partitioned parent (relkind 'p') stores nothing itself: its rows and bytes are its partitions'.
        cursor.execute(
            "SELECT c.relname, CASE WHEN c.relkind = 'p' THEN ("
            "  SELECT COALESCE(SUM(GREATEST(p.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t"
            "  JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf) ELSE GREATEST(c.reltuples, 0) END::bigint, "
            "CASE WHEN c.relkind = 'p' THEN ("
            "  SELECT COALESCE(SUM(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t"
            "  WHERE t.isleaf) ELSE pg_total_relation_size(c.oid) END "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND c.relname = ANY(%s)", [list(tables)])
        return [TableSize(t, int(r), int(b)) for t, r, b in cursor.fetchall()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench capacity", description="每件案件的磁盘占用与十年容量预测")
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fayuan_benchdash"))
    parser.add_argument("--cases-per-year", type=int, default=1_400_000, help="每年案件数（默认全国 1,400,000）")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--audit-entries-per-case", type=float, default=None,
                        help="按每件案件的审计条目数估算审计日志（默认：审计表有数据时按实测，"
                             f"无数据时取演示城市的实测比例 {DEMO_AUDIT_ENTRIES_PER_CASE}）")
    parser.add_argument("--audit-row-bytes", type=float, default=600.0,
                        help="审计表无数据时每条的估计字节数（默认 600）")
    args = parser.parse_args(argv)
    from .server import app_env, django_setup

    django_setup(app_env(database_url=args.database_url, media_root=Path(tempfile.gettempdir()) / "fayuan-capacity"))
    from fayuan.cases.models import Case

    cases = Case.objects.count()
    if not cases:
        raise SystemExit("数据库中没有案件：先运行 python -m bench grow。")
    sizes = measure()
    audit = next((s for s in sizes if s.table == "core_auditentry"), None)
    audit_per_case = args.audit_entries_per_case
    if audit_per_case is None and not (audit and audit.rows):
        audit_per_case = DEMO_AUDIT_ENTRIES_PER_CASE  # an empty log: the demo city's ratio, as an estimate
    audit_row_bytes = audit.bytes_per_row if audit and audit.rows else args.audit_row_bytes
    if audit_per_case is not None:  # estimated: the measured row stays out of the table
        sizes = [s for s in sizes if s.table != "core_auditentry"]
    now = dt.datetime.now(tz=dt.UTC)
    text = markdown(sizes, cases, cases_per_year=args.cases_per_year,
                    years=args.years, audit_per_case=audit_per_case, audit_row_bytes=audit_row_bytes,
                    at=now.isoformat(timespec="seconds"), database=args.database_url.rsplit("/", 1)[-1])
    out = ROOT / "bench" / "results" / f"capacity-{now:%Y-%m-%dT%H%M%S}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"结果已写入 {out.relative_to(ROOT)}")
    return 0
