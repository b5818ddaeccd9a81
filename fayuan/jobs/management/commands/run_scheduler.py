"""``manage.py run_scheduler``: every ``--interval`` seconds, enqueue the periodic jobs that are due (each once per
period, however many schedulers run) and recover tasks left RUNNING by dead workers. ``make run`` starts one."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from fayuan.jobs.scheduler import scheduler_tick


class Command(BaseCommand):
    help = "定时任务调度：到期的每日/每小时任务按周期各入队一次，并找回已退出进程遗留的任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="检查间隔（秒），默认 30")
        parser.add_argument("--once", action="store_true", help="只检查一次后退出（例如由 cron 调用）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            while True:
                recovered, enqueued = scheduler_tick()
                if recovered or enqueued or options["verbosity"] > 1:
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 入队：{', '.join(enqueued) or '无'}"
                                      f"；找回遗留任务：{recovered}")
                if options["once"]:
                    return
                time.sleep(options["interval"])
                close_old_connections()  # a long-lived process: drop a connection the database closed meanwhile
        except KeyboardInterrupt:
            return  # Ctrl-C: each tick is transactional, so there is nothing to tidy
