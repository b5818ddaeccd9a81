"""``manage.py partitions``: the yearly partitions of the tables that only grow (PostgreSQL; docs/capacity.md).

    manage.py partitions                         # every partition: rows, size, frozen or not
    manage.py partitions ensure                  # next years' partitions, old years out of DEFAULT (daily job)
    manage.py partitions add --table T --year Y  # a past year's partition (before an import of old records)
    manage.py partitions freeze --table T --year Y   # a closed year: read-only, archived once, out of nightly dumps
    manage.py partitions frozen                  # the frozen partitions, one per line (the backup script's list)
    manage.py partitions rearchive               # new archive files for frozen years anonymization changed
    manage.py partitions load-frozen [--from DIR]    # after a restore: the frozen years' rows from their files
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.core.errors import DomainError
from fayuan.core.partitions import (
    frozen_for_dump,
    is_postgresql,
    partition_add_year,
    partition_ensure,
    partition_freeze,
    partition_load_frozen,
    partition_rearchive,
    partitions,
)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class Command(BaseCommand):
    help = "按年分区的表（仅 PostgreSQL）：查看、预建、拆分、封存归档、从归档文件恢复。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="list",
                            choices=("list", "ensure", "add", "freeze", "frozen", "rearchive", "load-frozen"))
        parser.add_argument("--table", help="表名，如 cases_caseevent")
        parser.add_argument("--year", type=int, help="年度（中国时间）")
        parser.add_argument("--years-ahead", type=int, default=2, help="ensure：预建的年数（默认 2）")
        parser.add_argument("--exact", action="store_true", help="list：逐个分区精确计数（大表较慢）")
        parser.add_argument("--from", dest="source", help="load-frozen：归档文件所在目录（默认 PARTITION_ARCHIVE_DIR）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if not is_postgresql():
            if action in ("list", "ensure", "frozen", "rearchive"):
                self.stdout.write("当前数据库不是 PostgreSQL：不按年分区，无需处理。")
                return
            raise CommandError("按年分区只在 PostgreSQL 上使用；SQLite 的表不分区。")
        try:
            getattr(self, f"_{action.replace('-', '_')}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _need(self, options: dict[str, Any], *names: str) -> None:
        missing = [f"--{n}" for n in names if options.get(n) is None]
        if missing:
            raise CommandError(f"请给出 {' '.join(missing)}。")

    def _list(self, options: dict[str, Any]) -> None:
        rows = partitions(exact=options["exact"])
        self.stdout.write(f"{'分区':<40} {'年度':>6} {'行数':>14} {'大小':>12}  状态")
        for p in rows:
            year = "默认" if p.year is None else str(p.year)
            self.stdout.write(f"{p.name:<40} {year:>6} {p.rows:>14,} {_size(p.bytes):>12}  "
                              f"{'已封存' if p.frozen else ''}")

    def _ensure(self, options: dict[str, Any]) -> None:
        made, problems = partition_ensure(years_ahead=options["years_ahead"])
        self.stdout.write(f"新建分区 {len(made)} 个" + (f"：{', '.join(made)}" if made else ""))
        for problem in problems:
            self.stderr.write(problem)

    def _add(self, options: dict[str, Any]) -> None:
        self._need(options, "table", "year")
        made = partition_add_year(table=options["table"], year=options["year"])
        self.stdout.write(f"已建 {options['table']} 的 {options['year']} 年分区" if made else "该年度分区已存在")

    def _freeze(self, options: dict[str, Any]) -> None:
        self._need(options, "table", "year")
        frozen = partition_freeze(actor=None, table=options["table"], year=options["year"])
        self.stdout.write(f"已封存 {frozen.partition}：{frozen.rows:,} 行 → {frozen.file_name}"
                          f"（{_size(frozen.file_bytes)}，SHA-256 {frozen.sha256}）")

    def _frozen(self, options: dict[str, Any]) -> None:
        for name in frozen_for_dump():
            self.stdout.write(name)

    def _rearchive(self, options: dict[str, Any]) -> None:
        done = partition_rearchive()
        self.stdout.write(f"重新归档 {len(done)} 个分区" + (f"：{', '.join(done)}" if done else ""))

    def _load_frozen(self, options: dict[str, Any]) -> None:
        loaded = partition_load_frozen(directory=Path(options["source"]) if options["source"] else None)
        for name, rows in loaded.items():
            self.stdout.write(f"已载入 {name}：{rows:,} 行")
        if not loaded:
            self.stdout.write("没有需要载入的封存分区（均已有数据）")
