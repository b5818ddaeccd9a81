from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from fayuan.core.uploads import ORPHAN_AGE, purge_orphan_uploads


class Command(BaseCommand):
    help = ("删除上传目录中没有任何记录引用、且已超过一小时的文件（回滚或中断遗留）。"
            "Delete upload files no row references, older than an hour.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=int(ORPHAN_AGE.total_seconds() // 60),
                            help="只删除早于该分钟数的文件（默认 60，不少于 60）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args: Any, **options: Any) -> None:
        # Never younger than an hour: a file being uploaded right now has no row yet.
        age = max(dt.timedelta(minutes=options["minutes"]), ORPHAN_AGE)
        removed = purge_orphan_uploads(older_than=age, dry_run=options["dry_run"])
        for name in removed:
            self.stdout.write(name)
        verb = "将删除" if options["dry_run"] else "已删除"
        self.stdout.write(f"{verb} {len(removed)} 个无引用的上传文件。")
