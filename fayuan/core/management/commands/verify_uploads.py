from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.core.uploads import verify_uploads

SHOWN = 20  # problems listed by name; the counts say how many in all


class Command(BaseCommand):
    help = ("校验上传与生成的文件：记录中登记的每个文件都在、大小一致，可选校验 SHA-256（恢复备份后运行）。"
            "Check that every file a row names is present with its recorded size (and SHA-256 with --hashes).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--media-root", type=Path, metavar="DIR",
                            help="要校验的文件目录（默认 MEDIA_ROOT；可指向一份备份快照）")
        parser.add_argument("--hashes", action="store_true",
                            help="逐个读取文件并与登记的 SHA-256 比对（较慢：读遍所有文件）")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_uploads(media_root=options["media_root"], hashes=options["hashes"])
        per_table = "，".join(f"{label} {n}" for label, n in result.checked.items() if n)
        what = "大小与 SHA-256" if options["hashes"] else "大小"
        if result.rebuilt:
            self.stdout.write(f"{len(result.rebuilt)} 个文书文件不在，首次打开时将按记录重新生成"
                              f"（例如 {result.rebuilt[0]}）。")
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"文件完整：已校验 {result.total} 个文件的存在与{what}（{per_table or '没有文件'}）。"))
            return
        for title, names in (("缺失", result.missing), ("大小不符", result.wrong_size),
                             ("SHA-256 不符", result.wrong_digest)):
            for name in names[:SHOWN]:
                self.stderr.write(f"{title}：{name}")
            if len(names) > SHOWN:
                self.stderr.write(f"……另有 {len(names) - SHOWN} 个{title}")
        raise CommandError(
            f"文件不完整：{result.total} 个文件中缺失 {len(result.missing)} 个、大小不符 {len(result.wrong_size)} 个、"
            f"SHA-256 不符 {len(result.wrong_digest)} 个。请从最新的文件备份快照恢复（docs/runbook.md，备份与恢复）。")
