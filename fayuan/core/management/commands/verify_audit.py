from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fayuan.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，报告第一处断裂。Verify the audit hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {report.checked} 条记录。"))
            return
        raise CommandError(f"审计链在第 {report.broken_seq} 条处断裂：{report.reason}（此前 {report.checked} 条完好）")
