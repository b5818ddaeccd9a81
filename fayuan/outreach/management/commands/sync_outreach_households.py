"""``manage.py sync_outreach_households [--on YYYY-MM-DD]``: registered households from the recipient registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fayuan.outreach.sync import households_sync_from_registry


class Command(BaseCommand):
    help = "按受援对象信息库中在某日有效的记录（按来源和户编号归户）建立或更新走访对象家庭。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="有效日期（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        r = households_sync_from_registry(on=day)
        self.stdout.write(f"{day}：新建 {r.created} 户，更新 {r.updated} 户，未变 {r.unchanged} 户，"
                          f"不再在册 {r.deactivated} 户，新增成员 {r.members_added} 人；"
                          f"区划代码无对应村（社区）的 {r.unplaced} 户。")
