"""The work queue: each role's to-do (from the workflow table), deadlines due today and overdue (scoped), all cases
with filters, and a query count that does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fayuan.cases import services
from fayuan.cases.models import Status

from .conftest import receive
from .views_support import _clock, _media, as_user, assigned_to, granted_case, station_case  # noqa: F401


def _rows(response):
    html = response.content.decode()
    return html[html.index('id="queue-results"'):] if 'id="queue-results"' in html else html


def test_each_role_sees_what_waits_for_it(client, city):
    at_station = station_case(city)
    received = receive(city)
    assigned = assigned_to(city, granted_case(city))
    refused = receive(city)
    services.case_decide(actor=city.user("reviewer_a"), public_id=refused.public_id, kind="refuse", reasons="测试")
    services.objection_file(actor=city.user("reviewer_a"), public_id=refused.public_id, grounds="不服")

    todo = {key: _rows(as_user(client, city, key).get(reverse("cases:queue"))) for key in
            ("clerk_a", "reviewer_a", "provider_a", "bureau", "reviewer_b", "duty_a")}
    assert at_station.number in todo["clerk_a"] and received.number not in todo["clerk_a"]
    assert received.number in todo["reviewer_a"] and at_station.number not in todo["reviewer_a"]
    assert assigned.number not in todo["reviewer_a"]  # waiting for the provider, not the center
    assert assigned.number in todo["provider_a"] and received.number not in todo["provider_a"]
    assert refused.number in todo["bureau"] and received.number not in todo["bureau"]
    assert "待审查异议" in as_user(client, city, "bureau").get(reverse("cases:queue")).content.decode()
    for key in ("reviewer_b", "duty_a"):
        assert not any(c.number in todo[key] for c in (at_station, received, assigned, refused))
    assert "审查决定" in todo["reviewer_a"] and "接受指派" in todo["provider_a"]  # the next step is named


def test_all_cases_filter_by_status_and_text(client, city):
    first = receive(city, matter_summary="追索劳动报酬")
    second = granted_case(city)
    reviewer = as_user(client, city, "reviewer_a")
    html = _rows(reviewer.get(reverse("cases:queue"), {"tab": "all", "status": Status.GRANTED}))
    assert second.number in html and first.number not in html
    html = _rows(reviewer.post(reverse("cases:queue"), {"q": first.number}, follow=True))
    assert first.number in html and second.number not in html
    search = reviewer.post(reverse("cases:queue"), {"q": "张三"})
    assert "张三" not in search["Location"] and "s=" in search["Location"]
    assert "张三" in _rows(reviewer.get(search["Location"]))
    # A name in the URL is not a search (it would be in the access log): the unfiltered list.
    html = _rows(reviewer.get(reverse("cases:queue"), {"tab": "all", "q": first.number}))
    assert first.number in html and second.number in html
    other = _rows(as_user(client, city, "reviewer_b").get(reverse("cases:queue"), {"tab": "all"}))
    assert first.number not in other and second.number not in other


def test_htmx_search_returns_only_the_results(client, city):
    receive(city)
    response = as_user(client, city, "reviewer_a").post(reverse("cases:queue"), {"q": "劳动"},
                                                      HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "追索劳动报酬" in html
    assert "劳动" not in response["HX-Push-Url"] and "s=" in response["HX-Push-Url"]


def test_overdue_and_due_today_come_from_the_deadlines_in_scope(client, city, _clock):  # noqa: F811
    case = receive(city)  # decide within 7 days (art. 43)
    _clock.shift(dt.timedelta(days=10))
    reviewer = as_user(client, city, "reviewer_a")
    html = _rows(reviewer.get(reverse("cases:queue"), {"tab": "overdue"}))
    assert case.number in html and "逾期" in html and reverse("cases:detail", args=[case.public_id]) in html
    assert case.number not in _rows(reviewer.get(reverse("cases:queue"), {"tab": "today"}))
    assert case.number in _rows(as_user(client, city, "bureau").get(reverse("cases:queue"), {"tab": "overdue"}))
    assert case.number not in _rows(as_user(client, city, "reviewer_b").get(reverse("cases:queue"),
                                                                           {"tab": "overdue"}))
    # the case row in the to-do list carries the overdue badge
    html = _rows(as_user(client, city, "reviewer_a").get(reverse("cases:queue")))
    assert case.number in html and "text-bg-danger\">逾期" in html


def test_a_deadline_paused_for_supplementary_materials_is_neither_due_nor_overdue(client, city, _clock):  # noqa: F811
    case = receive(city)  # decide within 7 days (art. 43); the clock stops while materials are awaited
    services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id, items=["劳动合同或工资条"])
    _clock.shift(dt.timedelta(days=10))
    reviewer = as_user(client, city, "reviewer_a")
    for tab in ("overdue", "today"):
        assert case.number not in _rows(reviewer.get(reverse("cases:queue"), {"tab": tab}))
    html = _rows(reviewer.get(reverse("cases:queue"), {"tab": "all"}))
    assert case.number in html and "text-bg-danger\">逾期" not in html  # nor does its row carry the overdue badge
    services.supplement_receive(actor=city.user("reviewer_a"), public_id=case.public_id)
    # resumed with the 7 days it had left: neither overdue nor due today yet
    assert case.number not in _rows(reviewer.get(reverse("cases:queue"), {"tab": "overdue"}))
    _clock.shift(dt.timedelta(days=12))  # past the days it had left, whatever the weekends
    reviewer = as_user(client, city, "reviewer_a")  # signed in again: the session has idled out
    assert case.number in _rows(reviewer.get(reverse("cases:queue"), {"tab": "overdue"}))


def test_a_provider_sees_the_agreement_deadline_of_their_case(client, city, _clock):  # noqa: F811
    case = assigned_to(city, granted_case(city))
    services.assignment_accept(actor=city.user("provider_a"), public_id=case.public_id)
    _clock.shift(dt.timedelta(days=8))  # the agreement is due within 5 days of the assignment
    html = _rows(as_user(client, city, "provider_a").get(reverse("cases:queue"), {"tab": "overdue"}))
    assert case.number in html
    assert case.number not in _rows(as_user(client, city, "duty_a").get(reverse("cases:queue"), {"tab": "overdue"}))


@pytest.mark.parametrize("key", ["sysadmin", "auditor", "organ_a", "applicant"])
def test_roles_without_cases_get_404(client, city, key):
    assert as_user(client, city, key).get(reverse("cases:queue")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(reverse("cases:queue"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


MAX_QUERIES = 10  # session, user, three tab counts, the page count and rows, the cases of the deadlines


@pytest.mark.parametrize("params", [{}, {"tab": "all"}, {"tab": "all", "status": "received"}, {"tab": "overdue"},
                                    {"tab": "today"}])
@pytest.mark.parametrize("key", ["reviewer_a", "clerk_a", "bureau"])
def test_queue_query_count_does_not_grow_with_cases(client, city, django_assert_max_num_queries, params, key,
                                                   _clock):  # noqa: F811
    def make(n):
        for _ in range(n):
            station_case(city) if key == "clerk_a" else receive(city)

    make(3)
    _clock.shift(dt.timedelta(days=10))
    user = as_user(client, city, key)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert user.get(reverse("cases:queue"), params).status_code == 200
    make(17)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        assert user.get(reverse("cases:queue"), params).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_all_cases_pages_by_keyset_newest_first_forward_and_back(client, city, monkeypatch, _clock):  # noqa: F811
    import re

    from fayuan.cases import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    cases = []
    for _ in range(10):
        cases.append(receive(city))
        _clock.shift(dt.timedelta(minutes=5))
    expected = [c.number for c in reversed(cases)]  # newest first
    user = as_user(client, city, "reviewer_a")

    def page(query: str) -> tuple[list[str], str | None, str | None]:
        html = _rows(user.get(f"{reverse('cases:queue')}?{query}"))
        table = html[html.index("<table"):]
        numbers = [n for n in re.findall(r">(京法援受〔\d+〕第\d+号)</a>", table)]
        after = re.search(r'after=([\w-]+)" rel="next"', html)
        before = re.search(r'before=([\w-]+)" rel="prev"', html)
        assert "共 10 条" in html
        return numbers, after.group(1) if after else None, before.group(1) if before else None

    first, after, before = page("tab=all")
    assert first == expected[:4] and before is None and after
    second, after, before = page(f"tab=all&after={after}")
    assert second == expected[4:8] and before and after
    third, after_last, before_last = page(f"tab=all&after={after}")
    assert third == expected[8:] and after_last is None and before_last
    back, _, before_first = page(f"tab=all&before={before_last}")
    assert back == expected[4:8] and before_first
    again, _, none = page(f"tab=all&before={before_first}")
    assert again == expected[:4] and none is None
    # A damaged cursor starts from the top rather than failing.
    assert page("tab=all&after=not-a-cursor")[0] == expected[:4]

