"""The daily reminder job: who is reminded, by which channel, with what text, and never twice a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from fayuan.deadlines import events as ev
from fayuan.deadlines.models import Reminder
from fayuan.deadlines.services import deadline_send_reminders, deadline_start, deadline_stop
from fayuan.notifications.models import Notification, SmsLog
from fayuan.notifications.services import contact_preference_set
from fayuan.notifications.sms import LoggingSMSBackend

D = dt.date
SH = ZoneInfo("Asia/Shanghai")
REF = "（2026）京法援字第7号"


@pytest.fixture
def due_monday(city):
    """A decision deadline of center A started Mon 2 Mar 2026, due Mon 9 Mar; nobody named responsible."""
    (deadline,) = deadline_start(subject=city.person_a, event=ev.APPLICATION_RECEIVED, on=D(2026, 3, 2),
                                 center=city.center_a, reference=REF)
    contact_preference_set(actor=city.user("sysadmin"), user=city.user("reviewer_a"), phone="13912340002")
    return deadline


def run(on: str) -> str:
    out = StringIO()
    call_command("send_deadline_reminders", "--date", on, stdout=out)
    return out.getvalue()


def counts():
    return Reminder.objects.count(), Notification.objects.count(), len(LoggingSMSBackend.outbox)


def test_running_twice_a_day_sends_nothing_twice(city, due_monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert "已发送 3 条提醒" in run("2026-03-08")
    # Reviewer and director of center A in the app; the reviewer, who gave a phone, also by SMS.
    assert counts() == (3, 2, 1)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"reviewer_a", "director_a"}
    with django_capture_on_commit_callbacks(execute=True):
        assert "已发送 0 条提醒" in run("2026-03-08")
    assert counts() == (3, 2, 1)
    # The next day (due today) is a new day: one more round.
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-03-09")
    assert counts() == (6, 4, 2)


def test_texts_name_the_deadline_and_state_but_no_personal_data(city, due_monday,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-03-08")
    note = Notification.objects.filter(user=city.user("reviewer_a")).get()
    assert "明日到期" in note.title and "作出是否给予法律援助的决定" in note.title
    assert REF in note.body and "2026-03-09" in note.body
    assert note.link == "/office/deadlines/"
    (sms,) = LoggingSMSBackend.outbox
    assert sms.phone == "13912340002"
    assert REF in sms.text and "2026-03-09" in sms.text and "明日到期" in sms.text
    for private in ("张三", "13800000001", "13912340002"):  # the person's name and phone, the phone texted
        assert private not in sms.text and private not in note.body
    log = SmsLog.objects.get()
    assert (log.phone_masked, log.ok) == ("139****0002", True)


def test_today_and_overdue_wording(city, due_monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-03-09")
        run("2026-03-12")
    titles = list(Notification.objects.filter(user=city.user("director_a")).values_list("title", flat=True))
    assert any("今日到期" in t for t in titles) and any("已逾期3日" in t for t in titles)


def test_not_yet_due_met_and_cancelled_deadlines_are_not_reminded(city, due_monday,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_send_reminders(on=D(2026, 3, 7)) == 0  # due in two days
        deadline_stop(subject=city.person_a, event=ev.DECISION_MADE, at=dt.datetime(2026, 3, 8, 9, tzinfo=SH))
        assert deadline_send_reminders(on=D(2026, 3, 9)) == 0
    assert counts() == (0, 0, 0)


def test_responsible_user_alone_is_reminded(city, django_capture_on_commit_callbacks):
    deadline_start(subject=city.person_a, event=ev.PROVIDER_ASSIGNED, on=D(2026, 3, 2), center=city.center_a,
                   responsible_user=city.user("provider_a"))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_send_reminders(on=D(2026, 3, 9)) == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["provider_a"]


def test_inactive_responsible_user_falls_back_to_the_center(city, django_capture_on_commit_callbacks):
    provider = city.user("provider_a")
    provider.is_active = False
    provider.save(update_fields=["is_active"])
    deadline_start(subject=city.person_a, event=ev.PROVIDER_ASSIGNED, on=D(2026, 3, 2), center=city.center_a,
                   responsible_user=provider)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_send_reminders(on=D(2026, 3, 9))
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"reviewer_a", "director_a"}


def test_sms_off_means_in_app_only(city, due_monday, django_capture_on_commit_callbacks):
    contact_preference_set(actor=city.user("sysadmin"), user=city.user("reviewer_a"), phone="13912340002",
                           sms_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-03-08")
    assert counts() == (2, 2, 0)


def test_no_sms_is_sent_when_the_transaction_does_not_commit(city, due_monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run("2026-03-08")
    assert len(callbacks) == 1 and LoggingSMSBackend.outbox == []


def test_command_defaults_to_today_in_shanghai(city, due_monday, django_capture_on_commit_callbacks):
    # 23:30 UTC on 7 Mar is already 8 Mar in Shanghai: the deadline is due tomorrow.
    with time_machine.travel(dt.datetime(2026, 3, 7, 23, 30, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_deadline_reminders", stdout=out)
    assert "2026-03-08" in out.getvalue()
    assert Reminder.objects.filter(sent_on=D(2026, 3, 8)).count() == 3


def test_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("send_deadline_reminders", "--date", "2026/03/08")
