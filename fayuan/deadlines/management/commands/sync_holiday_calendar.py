"""Add the holiday schedules of new years from the installed chinese-calendar package (after upgrading it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fayuan.deadlines.services import calendar_sync_from_package


class Command(BaseCommand):
    help = "从 chinese-calendar 软件包补充数据库中尚无的年度节假日安排（已有年份不作改动），并重算暂定期限。"

    def handle(self, *args: Any, **options: Any) -> None:
        added = calendar_sync_from_package()
        if added:
            self.stdout.write("已补充：" + "、".join(f"{y}年" for y in added))
        else:
            self.stdout.write("没有需要补充的年份。")
