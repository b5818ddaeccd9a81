"""``manage.py check --deploy``: a configured SMS gateway has its credentials and a code for every template."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from .sms_templates import CONTENT_KEY, TEMPLATES

ALIYUN = "fayuan.notifications.aliyun.AliyunSMSBackend"


@checks.register(checks.Tags.security, deploy=True)
def check_sms_gateway(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.SMS_BACKEND != ALIYUN:
        return []
    problems: list[checks.CheckMessage] = []
    missing = [name for name in ("SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_ALIYUN_SIGN_NAME")
               if not getattr(settings, name)]
    if missing:
        problems.append(checks.Error(f"阿里云短信未配置：{', '.join(missing)}。", id="fayuan.sms.E001"))
    codes = settings.SMS_ALIYUN_TEMPLATES
    lacking = [key for key in TEMPLATES if not codes.get(key)]
    if lacking and not codes.get(CONTENT_KEY):
        problems.append(checks.Warning(
            f"SMS_ALIYUN_TEMPLATES 缺少 {len(lacking)} 个模板号（{', '.join(lacking[:5])}…），这些短信将无法发送。",
            hint="manage.py sms_templates 列出需申请的模板。", id="fayuan.sms.W001"))
    if not settings.SMS_ALIYUN_ENDPOINT.startswith("https://"):
        problems.append(checks.Warning("SMS_ALIYUN_ENDPOINT 不是 https 地址：访问密钥签名与短信内容将明文传输。",
                                       id="fayuan.sms.W002"))
    return problems
