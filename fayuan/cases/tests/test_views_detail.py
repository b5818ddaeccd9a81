"""The case page: what it shows to whom, and that it is 404 outside the user's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fayuan.cases import services
from fayuan.cases.models import CaseFile
from fayuan.conftest import close_response
from fayuan.core.models import AuditEntry

from .conftest import receive
from .views_support import _clock, _media, as_user, assigned_to, granted_case, png, station_case, url  # noqa: F401


def _html(client, case):
    response = client.get(url("detail", case))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("key", ["clerk_a", "reviewer_a", "director_a", "bureau"])
def test_the_case_page_renders_for_everyone_in_scope(client, city, key):
    case = station_case(city)
    html = _html(as_user(client, city, key), case)
    assert case.number in html and "工作站已接收，待转交" in html
    assert city.person_station_a.id_number_masked in html  # masked, never the full number
    assert "收到申请" in html  # the timeline


@pytest.mark.parametrize("key", ["reviewer_b", "clerk_b", "provider_a", "duty_a", "sysadmin", "auditor", "organ_a",
                                 "applicant"])
def test_the_case_page_is_404_outside_scope(client, city, key):
    case = station_case(city)
    assert as_user(client, city, key).get(url("detail", case)).status_code == 404


def test_a_clerk_does_not_see_a_case_received_at_the_center(client, city):
    case = receive(city)
    assert as_user(client, city, "clerk_a").get(url("detail", case)).status_code == 404


def test_the_assigned_provider_sees_the_case_but_not_the_household_income(client, city):
    case = assigned_to(city, granted_case(city))
    html = _html(as_user(client, city, "provider_a"), case)
    assert case.number in html and "接受指派" in html
    assert "家庭经济状况" not in html and "受援条件审查" not in html
    assert as_user(client, city, "duty_a").get(url("detail", case)).status_code == 404


def test_opening_a_case_is_an_audited_read(client, city):
    case = receive(city)
    as_user(client, city, "reviewer_a").get(url("detail", case))
    assert AuditEntry.objects.filter(action="read", object_type="cases.case", object_id=str(case.pk)).exists()


def test_unknown_case_is_404(client, city):
    assert as_user(client, city, "reviewer_a").get(
        "/office/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(url("detail", receive(city)))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_eligibility_panel_explains_each_criterion_and_the_income_standard(client, city):
    case = receive(city, household_size=2, household_monthly_income="8000")  # 4000 per head > 2660
    html = _html(as_user(client, city, "reviewer_a"), case)
    assert "不符合法律援助条件" in html and "✗" in html
    assert "家庭人均月收入 <strong>4000.00</strong> 元" in html and "<strong>2660.00</strong>" in html
    assert "法律援助法第三十四条" in html and "“请求支付劳动报酬”属于法律援助事项范围" in html


def test_only_the_actions_the_state_allows_are_offered(client, city):
    case = station_case(city)
    clerk = _html(as_user(client, city, "clerk_a"), case)
    assert url("forward", case) in clerk and url("decide", case) not in clerk
    reviewer = _html(as_user(client, city, "reviewer_a"), case)
    assert url("decide", case) not in reviewer  # still at the station
    services.case_forward(actor=city.user("clerk_a"), public_id=case.public_id)
    reviewer = _html(as_user(client, city, "reviewer_a"), case)
    assert url("decide", case) in reviewer and url("supplement", case) in reviewer
    assert url("assign", case) not in reviewer and url("archive", case) not in reviewer
    bureau = _html(as_user(client, city, "bureau"), case)
    assert "<form" not in bureau.split('id="actions-h"')[1].split('id="deadlines-h"')[0]  # reads, never acts


def test_the_assign_panel_shows_the_rotation_and_who_is_refused_and_why(client, city, providers):
    case = granted_case(city)
    full = providers[2]
    full.capacity = 1
    full.save()
    other = granted_case(city)
    services.case_assign(actor=city.user("reviewer_a"), public_id=other.public_id, provider_id=full.pk,
                         reason="测试：占满名额")
    html = _html(as_user(client, city, "reviewer_a"), case)
    assert "轮派第一顺位" in html and "律师1" in html  # the labour specialist comes first for a wage claim
    assert "律师2：在办案件已达上限（1/1）" in html
    assert "指定其他人员" in html


def test_materials_documents_and_deadlines_are_listed(client, city):
    case = granted_case(city)
    material = services.case_file_add(actor=city.user("reviewer_a"), case=case, kind="means_proof", upload=png())
    html = _html(as_user(client, city, "reviewer_a"), case)
    assert reverse("cases:file", args=[case.public_id, material.public_id]) in html
    assert "给予法律援助决定书" in html
    document = case.documents.get(kind="grant_decision")
    assert reverse("case_documents:document", args=[case.public_id, document.pk]) in html
    assert "指派承办人员" in html  # the assignment clock started by the grant


def test_a_file_of_another_case_is_404_through_this_case(client, city):
    first, second = receive(city), receive(city)
    material = services.case_file_add(actor=city.user("reviewer_a"), case=second, kind="other", upload=png())
    response = as_user(client, city, "reviewer_a").get(reverse("cases:file", args=[first.public_id,
                                                                                   material.public_id]))
    assert response.status_code == 404
    assert CaseFile.objects.count() == 1


def test_the_provider_downloads_materials_of_their_case_only(client, city):
    case = assigned_to(city, granted_case(city))
    material = services.case_file_add(actor=city.user("reviewer_a"), case=case, kind="other", upload=png())
    link = reverse("cases:file", args=[case.public_id, material.public_id])
    response = as_user(client, city, "provider_a").get(link)
    assert response.status_code == 200
    close_response(response)
    assert as_user(client, city, "duty_a").get(link).status_code == 404


def test_the_page_reads_only_the_seldom_records_a_case_has(client, city):
    """A case without materials, objections, terminations... skips their lists' queries; one that has a material
    lists it (``case_records_present`` answers for all of them in one statement)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fayuan.cases.selectors import case_records_present

    case = granted_case(city)
    assert case_records_present(case) == frozenset()
    reviewer = as_user(client, city, "reviewer_a")
    reviewer.get(url("detail", case))  # warm the per-process caches (rules, content types)
    with CaptureQueriesContext(connection) as without:
        _html(reviewer, case)
    material = services.case_file_add(actor=city.user("reviewer_a"), case=case, kind="means_proof", upload=png())
    assert case_records_present(case) == frozenset({"files"})
    with CaptureQueriesContext(connection) as with_file:
        html = _html(reviewer, case)
    assert reverse("cases:file", args=[case.public_id, material.public_id]) in html
    assert len(with_file.captured_queries) == len(without.captured_queries) + 1  # the materials' list, read now
