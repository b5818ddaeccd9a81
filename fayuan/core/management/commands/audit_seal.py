"""``manage.py audit_seal``: seal the settled audit entries now (the scheduler does it every minute), and with
``--export`` append the latest seal to the auditor's file (the scheduler does that daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fayuan.core.audit import audit_seal, audit_seal_export


class Command(BaseCommand):
    help = "封存已提交的审计记录（带密钥的 MAC 链）；--export 同时把最新封存追加到审计员保存的导出文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--export", action="store_true", help="封存后把最新封存追加到 AUDIT_SEAL_EXPORT_PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        seals = audit_seal()
        sealed = f"新封存 {len(seals)} 个" + (f"，至第 {seals[-1].last_seq} 条" if seals else "")
        self.stdout.write(sealed)
        if options["export"]:
            export = audit_seal_export()
            done = f"已导出第 {export.record['seal']} 号封存到 {export.path}" if export else "尚无封存可导出"
            self.stdout.write(done)
