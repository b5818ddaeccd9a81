"""The deadline queue page: sections, scoping by center, 404 for roles without a queue, bounded queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.deadlines import events as ev
from fayuan.deadlines.selectors import deadlines_for_center, deadlines_for_user
from fayuan.deadlines.services import deadline_start

pytestmark = pytest.mark.urls("fayuan.deadlines.tests.urls")

D = dt.date
TODAY = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def queue(city):
    """Center A: one overdue (due 9 Mar), one due today (10 Mar), one upcoming (due 13 Mar); center B: one."""
    start = {"center": city.center_a}
    deadline_start(subject=city.person_a, event=ev.APPLICATION_RECEIVED, on=D(2026, 3, 2), reference="A-逾期", **start)
    deadline_start(subject=city.person_a, event=ev.AID_GRANTED, on=D(2026, 3, 7), reference="A-今日", **start)
    deadline_start(subject=city.person_station_a, event=ev.APPLICATION_RECEIVED, on=D(2026, 3, 6),
                   reference="A-将到期", **start)
    deadline_start(subject=city.person_b, event=ev.APPLICATION_RECEIVED, on=D(2026, 3, 6), center=city.center_b,
                   reference="B-将到期")
    return city


def login(client, city, username):
    sign_in(client, city.user(username))
    return client


def test_selector_splits_the_center_queue(queue):
    q = deadlines_for_center(queue.center_a, on=TODAY)
    assert [d.reference for d in q.overdue] == ["A-逾期"]
    assert [d.reference for d in q.due_today] == ["A-今日"]
    assert [d.reference for d in q.upcoming] == ["A-将到期"]


@pytest.mark.parametrize(("username", "visible"), [
    ("reviewer_a", {"A-逾期", "A-今日", "A-将到期"}),
    ("director_a", {"A-逾期", "A-今日", "A-将到期"}),
    ("reviewer_b", {"B-将到期"}),
    ("bureau", {"A-逾期", "A-今日", "A-将到期", "B-将到期"}),
    ("provider_a", set()),
    ("clerk_a", set()),
    ("auditor", set()),
    ("sysadmin", set()),
])
def test_user_queue_is_scoped(queue, username, visible):
    q = deadlines_for_user(queue.user(username), TODAY)
    assert {d.reference for d in [*q.overdue, *q.due_today, *q.upcoming]} == visible


def test_page_shows_the_center_queue_in_sections(client, queue):
    response = login(client, queue, "reviewer_a").get(reverse("deadlines:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("A-逾期") < html.index("A-今日") < html.index("A-将到期")
    assert "逾期 1 日" in html and "今日到期" in html and "还有 3 日" in html
    assert "B-将到期" not in html
    assert "张三" not in html  # the queue shows case references, not names


def test_other_centers_reviewer_does_not_see_the_deadline(client, queue):
    html = login(client, queue, "reviewer_b").get(reverse("deadlines:queue")).content.decode()
    assert "B-将到期" in html
    assert "A-逾期" not in html and "A-今日" not in html


def test_bureau_sees_every_center_with_its_name(client, queue):
    html = login(client, queue, "bureau").get(reverse("deadlines:queue")).content.decode()
    assert "A-逾期" in html and "B-将到期" in html and queue.center_b.name in html


@pytest.mark.parametrize("username", ["provider_a", "duty_a", "clerk_a", "organ_a", "auditor", "sysadmin",
                                      "applicant"])
def test_roles_without_a_queue_get_404(client, queue, username):
    assert login(client, queue, username).get(reverse("deadlines:queue")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, queue):
    response = client.get(reverse("deadlines:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_runs_a_bounded_number_of_queries(client, queue, django_assert_max_num_queries):
    def load():
        # the sign-in's reads, three sections and their three counts, the same at any size
        with django_assert_max_num_queries(11):
            return client.get(reverse("deadlines:queue"))

    login(client, queue, "bureau")
    assert load().status_code == 200
    # Many more deadlines, of several subject types, centers and responsible users: still the same queries.
    for i, user in enumerate(queue.users.values()):
        deadline_start(subject=user, event=ev.APPLICATION_RECEIVED, on=D(2026, 3, 1 + i % 9),
                       center=queue.center_a if i % 2 else queue.center_b, responsible_user=user)
    response = load()
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 16


def test_a_long_section_shows_its_most_urgent_rows_its_total_and_where_the_rest_are(client, queue, monkeypatch):
    from fayuan.deadlines import views

    monkeypatch.setattr(views, "SECTION_ROWS", 0)
    html = login(client, queue, "reviewer_a").get(reverse("deadlines:queue")).content.decode()
    assert "已逾期（1）" in html and "A-逾期" not in html
    assert "显示期满日最早的 0 条" in html and "?tab=overdue" in html
