"""The daily jobs: expire unanswered supplement requests (art. 43), assign by rotation where the recipient's
choice window (点援制) lapsed, send deadline reminders, purge spent sign-in codes, abandoned drafts and
uploads no row references.

Each job is idempotent for a day (reminders are recorded; expiry is a state change), so running it again, or
from several machines, does no harm. ``--loop`` keeps it running for ``make run``: once at start, then hourly.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from fayuan.cases.services import client_choice_expire, supplement_expire_overdue
from fayuan.core.uploads import purge_orphan_uploads
from fayuan.deadlines.services import deadline_send_reminders
from fayuan.portal.services import draft_purge_stale, otp_purge


def run_once(on: dt.date) -> dict[str, int]:
    now = timezone.now()
    return {
        "expired_supplements": supplement_expire_overdue(on=on),
        "client_choice_lapsed": client_choice_expire(on=on)["assigned"],
        "reminders": deadline_send_reminders(on=on),
        "otp_purged": otp_purge(before=now - dt.timedelta(days=1)),
        "drafts_purged": draft_purge_stale(before=now - dt.timedelta(days=90)),
        "orphan_uploads_purged": len(purge_orphan_uploads()),  # files of drafts purged above, rolled-back uploads
    }


class Command(BaseCommand):
    help = "执行每日任务：补充材料逾期视为撤回、期限提醒。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="按该日期执行（默认今天）")
        parser.add_argument("--loop", action="store_true", help="持续运行：启动时执行一次，此后每小时执行")
        parser.add_argument("--interval", type=int, default=3600, help="循环间隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            on = options["date"] or timezone.localdate()
            result = run_once(on)
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} 每日任务（{on}）：" +
                              "，".join(f"{k}={v}" for k, v in result.items()))
            if not options["loop"]:
                return
            time.sleep(options["interval"])
