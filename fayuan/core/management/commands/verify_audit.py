from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.core.audit import audit_verification_run
from fayuan.core.models import VerificationTrigger


class Command(BaseCommand):
    help = ("校验审计日志：每条记录的摘要、每个封存的链接与 MAC，可选与审计员保存的封存导出文件比对；"
            "报告第一处问题并记录结果。Verify the audit log: entry digests, the chain of keyed seals, optionally the "
            "auditor's export file.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--against", type=Path, metavar="FILE",
                            help="审计员保存的封存导出文件（每行一个 JSON）：数据库中的封存须与之一致")

    def handle(self, *args: Any, **options: Any) -> None:
        # Recorded like the daily run, so the auditor's page shows a check an operator ran by hand too.
        run = audit_verification_run(actor=None, trigger=VerificationTrigger.COMMAND, against=options["against"])
        if run.ok:
            exported = f"，与导出文件中的 {run.exports_checked} 个封存一致" if options["against"] else ""
            self.stdout.write(self.style.SUCCESS(
                f"审计链完整：已校验 {run.checked} 条记录（已封存至第 {run.sealed_through} 条，"
                f"{run.unsealed} 条待封存）{exported}。"))
            return
        where = f"在第 {run.broken_seq} 条处" if run.broken_seq else ""
        raise CommandError(f"审计链{where}断裂：{run.reason}（此前 {run.checked} 条完好）")
