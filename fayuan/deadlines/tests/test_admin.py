"""The system administrator enters a new year's holiday schedule in the admin: days inline, every change audited,
provisional deadlines recomputed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.models import AuditEntry
from fayuan.deadlines import events as ev
from fayuan.deadlines.models import CalendarDay, CalendarYear
from fayuan.deadlines.services import deadline_start

D = dt.date


def year_form(**extra):
    data = {
        "year": "2027", "source": "国办发明电〔2026〕测试号", "complete": "on",
        "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01", "days-0-name": "元旦",
        "days-1-date": "2027-01-04", "days-1-name": "元旦",
    }
    data.update(extra)
    return data


def test_new_year_entered_in_admin_is_audited_and_clears_provisional_deadlines(client, city):
    (deadline,) = deadline_start(subject=city.person_a, event=ev.APPLICATION_RECEIVED, on=D(2026, 12, 28),
                                 center=city.center_a)
    assert (deadline.due_on, deadline.provisional) == (D(2027, 1, 4), True)
    sign_in(client, city.user("sysadmin"))
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # numbers have gaps
    response = client.post(reverse("admin:deadlines_calendaryear_add"), year_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert sorted(year.days.values_list("date", flat=True)) == [D(2027, 1, 1), D(2027, 1, 4)]
    types = list(AuditEntry.objects.filter(seq__gt=before).values_list("object_type", flat=True))
    assert types.count("deadlines.calendarday") == 2 and "deadlines.calendaryear" in types
    assert "deadlines.deadline" in types
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional) == (D(2027, 1, 5), False)


def test_makeup_workday_on_a_weekday_is_refused(client, city):
    sign_in(client, city.user("sysadmin"))
    response = client.post(reverse("admin:deadlines_calendaryear_add"),
                           year_form(**{"days-1-date": "2027-01-05", "days-1-is_workday": "on"}))
    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.parametrize("username", ["bureau", "reviewer_a"])
def test_only_the_system_administrator_uses_the_admin(client, city, username):
    sign_in(client, city.user(username))
    assert client.get(reverse("admin:deadlines_calendaryear_changelist")).status_code == 404


def test_day_outside_its_year_is_refused(client, city):
    sign_in(client, city.user("sysadmin"))
    response = client.post(reverse("admin:deadlines_calendaryear_add"), year_form(**{"days-1-date": "2028-01-03"}))
    assert response.status_code == 200
    assert "日期不在该年度内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
