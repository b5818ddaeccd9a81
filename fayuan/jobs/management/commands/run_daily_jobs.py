"""``manage.py run_daily_jobs``: run every daily job now, in this process, without the queue (for operators:
after an outage, or to treat a given date). The same tasks the scheduler enqueues, so the same idempotence: running
it again, or alongside the scheduler, does no harm."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from fayuan.jobs.schedule import DAILY_JOBS, Period


def run_once(on: dt.date) -> dict[str, object]:
    period = Period(on.isoformat(), on)
    return {job.name: job.task.call(**job.kwargs(period)) for job in DAILY_JOBS}


class Command(BaseCommand):
    help = "立即执行全部每日任务（不经队列）：补充材料逾期、点援制期满、期限提醒、审计封存导出与校验、清理。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="按该日期执行（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["date"] or timezone.localdate()
        result = run_once(on)
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} 每日任务（{on}）：" +
                          "，".join(f"{k}={v}" for k, v in result.items()))
