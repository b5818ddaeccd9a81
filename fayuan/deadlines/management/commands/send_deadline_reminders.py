"""Daily job: remind about deadlines due today, tomorrow or overdue. Safe to run more than once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fayuan.deadlines.services import deadline_send_reminders

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Command(BaseCommand):
    help = "发送期限提醒（今日、明日到期及已逾期的期限）。同一天重复运行不会重复发送。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="提醒日期 YYYY-MM-DD，默认为北京时间今天")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        if raw:
            try:
                on = dt.date.fromisoformat(raw)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        else:
            on = timezone.localdate(timezone.now(), SHANGHAI)
        sent = deadline_send_reminders(on=on)
        self.stdout.write(f"{on.isoformat()}：已发送 {sent} 条提醒。")
