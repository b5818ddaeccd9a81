"""``manage.py sms_templates``: the SMS templates to register with the provider, and the codes the configuration
(``SMS_ALIYUN_TEMPLATES``) still lacks. ``--check`` fails when one is missing (a deployment check)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.notifications.sms_templates import CONTENT_KEY, SIGNATURE, TEMPLATES


def missing_codes() -> list[str]:
    codes = settings.SMS_ALIYUN_TEMPLATES
    return [key for key in TEMPLATES if not codes.get(key)]


class Command(BaseCommand):
    help = "列出需在短信服务商处申请的短信模板及其模板号配置（SMS_ALIYUN_TEMPLATES）；--check 在缺少模板号时报错。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="有模板未配置模板号时以错误退出")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = settings.SMS_ALIYUN_TEMPLATES
        self.stdout.write(f"签名：{SIGNATURE}（短信服务商处申请的签名名称配置为 SMS_ALIYUN_SIGN_NAME）")
        for template in TEMPLATES.values():
            kind = "验证码" if template.verification else "短信通知"
            code = codes.get(template.key) or "（未配置）"
            self.stdout.write(f"{template.key}\t{kind}\t{code}\t{template.purpose}\n    {template.body}")
        unknown = sorted(set(codes) - set(TEMPLATES) - {CONTENT_KEY})
        if unknown:
            self.stdout.write(f"SMS_ALIYUN_TEMPLATES 中的未知模板：{', '.join(unknown)}")
        missing = missing_codes()
        fallback = "；这些短信将使用通用模板（content）发送" if codes.get(CONTENT_KEY) else "；这些短信将无法发送"
        if missing:
            self.stdout.write(f"未配置模板号：{len(missing)} 个{fallback}。")
        else:
            self.stdout.write(f"全部 {len(TEMPLATES)} 个模板均已配置模板号。")
        if options["check"] and (missing or unknown):
            raise CommandError(f"短信模板配置不完整：缺少 {len(missing)} 个，未知 {len(unknown)} 个。")
