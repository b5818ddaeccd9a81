"""``python -m bench.registry_import [--rows 1000000] [--bad-share 0.01]``: the recipient registry's import of a
large agency file against the database's raw bulk load of the same rows, measured in the same run.

A civil affairs file (the shipped sample layout) of ``--rows`` synthetic rows with valid ID numbers (and
``--bad-share`` of them bad: wrong check digit, impossible date, unknown category) is written to a temporary folder.
Then, on the database of ``DATABASE_URL`` (PostgreSQL) or a fresh SQLite file:
- ``manage.py import_registry`` runs in a child process, the real path (scan, parse, hash, encrypt new numbers,
  set-based upsert by chunks, expiry, one audit entry); its peak RSS comes from ``wait4`` on that child;
- the same command again on the same file (the no-change path: every row compared, nothing written);
- the baseline: the file's rows, as parsed text, into a scratch table with COPY (PostgreSQL) or executemany
  (SQLite), in this process.
Results: ``bench/results/registry-<UTC date and time>.json`` and a table. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HEADER = ["身份证号码", "姓名", "救助类别", "户主身份证号", "家庭编号", "行政区划代码", "家庭住址", "起始日期", "终止日期"]
AREAS = ("321102", "321111", "321112", "321181", "321182", "321183")
CATEGORIES = ("低保", "低保", "低保", "特困", "低保边缘")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _check(first17: str) -> str:
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def id_number(i: int) -> str:
    """The i-th synthetic number: unique per i (area × birth day × sequence), with its check digit."""
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i // len(AREAS)) // 1000)
    first17 = f"{AREAS[i % len(AREAS)]}{birth:%Y%m%d}{(i // len(AREAS)) % 1000:03d}"
    return first17 + _check(first17)


def write_file(path: Path, rows: int, bad_share: float, seed: int = 13) -> int:
    rng = random.Random(seed)
    bad = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(rows):
            number = id_number(i)
            household = f"{AREAS[i % len(AREAS)]}-{i // 3:07d}"
            row = [number, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), rng.choice(CATEGORIES),
                   number, household, f"{AREAS[i % len(AREAS)]}{rng.randrange(1, 20):03d}{rng.randrange(1, 30):03d}",
                   f"某街道某社区{rng.randrange(1, 200)}号", f"20{rng.randrange(15, 25)}-0{rng.randrange(1, 10)}-15", ""]
            if rng.random() < bad_share:
                bad += 1
                kind = rng.randrange(3)
                if kind == 0:
                    row[0] = number[:17] + ("0" if number[17] != "0" else "1")
                elif kind == 1:
                    row[7] = "2024-02-30"
                else:
                    row[2] = "五保"
            writer.writerow(row)
    return bad


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, peak RSS in MB (the child's own, from wait4) and its output."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output[-3000:]}")
    return seconds, usage.ru_maxrss // 1024, output


def baseline(path: Path, database_url: str, sqlite_path: Path) -> float:
    """Seconds to bulk-load the file's rows as text: COPY on PostgreSQL, executemany on SQLite."""
    def rows() -> Any:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            yield from reader

    started = time.monotonic()
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_registry_raw")
            cur.execute("CREATE TABLE bench_registry_raw (id_number text, name text, category text, head text, "
                        "household text, place text, address text, valid_from text, valid_to text)")
            with cur.copy("COPY bench_registry_raw FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            conn.commit()
            seconds = time.monotonic() - started
            cur.execute("DROP TABLE bench_registry_raw")
            conn.commit()
        return seconds
    import sqlite3

    conn = sqlite3.connect(sqlite_path)
    conn.execute("DROP TABLE IF EXISTS bench_registry_raw")
    conn.execute("CREATE TABLE bench_registry_raw (id_number text, name text, category text, head text, "
                 "household text, place text, address text, valid_from text, valid_to text)")
    with conn:
        conn.executemany("INSERT INTO bench_registry_raw VALUES (?,?,?,?,?,?,?,?,?)", rows())
    seconds = time.monotonic() - started
    conn.execute("DROP TABLE bench_registry_raw")
    conn.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad-share", type=float, default=0.01)
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    folder = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    env = {**os.environ, "FAYUAN_ENV": "development", "DEBUG": "0", "MEDIA_ROOT": str(folder / "media"),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    sqlite_path = folder / "bench.sqlite3"
    if not database_url:
        env["SQLITE_PATH"] = str(sqlite_path)
    manage = [sys.executable, "manage.py"]
    try:
        file = folder / "civil_affairs.csv"
        started = time.monotonic()
        bad = write_file(file, args.rows, args.bad_share)
        print(f"文件：{args.rows:,} 行（坏行 {bad:,}），{file.stat().st_size / 1048576:.0f} MB，"
              f"生成用时 {time.monotonic() - started:.0f} 秒", flush=True)
        run_child([*manage, "migrate", "--noinput"], env)
        command = [*manage, "import_registry", str(file), "--source", "civil_affairs", "--quiet-progress"]
        first = run_child(command, env)
        print(f"首次导入：{first[0]:.1f} 秒，峰值内存 {first[1]} MB\n{first[2].strip()}", flush=True)
        again = run_child(command, env)
        print(f"重复导入：{again[0]:.1f} 秒，峰值内存 {again[1]} MB\n{again[2].strip()}", flush=True)
        raw = baseline(file, database_url, sqlite_path)
        print(f"原始批量写入：{raw:.1f} 秒", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    database = "PostgreSQL (COPY)" if database_url else "SQLite (executemany)"
    rows = [
        {"run": "import_registry, first import", "seconds": round(first[0], 1), "rows_per_second":
            round(args.rows / first[0]), "peak_rss_mb": first[1], "output": first[2].strip()},
        {"run": "import_registry, same file again", "seconds": round(again[0], 1), "rows_per_second":
            round(args.rows / again[0]), "peak_rss_mb": again[1], "output": again[2].strip()},
        {"run": f"raw bulk load, {database}", "seconds": round(raw, 1), "rows_per_second": round(args.rows / raw),
         "peak_rss_mb": None, "output": ""},
    ]
    lines = ["| run | seconds | rows/s | × raw | peak RSS MB |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        ratio = r["seconds"] / rows[-1]["seconds"] if rows[-1]["seconds"] else 0
        lines.append(f"| {r['run']} | {r['seconds']} | {r['rows_per_second']:,} | {ratio:.1f} | "
                     f"{r['peak_rss_mb'] if r['peak_rss_mb'] is not None else '—'} |")
    text = "\n".join(lines)
    now = dt.datetime.now(tz=dt.UTC)
    report = {"kind": "registry_import", "at": now.isoformat(timespec="seconds"), "rows": args.rows,
              "bad_rows": bad, "database": database, "rows_measured": rows, "table": text}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"registry-{now:%Y-%m-%dT%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{text}\n\n结果已写入 {out.relative_to(ROOT)}")
    over = max(first[1], again[1]) >= 300
    if over:
        print("峰值内存超过 300 MB。")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
