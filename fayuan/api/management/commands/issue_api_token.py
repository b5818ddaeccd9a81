from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.accounts.models import User
from fayuan.api.tokens import api_token_issue
from fayuan.core.errors import DomainError


class Command(BaseCommand):
    help = ("为系统对接签发接口令牌（只显示一次，库中只保存摘要）。"
            "Issue a bearer token for USERNAME; it is printed once and only its SHA-256 is stored.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途/客户端名称（默认：系统对接）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的账户。")
        try:
            token, raw = api_token_issue(actor=None, user=user, name=options["name"] or "系统对接")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        # The notice goes to stderr so that ``TOKEN=$(manage.py issue_api_token svc)`` captures the token alone.
        self.stderr.write(f"已为 {user.get_username()} 签发令牌 #{token.pk}（{token.name}）。"
                          "令牌只显示这一次，请妥善保存：")
        self.stdout.write(raw)
