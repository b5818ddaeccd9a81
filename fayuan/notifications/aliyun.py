"""Alibaba Cloud SMS (阿里云短信服务, dysmsapi, RPC API version 2017-05-25): ``SendSms`` and ``QuerySendDetails``.

Configured by environment only (``config/settings.py``): ``SMS_BACKEND=fayuan.notifications.aliyun.AliyunSMSBackend``,
``SMS_ALIYUN_ACCESS_KEY_ID``, ``SMS_ALIYUN_ACCESS_KEY_SECRET``, ``SMS_ALIYUN_SIGN_NAME``, ``SMS_ALIYUN_TEMPLATES``
(JSON: our template key -> the approved TemplateCode), ``SMS_ALIYUN_ENDPOINT``. Requests are POSTed form bodies
(the number and the signature stay out of URLs and proxy logs), signed with the RPC signature (HMAC-SHA1, Signature
Version 1.0) over the percent-encoded canonical query; ``OutId`` carries our message UUID, so a resend after a crash
is recognisable in the provider's records. Failures raise ``TransientSmsError`` (timeouts, lost connections, 5xx,
flow control: the task retries) or ``PermanentSmsError`` (a refusal a retry cannot change: failed at once). Error
reasons hold the provider's code and our Chinese wording, never the provider's message (it may echo the request),
the number or the secret.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import sms_templates
from .models import SmsDelivery
from .sms import BaseSMSBackend, DeliveryReport, PermanentSmsError, TransientSmsError

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com"
# The provider's dates (SendDate, ReceiveDate) are Beijing time, whatever the server's zone.
PROVIDER_TZ = ZoneInfo("Asia/Shanghai")
# QuerySendDetails: the provider's largest page; how many pages and send dates one lookup may ask for.
PAGE_SIZE, QUERY_PAGES, QUERY_DAYS = 50, 3, 4

# Retrying helps: the provider's flow control (per number per minute/hour, per account per second) and its own
# outages. Everything else the provider answers is final for this message.
TRANSIENT_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL": "触发短信网关流量控制",
    "Throttling": "短信网关限流",
    "Throttling.User": "短信网关限流",
    "Throttling.Api": "短信网关限流",
    "ServiceUnavailable": "短信网关暂时不可用",
    "InternalError": "短信网关内部错误",
    "isp.SYSTEM_ERROR": "短信网关系统错误",
    "SignatureNonceUsed": "请求随机数重复",
}
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL": "手机号码格式错误",
    "isv.MOBILE_COUNT_OVER_LIMIT": "手机号码数量超过限制",
    "isv.SMS_TEMPLATE_ILLEGAL": "短信模板不存在或未通过审核",
    "isv.TEMPLATE_MISSING_PARAMETERS": "短信模板缺少参数",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "短信模板参数不符合规范",
    "isv.INVALID_JSON_PARAM": "短信模板参数格式错误",
    "isv.INVALID_PARAMETERS": "短信请求参数错误",
    "isv.PARAM_LENGTH_LIMIT": "短信模板参数超出长度限制",
    "isv.SMS_SIGNATURE_ILLEGAL": "短信签名不存在或未通过审核",
    "isv.SMS_SIGN_ILLEGAL": "短信签名不存在或未通过审核",
    "isv.SIGN_NAME_ILLEGAL": "短信签名不存在或未通过审核",
    "isv.DAY_LIMIT_CONTROL": "该号码已达当日发送上限",
    "isv.BLACK_KEY_CONTROL_LIMIT": "短信内容含禁止发送的关键字",
    "isv.AMOUNT_NOT_ENOUGH": "短信账户余额不足",
    "isv.OUT_OF_SERVICE": "短信账户已停机",
    "isv.ACCOUNT_ABNORMAL": "短信账户异常",
    "isv.ACCOUNT_NOT_EXISTS": "短信账户不存在",
    "isv.PRODUCT_UN_SUBSCRIPT": "未开通短信服务",
    "isv.PRODUCT_UNSUBSCRIBE": "未开通短信服务",
    "isv.RAM_PERMISSION_DENY": "访问密钥无短信发送权限",
    "Forbidden.RAM": "访问密钥无短信发送权限",
    "InvalidAccessKeyId.NotFound": "访问密钥（AccessKey ID）不存在",
    "InvalidAccessKeyId.Inactive": "访问密钥（AccessKey ID）已停用",
    "SignatureDoesNotMatch": "请求签名校验失败（访问密钥不匹配）",
    "IncompleteSignature": "请求签名不完整",
    "InvalidTimeStamp.Expired": "请求时间戳过期（请检查服务器时钟）",
    "MissingParameter": "短信请求缺少参数",
}


def percent_encode(value: str) -> str:
    """RFC 3986 as the RPC signature wants it: UTF-8, only A-Z a-z 0-9 - _ . ~ left as they are (space is %20,
    ``*`` is %2A)."""
    return quote(value, safe="~")


def rpc_signature(params: Mapping[str, str], secret: str, method: str = "POST") -> str:
    """Base64 HMAC-SHA1, keyed with ``secret + "&"``, of ``METHOD&%2F&percent(canonical query)``, where the canonical
    query is the parameters (all but ``Signature``) sorted by name, each name and value percent-encoded."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}"
                         for k, v in sorted(params.items()) if k != "Signature")
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _strip_signature(text: str) -> str:
    # The provider prefixes the approved signature itself; ours (【镇江法援】) would appear twice.
    return re.sub(r"^【[^】]*】", "", text)


class AliyunSMSBackend(BaseSMSBackend):
    name = "aliyun"
    supports_receipts = True

    def __init__(self) -> None:
        self.access_key_id = settings.SMS_ALIYUN_ACCESS_KEY_ID
        self._secret = settings.SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_ALIYUN_SIGN_NAME
        missing = [name for name, value in (("SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id),
                                            ("SMS_ALIYUN_ACCESS_KEY_SECRET", self._secret),
                                            ("SMS_ALIYUN_SIGN_NAME", self.sign_name)) if not value]
        if missing:
            raise ImproperlyConfigured(f"阿里云短信未配置：{', '.join(missing)}。")
        self.endpoint = settings.SMS_ALIYUN_ENDPOINT.rstrip("/") + "/"
        self.region = settings.SMS_ALIYUN_REGION
        self.templates: dict[str, str] = dict(settings.SMS_ALIYUN_TEMPLATES)
        # (connect, read) seconds: a hung gateway must not hold a worker (and the message's lease) for long.
        self.timeout = (settings.SMS_ALIYUN_CONNECT_TIMEOUT, settings.SMS_ALIYUN_READ_TIMEOUT)

    def __repr__(self) -> str:  # never the secret, in a traceback's locals or anywhere else
        return f"<AliyunSMSBackend {self.endpoint} key {self.access_key_id}>"

    def _template(self, template: str, params: Mapping[str, str], text: str) -> tuple[str, dict[str, str]]:
        if template and template in self.templates:
            return self.templates[template], dict(params)
        if sms_templates.CONTENT_KEY in self.templates:  # the generic fallback template, if one was approved
            return self.templates[sms_templates.CONTENT_KEY], {"content": _strip_signature(text)}
        raise PermanentSmsError(f"未配置短信模板（{template or '自由文本'}），请在 SMS_ALIYUN_TEMPLATES 中填写模板号",
                                code="SMS_ALIYUN_TEMPLATES")

    def send(self, phone: str, text: str, *, message_id: str, template: str = "",
             params: Mapping[str, str] | None = None) -> str:
        code, values = self._template(template, params or {}, text)
        answer = self._call("SendSms", {
            "PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": code,
            "TemplateParam": json.dumps(values, ensure_ascii=False, separators=(",", ":")), "OutId": message_id,
        })
        return str(answer.get("BizId") or "")

    def delivery_report(self, phone: str, *, provider_id: str, message_id: str, since: dt.datetime,
                        until: dt.datetime) -> DeliveryReport:
        for detail in self._details(phone, since, until, biz_id=provider_id):
            if provider_id or detail.get("OutId") == message_id:
                return _report(detail)
        return DeliveryReport(SmsDelivery.PENDING)

    def find_sent(self, phone: str, *, message_id: str, since: dt.datetime) -> str | None:
        # The details carry our OutId but not the provider's BizId: the receipt is then found by OutId too.
        for detail in self._details(phone, since, dt.datetime.now(dt.UTC)):
            if detail.get("OutId") == message_id:
                return ""
        return None

    def _details(self, phone: str, since: dt.datetime, until: dt.datetime, *,
                 biz_id: str = "") -> list[dict[str, Any]]:
        """The provider's records for the number, by send date (the provider's own: a message sent at midnight may
        be filed under the next day), newest dates first, at most ``QUERY_DAYS`` of them and ``QUERY_PAGES`` pages
        of ``PAGE_SIZE`` each."""
        first, sent = since.astimezone(PROVIDER_TZ).date(), until.astimezone(PROVIDER_TZ).date()
        last = min(sent + dt.timedelta(days=1), dt.datetime.now(PROVIDER_TZ).date())
        # The day of sending first, then the next (if it has begun), then the days back to ``since``.
        days = sorted({last - dt.timedelta(days=n) for n in range((last - first).days + 1)},
                      key=lambda day: (day != sent, day < sent, -day.toordinal()))[:QUERY_DAYS]
        found: list[dict[str, Any]] = []
        for day in days:
            for page in range(1, QUERY_PAGES + 1):
                query = {"PhoneNumber": phone, "SendDate": day.strftime("%Y%m%d"), "PageSize": str(PAGE_SIZE),
                         "CurrentPage": str(page)}
                if biz_id:
                    query["BizId"] = biz_id
                answer = self._call("QuerySendDetails", query)
                details = (answer.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
                found += [d for d in details if isinstance(d, dict)]
                if biz_id and found:
                    return found
                if len(details) < PAGE_SIZE:
                    break
        return found

    def _call(self, action: str, params: Mapping[str, str]) -> dict[str, Any]:
        request = {
            "AccessKeyId": self.access_key_id, "Action": action, "Format": "JSON", "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.uuid4().hex, "SignatureVersion": "1.0",
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION, **params,
        }
        request["Signature"] = rpc_signature(request, self._secret, "POST")
        try:
            response = requests.post(self.endpoint, data=request, timeout=self.timeout)
        except requests.Timeout:
            raise TransientSmsError("短信网关响应超时", code="Timeout") from None
        except requests.RequestException:
            raise TransientSmsError("无法连接短信网关", code="ConnectionError") from None
        if response.status_code >= 500:
            raise TransientSmsError("短信网关暂时不可用", code=f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise PermanentSmsError("短信网关应答无法识别", code=f"HTTP {response.status_code}")
        code = str(answer.get("Code") or "")
        if code == "OK" and response.status_code == 200:
            return answer
        raise _error(code, response.status_code)


def _error(code: str, status: int) -> PermanentSmsError | TransientSmsError:
    safe_code = re.sub(r"[^\w.\-]", "", code)[:60] or f"HTTP {status}"
    if code in TRANSIENT_CODES or code.startswith("Throttling"):
        return TransientSmsError(TRANSIENT_CODES.get(code, "短信网关限流"), code=safe_code)
    return PermanentSmsError(PERMANENT_CODES.get(code, "短信网关拒绝发送"), code=safe_code)


def _report(detail: Mapping[str, Any]) -> DeliveryReport:
    status = int(detail.get("SendStatus") or 1)
    at = None
    if detail.get("ReceiveDate"):
        try:
            at = dt.datetime.strptime(str(detail["ReceiveDate"]), "%Y-%m-%d %H:%M:%S").replace(tzinfo=PROVIDER_TZ)
        except ValueError:
            at = None
    error = re.sub(r"[^\w.\-:]", "", str(detail.get("ErrCode") or ""))[:64]
    if status == 3:
        return DeliveryReport(SmsDelivery.DELIVERED, at, error)
    if status == 2:
        return DeliveryReport(SmsDelivery.UNDELIVERED, at, error)
    return DeliveryReport(SmsDelivery.PENDING)
