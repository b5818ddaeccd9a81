"""``manage.py import_registry FILE --source CODE``: import an agency's file in the foreground, with a progress
line; the same path as the upload page's background task (one batch, one audit entry)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from fayuan.core.errors import DomainError
from fayuan.registry.models import BatchStatus
from fayuan.registry.services import registry_batch_create, registry_import_run, summary


class Command(BaseCommand):
    help = "导入一个部门的受援对象名单文件（csv 或 xlsx）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="文件路径")
        parser.add_argument("--source", required=True, help="数据来源代码，例如 civil_affairs")
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度行")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        with path.open("rb") as handle:
            try:
                batch = registry_batch_create(actor=None, source_code=options["source"], upload=File(handle),
                                              name=path.name)
            except DomainError as exc:
                raise CommandError(str(exc)) from None
        started = time.monotonic()
        quiet = options["quiet_progress"] or not sys.stderr.isatty()
        last = [0.0]

        def show(done: int, total: int, stage: str) -> None:
            now = time.monotonic()
            if quiet or (now - last[0] < 0.5 and done < total):
                return
            last[0] = now
            share = f"{done * 100 // total:3d}%" if total else "   "
            rate = done / max(now - started, 1e-6)
            sys.stderr.write(f"\r{stage} {share} {done}/{total} 行，{rate:,.0f} 行/秒   ")
            sys.stderr.flush()

        batch = registry_import_run(batch_id=batch.public_id, on_progress=show)
        if not quiet:
            sys.stderr.write("\n")
        if batch.status != BatchStatus.SUCCEEDED:
            raise CommandError(f"{batch.get_status_display()}：{batch.message}")
        self.stdout.write(f"{summary(batch)}用时 {time.monotonic() - started:.1f} 秒。批次 {batch.public_id}")
