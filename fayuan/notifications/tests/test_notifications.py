"""In-app notifications (own inbox only), SMS masking and logging, and the inbox pages."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.crypto import decrypt_text
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.core.models import AuditEntry, TaskFailure
from fayuan.notifications.models import ContactPreference, Notification, SmsLog, SmsMessage, SmsStatus
from fayuan.notifications.selectors import notifications_for, sms_phone_for, unread_count
from fayuan.notifications.services import contact_preference_set, notification_mark_read, notification_send
from fayuan.notifications.sms import (
    MAX_ATTEMPTS,
    BaseSMSBackend,
    LoggingSMSBackend,
    mask_phone,
    send_sms,
    sms_message_deliver,
)

URLS = "fayuan.notifications.tests.urls"


class FailingBackend(BaseSMSBackend):
    def send(self, phone: str, text: str, *, message_id: str, template: str = "",
             params: Any = None) -> None:
        raise ConnectionError("gateway down")


def test_send_and_list_own_notifications(city):
    reviewer = city.user("reviewer_a")
    first = notification_send(user=reviewer, title="期限提醒", body="内容", link="/office/deadlines/")
    notification_send(user=reviewer, title="第二条", body="")
    notification_send(user=city.user("reviewer_b"), title="别人的", body="")
    assert [n.title for n in notifications_for(reviewer)] == ["第二条", "期限提醒"]
    assert unread_count(reviewer) == 2
    entry = AuditEntry.objects.latest("seq")
    assert entry.object_type == "notifications.notification"
    assert AuditEntry.objects.filter(object_type="notifications.notification", object_id=str(first.pk)).exists()


@pytest.mark.parametrize("link", ["https://example.com/x", "//evil.example/", "/office/people/?id=320102", "x/y",
                                  "/a#frag"])
def test_link_must_be_a_bare_site_path(city, link):
    with pytest.raises(ValidationFailed):
        notification_send(user=city.user("reviewer_a"), title="t", body="", link=link)
    assert Notification.objects.count() == 0


def test_title_is_required(city):
    with pytest.raises(ValidationFailed):
        notification_send(user=city.user("reviewer_a"), title="  ", body="")


def test_mark_read_is_scoped_to_the_owner(city):
    note = notification_send(user=city.user("reviewer_a"), title="t", body="")
    with pytest.raises(NotFoundOrForbidden):
        notification_mark_read(user=city.user("reviewer_b"), notification_id=note.pk)
    note.refresh_from_db()
    assert note.read_at is None
    read = notification_mark_read(user=city.user("reviewer_a"), notification_id=note.pk)
    first_read = read.read_at
    assert first_read is not None
    assert notification_mark_read(user=city.user("reviewer_a"), notification_id=note.pk).read_at == first_read
    assert list(notifications_for(city.user("reviewer_a"), unread_only=True)) == []


@pytest.mark.parametrize(("phone", "masked"), [
    ("13800000001", "138****0001"), ("+86 139-1234-0002", "861****0002"), ("12345", "****"), ("", "****"),
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_logging_backend_masks_the_phone_and_keeps_an_outbox(db, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="fayuan.notifications.sms"), \
            django_capture_on_commit_callbacks(execute=True):
        message = send_sms("13800000001", "【镇江法援】测试")
    assert "138****0001" in caplog.text and "13800000001" not in caplog.text
    assert [(m.phone, m.text, m.message_id) for m in LoggingSMSBackend.outbox] == [
        ("13800000001", "【镇江法援】测试", str(message.pk))]
    log = SmsLog.objects.get()
    assert (log.phone_masked, log.text, log.backend, log.ok, log.message_id) == (
        "138****0001", "【镇江法援】测试", "fayuan.notifications.sms.LoggingSMSBackend", True, message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.SENT, 1)


def test_the_message_is_stored_encrypted_in_the_callers_transaction_and_sent_only_after_commit(
        db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        message = send_sms("13800000001", "【镇江法援】测试")
    assert LoggingSMSBackend.outbox == [] and len(callbacks) == 1
    stored = SmsMessage.objects.get()
    assert stored.status == SmsStatus.QUEUED and stored.phone_masked == "138****0001"
    assert "13800000001" not in stored.phone_encrypted and decrypt_text(stored.phone_encrypted) == "13800000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        send_sms("13800000002", "回滚")
        raise RuntimeError
    assert list(SmsMessage.objects.values_list("pk", flat=True)) == [message.pk]


def test_a_message_already_sent_is_not_sent_again(db):
    with transaction.atomic():
        message = send_sms("13800000001", "【镇江法援】测试")
    assert sms_message_deliver(message.pk) == "sent"
    assert sms_message_deliver(message.pk) == "sent"  # the task ran twice (a retry, a recovered task)
    assert len(LoggingSMSBackend.outbox) == 1 and SmsLog.objects.count() == 1


def test_a_sign_in_code_is_never_logged_and_not_kept_once_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("13800000001", "验证码 654321", log_text="登录验证码（内容不记录）")
    assert LoggingSMSBackend.outbox[0].text == "验证码 654321"
    assert SmsLog.objects.get().text == "登录验证码（内容不记录）"
    message.refresh_from_db()
    assert (message.status, message.body_encrypted) == (SmsStatus.SENT, "")


def test_gateway_failures_are_retried_then_recorded_never_raised(db, settings, caplog,
                                                                 django_capture_on_commit_callbacks):
    """The immediate backend of the tests runs each retry at once; the database backend waits between them."""
    settings.SMS_BACKEND = "fayuan.notifications.tests.test_notifications.FailingBackend"
    with caplog.at_level(logging.ERROR, logger="fayuan.notifications.sms"), \
            django_capture_on_commit_callbacks(execute=True):
        message = send_sms("13800000001", "测试")
    assert "13800000001" not in caplog.text
    assert list(SmsLog.objects.values_list("ok", flat=True)) == [False] * MAX_ATTEMPTS
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (SmsStatus.FAILED, MAX_ATTEMPTS,
                                                                      "ConnectionError")
    failure = TaskFailure.objects.get()
    assert failure.task_path == "fayuan.notifications.tasks.sms_deliver" and failure.attempts == MAX_ATTEMPTS
    assert failure.arguments == {"args": [str(message.pk)]}
    assert LoggingSMSBackend.outbox == []
    assert sms_message_deliver(message.pk) == SmsStatus.FAILED  # given up: not tried again


@pytest.mark.parametrize("text", ["身份证320102198005170011", "号码32010219800517001X请核对", "老号320102800517001"])
def test_text_with_an_id_number_is_never_sent(db, text):
    with pytest.raises(ValidationFailed):
        send_sms("13800000001", text)
    assert LoggingSMSBackend.outbox == [] and SmsLog.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_contact_preference(city):
    reviewer = city.user("reviewer_a")
    assert sms_phone_for(reviewer) == ""
    contact_preference_set(actor=city.user("sysadmin"), user=reviewer, phone="13912340002")
    assert sms_phone_for(reviewer) == "13912340002"
    contact_preference_set(actor=city.user("sysadmin"), user=reviewer, phone="13912340002", sms_enabled=False)
    assert sms_phone_for(reviewer) == ""
    assert ContactPreference.objects.count() == 1
    with pytest.raises(ValidationFailed):
        contact_preference_set(actor=city.user("sysadmin"), user=reviewer, phone="0511-1234")


@pytest.mark.urls(URLS)
def test_inbox_page_lists_only_own_notifications(client, city):
    notification_send(user=city.user("reviewer_a"), title="我的提醒", body="")
    notification_send(user=city.user("reviewer_b"), title="别人的提醒", body="")
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("notifications:list")).content.decode()
    assert "我的提醒" in html and "别人的提醒" not in html
    assert "未读（1）" in html


@pytest.mark.urls(URLS)
def test_mark_read_by_post_and_follow_the_link(client, city):
    note = notification_send(user=city.user("reviewer_a"), title="t", body="", link="/office/deadlines/")
    sign_in(client, city.user("reviewer_a"))
    url = reverse("notifications:read", args=[note.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"follow": "1"})
    assert (response.status_code, response["Location"]) == (302, "/office/deadlines/")
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.post(url)["Location"] == reverse("notifications:list")


@pytest.mark.urls(URLS)
def test_someone_elses_notification_is_404(client, city):
    note = notification_send(user=city.user("reviewer_a"), title="t", body="")
    sign_in(client, city.user("reviewer_b"))
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.urls(URLS)
def test_applicant_and_anonymous_cannot_use_the_office_inbox(client, city):
    sign_in(client, city.user("applicant"))
    assert client.get(reverse("notifications:list")).status_code == 404
    client.logout()
    assert client.get(reverse("notifications:list")).status_code == 302


def test_logging_backend_refuses_to_run_in_production(settings, caplog):
    """In production the development backend would log sign-in codes: the send fails and is recorded as failed."""
    settings.IS_PRODUCTION = True
    before = len(LoggingSMSBackend.outbox)
    with pytest.raises(ImproperlyConfigured, match="短信网关"):
        LoggingSMSBackend().send("13800000001", "您的验证码是 123456", message_id="m-1")
    assert len(LoggingSMSBackend.outbox) == before
    assert "123456" not in caplog.text
