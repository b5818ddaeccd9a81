"""Set up (or reset the password of) a security administrator or an auditor, on the server.

The application itself cannot make either of them, nor reset them: see ``fayuan/accounts/rules.py``. A fresh
install runs ``createsuperuser`` (the system administrator), then this command once per officer."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.accounts.roles import BOOTSTRAP_ONLY_ROLES
from fayuan.accounts.services import officer_bootstrap, officer_deactivate
from fayuan.core.errors import DomainError

PASSWORD_ENV = "FAYUAN_OFFICER_PASSWORD"  # noqa: S105 -- the name of the variable, not a password


class Command(BaseCommand):
    help = ("设立或重置安全管理员、审计员账户（只能在服务器上执行）。"
            f"Create a security administrator or an auditor, or reset their password (from ${PASSWORD_ENV} or a "
            "prompt).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(BOOTSTRAP_ONLY_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--display-name", default="")
        parser.add_argument("--reason", default="", help="记入授权记录的理由，如任命文件文号")
        parser.add_argument("--deactivate", action="store_true", help="停用该安全管理员或审计员账户（离任）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["deactivate"]:
            try:
                grant = officer_deactivate(username=options["username"], role=options["role"],
                                           reason=options["reason"] or "离任（manage.py create_officer --deactivate）")
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(self.style.SUCCESS(f"已停用：{grant.user.get_username()}（{grant.role_after_label}）"))
            return
        password = os.environ.get(PASSWORD_ENV) or self._prompt()
        reason = options["reason"] or "服务器上设立/重置（manage.py create_officer）"
        try:
            grant = officer_bootstrap(username=options["username"], role=options["role"], password=password,
                                      display_name=options["display_name"], reason=reason)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        done = "已重置密码" if grant.role_before else "已设立"
        self.stdout.write(self.style.SUCCESS(f"{done}：{grant.user.get_username()}（{grant.role_after_label}）"))

    def _prompt(self) -> str:
        first = getpass.getpass("密码: ")
        if first != getpass.getpass("再次输入密码: "):
            raise CommandError("两次输入的密码不一致。")
        return first
