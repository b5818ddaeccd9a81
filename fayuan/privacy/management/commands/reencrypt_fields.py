from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fayuan.privacy.keys import reencrypt_all


class Command(BaseCommand):
    help = ("用 FIELD_ENCRYPTION_KEYS 的第一个（最新）密钥重新加密所有受保护字段；完成后可移除旧密钥。"
            "Re-encrypt every protected field under the newest key (key rotation).")

    def handle(self, *args: Any, **options: Any) -> None:
        done = reencrypt_all()
        for label, count in done.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"已重新加密 {sum(done.values())} 行。"))
