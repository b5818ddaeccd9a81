"""The Alibaba Cloud SMS backend against a local fake of the provider, over real HTTP on 127.0.0.1: the signature
the fake verifies, OutId and BizId, retries of transient failures through the task, permanent refusals failed at
once, a hung gateway cut by the timeout, delivery receipts pulled, and the secret never written anywhere."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from fayuan.core.crypto import decrypt_text
from fayuan.core.models import TaskFailure
from fayuan.notifications.aliyun import AliyunSMSBackend, percent_encode, rpc_signature
from fayuan.notifications.aliyun_fake import FakeAliyunSms, expected_signature
from fayuan.notifications.checks import check_sms_gateway
from fayuan.notifications.models import SmsDelivery, SmsLog, SmsMessage, SmsStatus
from fayuan.notifications.sms import (
    MAX_ATTEMPTS,
    RECEIPT_GIVE_UP,
    PermanentSmsError,
    TransientSmsError,
    send_sms,
    sms_message_deliver,
    sms_receipts_fetch,
)
from fayuan.notifications.sms_templates import TEMPLATES
from fayuan.notifications.tasks import sms_fetch_receipts

KEY_ID = "LTAI5tTestKeyId"
SECRET = "Test/Secret+Key=0123456789abcdef"  # characters the percent-encoding must get right
PHONE = "13800000001"
CODES = {key: f"SMS_{4650000 + i}" for i, key in enumerate(TEMPLATES)}


@pytest.fixture
def gateway(settings: Any) -> Any:
    fake = FakeAliyunSms(KEY_ID, SECRET, template_codes=set(CODES.values()) | {"SMS_9999999"}, hang_seconds=4)
    fake.start()
    settings.SMS_BACKEND = "fayuan.notifications.aliyun.AliyunSMSBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = "镇江法援"
    settings.SMS_ALIYUN_ENDPOINT = fake.url
    settings.SMS_ALIYUN_TEMPLATES = dict(CODES)
    settings.SMS_ALIYUN_CONNECT_TIMEOUT = settings.SMS_ALIYUN_READ_TIMEOUT = 0.5
    yield fake
    fake.stop()


def queue(*args: Any, **kwargs: Any) -> SmsMessage:
    """Queue a message and run its (immediate) task, retries included, as after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = send_sms(*args, **kwargs)
    message.refresh_from_db()
    return message


def test_the_signature_matches_the_providers_documented_example():
    # Alibaba Cloud's own worked example of the RPC signature (ECS DescribeRegions, secret "testsecret").
    params = {"Timestamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1", "Version": "2014-05-26",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0"}
    assert rpc_signature(params, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert expected_signature(params, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert percent_encode("a b*c~/镇") == "a%20b%2Ac~%2F%E9%95%87"
    chinese = {**params, "SignName": "镇江法援", "TemplateParam": '{"number":"镇法援〔2026〕1号"}'}
    assert rpc_signature(chinese, SECRET) == expected_signature(chinese, SECRET, "POST")


def test_a_template_message_goes_out_signed_with_its_own_id_and_the_biz_id_is_recorded(db, gateway):
    message = queue(PHONE, template="otp_code", params={"code": "654321", "minutes": 5},
                    log_text="【镇江法援】登录验证码（内容不记录）")
    assert gateway.rejected == []
    (sent,) = gateway.sent
    assert (sent.phone, sent.sign_name, sent.template_code, sent.out_id) == (
        PHONE, "镇江法援", CODES["otp_code"], str(message.pk))
    assert sent.template_param == {"code": "654321", "minutes": "5"}
    (request,) = gateway.requests
    assert request["Action"] == "SendSms" and request["Version"] == "2017-05-25" and request["Format"] == "JSON"
    assert (message.status, message.attempts, message.provider_id, message.delivery) == (
        SmsStatus.SENT, 1, sent.biz_id, SmsDelivery.PENDING)
    assert message.template == "otp_code"
    assert (message.body_encrypted, message.params_encrypted) == ("", "")  # a sign-in code is not kept
    assert SmsLog.objects.get().text == "【镇江法援】登录验证码（内容不记录）"


def test_the_gateway_checks_the_signature_and_a_wrong_secret_fails_at_once(db, gateway, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET + "x"
    message = queue(PHONE, template="application_submitted", params={"number": "镇法援〔2026〕1号"})
    assert gateway.rejected == ["SignatureDoesNotMatch"] and gateway.sent == []
    assert (message.status, message.attempts) == (SmsStatus.FAILED, 1)
    assert message.last_error == "请求签名校验失败（访问密钥不匹配）"
    assert not TaskFailure.objects.exists()  # not retried: a refusal, not a failure of the task
    assert list(SmsLog.objects.values_list("ok", flat=True)) == [False]


def test_a_tampered_request_is_refused_by_the_fake(gateway):
    backend = AliyunSMSBackend()
    backend.access_key_id = "LTAI-someone-else"
    with pytest.raises(PermanentSmsError, match=r"InvalidAccessKeyId\.NotFound"):
        backend.send(PHONE, "x", message_id="m", template="otp_code", params={"code": "1", "minutes": "5"})
    assert gateway.rejected == ["InvalidAccessKeyId.NotFound"]


def test_transient_failures_are_retried_with_the_same_out_id_then_sent(db, gateway):
    gateway.fail_next("http500", "throttle")
    message = queue(PHONE, template="center_message", params={"number": "镇法援〔2026〕2号"})
    assert (message.status, message.attempts, message.last_error) == (SmsStatus.SENT, 3, "")
    assert list(SmsLog.objects.order_by("id").values_list("ok", flat=True)) == [False, False, True]
    sends = [r for r in gateway.requests if r["Action"] == "SendSms"]
    assert {r["OutId"] for r in sends} == {str(message.pk)} and len(sends) == 3
    assert len({r["SignatureNonce"] for r in gateway.requests}) == len(gateway.requests) == 5  # 2 look-ups
    assert len(gateway.sent) == 1 and message.provider_id == gateway.sent[0].biz_id


def test_a_transient_failure_records_its_reason_until_the_next_attempt(db, gateway, django_capture_on_commit_callbacks):
    gateway.fail_next("throttle")
    with django_capture_on_commit_callbacks() as callbacks:
        message = send_sms(PHONE, template="center_message", params={"number": "1"})
    with pytest.raises(TransientSmsError, match="BUSINESS_LIMIT_CONTROL"):
        sms_message_deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.last_error) == (SmsStatus.QUEUED, "触发短信网关流量控制")
    assert len(callbacks) == 1


def test_retries_are_bounded(db, gateway):
    gateway.fail_next(*["http500"] * MAX_ATTEMPTS)
    message = queue(PHONE, template="center_message", params={"number": "镇法援〔2026〕3号"})
    assert (message.status, message.attempts, message.last_error) == (SmsStatus.FAILED, MAX_ATTEMPTS,
                                                                      "短信网关暂时不可用")
    assert TaskFailure.objects.get().attempts == MAX_ATTEMPTS and gateway.sent == []


def test_an_illegal_number_fails_at_once_with_a_chinese_reason(db, gateway, caplog):
    gateway.fail_next("illegal_number")
    with caplog.at_level(logging.WARNING):
        message = queue(PHONE, template="center_message", params={"number": "镇法援〔2026〕4号"})
    assert (message.status, message.attempts) == (SmsStatus.FAILED, 1)
    assert message.last_error == "手机号码格式错误"
    assert len(gateway.requests) == 1 and not TaskFailure.objects.exists()  # neither retried nor looked up
    assert "isv.MOBILE_NUMBER_ILLEGAL" in caplog.text and PHONE not in caplog.text


def test_an_unapproved_template_fails_at_once(db, gateway, settings):
    settings.SMS_ALIYUN_TEMPLATES = {**CODES, "center_message": "SMS_0000000"}
    message = queue(PHONE, template="center_message", params={"number": "5"})
    assert (message.status, message.last_error) == (SmsStatus.FAILED, "短信模板不存在或未通过审核")


def test_a_text_without_a_template_needs_the_generic_template(db, gateway, settings):
    first = queue(PHONE, "【镇江法援】测试短信")
    assert (first.status, first.attempts, gateway.requests) == (SmsStatus.FAILED, 1, [])
    assert first.last_error.startswith("未配置短信模板（自由文本）")
    settings.SMS_ALIYUN_TEMPLATES = {**CODES, "content": "SMS_9999999"}
    second = queue(PHONE, "【镇江法援】测试短信")
    assert second.status == SmsStatus.SENT
    assert (gateway.sent[0].template_code, gateway.sent[0].template_param) == ("SMS_9999999", {"content": "测试短信"})


def test_a_hung_gateway_is_cut_by_the_timeout_and_retried(db, gateway):
    gateway.fail_next("hang")
    started = time.monotonic()
    message = queue(PHONE, template="center_message", params={"number": "镇法援〔2026〕6号"})
    elapsed = time.monotonic() - started
    assert (message.status, message.attempts) == (SmsStatus.SENT, 2)
    assert elapsed < gateway.hang_seconds  # the 0.5 s read timeout, not the gateway, ended the first attempt
    assert SmsLog.objects.filter(ok=False).count() == 1


def test_a_message_the_gateway_took_before_a_timeout_is_not_sent_again(db, gateway):
    """The answer was lost, not the message: the retry finds our id (OutId) in the provider's records."""
    gateway.fail_next("accept_then_hang")
    message = queue(PHONE, template="center_message", params={"number": "镇法援〔2026〕13号"})
    assert (message.status, message.attempts, message.delivery) == (SmsStatus.SENT, 2, SmsDelivery.PENDING)
    assert [r["Action"] for r in gateway.requests] == ["SendSms", "QuerySendDetails"]
    (sent,) = gateway.sent
    assert sent.out_id == str(message.pk) and message.provider_id == ""  # the records do not carry the BizId
    gateway.report(sent.biz_id, delivered=True)
    assert sms_receipts_fetch()["delivered"] == 1  # found by our id as well
    message.refresh_from_db()
    assert message.delivery == SmsDelivery.DELIVERED


def test_a_retry_sends_again_when_the_gateway_has_no_record(db, gateway):
    gateway.fail_next("hang")
    other = queue(PHONE, template="center_message", params={"number": "14"})  # the same number, another message
    gateway.fail_next("hang")
    message = queue(PHONE, template="center_message", params={"number": "15"})
    assert (message.status, message.attempts) == (SmsStatus.SENT, 2)
    assert [m.out_id for m in gateway.sent] == [str(other.pk), str(message.pk)]


def _sent(n: int) -> list[SmsMessage]:
    return [queue(f"1380000000{i}", template="center_message", params={"number": f"镇法援〔2026〕{i}号"})
            for i in range(1, n + 1)]


def test_receipts_record_delivered_and_failed_and_give_up_after_72_hours(db, gateway):
    delivered, failed, silent = _sent(3)
    at = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=5)
    gateway.report(delivered.provider_id, delivered=True, at=at)
    gateway.report(failed.provider_id, delivered=False, err_code="MK:0001", at=at)
    assert sms_fetch_receipts.call() == {"delivered": 1, "undelivered": 1, "unknown": 0, "pending": 1, "errors": 0}
    for message in (delivered, failed, silent):
        message.refresh_from_db()
    assert (delivered.delivery, delivered.delivered_at, delivered.delivery_error) == (
        SmsDelivery.DELIVERED, at, "DELIVERED")
    assert (failed.delivery, failed.delivered_at, failed.delivery_error) == (SmsDelivery.UNDELIVERED, at, "MK:0001")
    assert silent.delivery == SmsDelivery.PENDING and silent.delivery_checked_at is not None
    queries = [r for r in gateway.requests if r["Action"] == "QuerySendDetails"]
    assert {r["BizId"] for r in queries} == {m.provider_id for m in (delivered, failed, silent)}
    assert all(r["PhoneNumber"].startswith("1380000000") and len(r["SendDate"]) == 8 for r in queries)

    # Asked again next hour: only the one still pending; after 72 hours it is given up as unknown.
    assert sms_receipts_fetch()["pending"] == 1
    later = dt.datetime.now(dt.UTC) + RECEIPT_GIVE_UP + dt.timedelta(hours=1)
    assert sms_receipts_fetch(now=later) == {"delivered": 0, "undelivered": 0, "unknown": 1, "pending": 0,
                                             "errors": 0}
    silent.refresh_from_db()
    assert silent.delivery == SmsDelivery.UNKNOWN
    assert sms_receipts_fetch() == {"delivered": 0, "undelivered": 0, "unknown": 0, "pending": 0, "errors": 0}


def test_a_gateway_outage_stops_the_receipts_run_and_the_next_run_goes_on(db, gateway):
    first, second = _sent(2)
    gateway.report(first.provider_id, delivered=True)
    gateway.report(second.provider_id, delivered=True)
    gateway.fail_next("http500", action="QuerySendDetails")
    assert sms_receipts_fetch()["errors"] == 1
    assert SmsMessage.objects.filter(delivery=SmsDelivery.PENDING).count() == 2
    assert sms_receipts_fetch()["delivered"] == 2


def test_messages_of_a_backend_without_receipts_are_not_tracked(db, settings):
    message = queue(PHONE, template="center_message", params={"number": "7"})
    assert (message.status, message.provider_id, message.delivery) == (SmsStatus.SENT, "", "")
    assert sms_receipts_fetch()["pending"] == 0


def test_the_secret_and_the_number_never_reach_the_logs_or_the_rows(db, gateway, caplog, settings):
    gateway.fail_next("http500", "hang", "illegal_number")
    with caplog.at_level(logging.DEBUG):
        queue(PHONE, template="center_message", params={"number": "8"})  # 500, hang, refused
        queue(PHONE, template="center_message", params={"number": "9"})
        settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET + "wrong"
        queue(PHONE, template="center_message", params={"number": "10"})
        settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
        gateway.report(gateway.sent[0].biz_id, delivered=True)
        sms_receipts_fetch()
    assert caplog.records, "the attempts were logged"
    rows = json.dumps([list(SmsMessage.objects.values()), list(SmsLog.objects.values()),
                       list(TaskFailure.objects.values())], default=str, ensure_ascii=False)
    for secret in (SECRET, percent_encode(SECRET)):
        assert secret not in caplog.text and secret not in rows
        assert not any(secret in value for request in gateway.requests for value in request.values())
    assert PHONE not in caplog.text
    assert SECRET not in repr(AliyunSMSBackend())
    assert decrypt_text(SmsMessage.objects.filter(template="center_message").first().phone_encrypted) == PHONE


def test_missing_configuration_is_refused(db, gateway, settings):
    settings.SMS_ALIYUN_SIGN_NAME = ""
    message = queue(PHONE, template="center_message", params={"number": "11"})
    assert (message.status, message.attempts, message.last_error) == (SmsStatus.FAILED, MAX_ATTEMPTS,
                                                                      "ImproperlyConfigured")


def test_the_templates_command_lists_what_to_register_and_checks_the_codes(settings):
    settings.SMS_ALIYUN_TEMPLATES = {}
    out = StringIO()
    call_command("sms_templates", stdout=out)
    text = out.getvalue()
    assert "您的登录验证码是 ${code}" in text and "验证码" in text and f"未配置模板号：{len(TEMPLATES)} 个" in text
    with pytest.raises(CommandError):
        call_command("sms_templates", "--check", stdout=StringIO())
    settings.SMS_ALIYUN_TEMPLATES = dict(CODES)
    call_command("sms_templates", "--check", stdout=StringIO())
    settings.SMS_ALIYUN_TEMPLATES = {**CODES, "otp": "SMS_1"}
    with pytest.raises(CommandError):
        call_command("sms_templates", "--check", stdout=StringIO())


def test_the_send_test_command_reaches_the_gateway(gateway):
    out = StringIO()
    call_command("sms_send_test", PHONE, stdout=out)
    assert "138****0001" in out.getvalue() and gateway.sent[0].biz_id in out.getvalue()
    assert PHONE not in out.getvalue()
    gateway.fail_next("illegal_number")
    with pytest.raises(CommandError, match="手机号码格式错误"):
        call_command("sms_send_test", PHONE, stdout=StringIO())


def test_the_deploy_check_names_what_the_gateway_lacks(settings):
    assert check_sms_gateway() == []  # the development backend: nothing to check
    settings.SMS_BACKEND = "fayuan.notifications.aliyun.AliyunSMSBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = KEY_ID, ""
    settings.SMS_ALIYUN_SIGN_NAME, settings.SMS_ALIYUN_TEMPLATES = "镇江法援", {}
    settings.SMS_ALIYUN_ENDPOINT = "http://dysmsapi.aliyuncs.com"
    assert [m.id for m in check_sms_gateway()] == ["fayuan.sms.E001", "fayuan.sms.W001", "fayuan.sms.W002"]
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET, settings.SMS_ALIYUN_TEMPLATES = SECRET, dict(CODES)
    settings.SMS_ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com"
    assert check_sms_gateway() == []
