"""Recompute every rollup cell from the raw records (after a bulk load, a restore, or a change of the rules)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from fayuan.stats.services import tally_rebuild


class Command(BaseCommand):
    help = "从原始记录重新计算全部统计汇总（批量导入、恢复备份或统计口径调整之后运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = tally_rebuild()
        self.stdout.write(f"已重建 {result.rows} 个汇总单元，用时 {time.monotonic() - started:.1f} 秒：")
        for measure, n in sorted(result.by_measure.items()):
            self.stdout.write(f"  {measure}: {n}")
