"""``manage.py sms_send_test 138xxxxxxxx``: send one test text now, through the configured backend, without the
queue, and print what the gateway answered (its message id, or the reason it refused). For the deployment's smoke
test, against the provider or against ``fayuan.notifications.aliyun_fake``. Nothing is stored; the number is shown
masked."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fayuan.notifications import sms_templates
from fayuan.notifications.models import mobile_number
from fayuan.notifications.sms import SmsGatewayError, get_backend, mask_phone


class Command(BaseCommand):
    help = "立即通过当前短信通道发送一条测试短信（登录验证码模板，验证码 000000），显示网关应答。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="接收测试短信的手机号码")

    def handle(self, *args: Any, **options: Any) -> None:
        phone = options["phone"].strip()
        try:
            mobile_number(phone)
        except Exception:
            raise CommandError("请输入 11 位手机号码。") from None
        text, params = sms_templates.render("otp_code", {"code": "000000", "minutes": 5})
        message_id = str(uuid.uuid4())
        try:
            provider_id = get_backend().send(phone, text, message_id=message_id, template="otp_code", params=params)
        except SmsGatewayError as exc:
            raise CommandError(f"发送失败：{exc}") from None
        self.stdout.write(f"已发送至 {mask_phone(phone)}（通道 {settings.SMS_BACKEND}，OutId {message_id}，"
                          f"网关流水号 {provider_id or '无'}）。")
