"""A provider's access ends with their assignment (issue 9 item 1).

A lawyer who declined, was replaced at the recipient's request, or whose aid was terminated no longer opens the
case page, the applicant's record, the materials, the documents or the API record; the current provider does.
After closing the provider who handled the case keeps what the closing and the subsidy need, not the applicant's
personal details. One field policy (``cases.policy``) serves the office page and the API.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.api.tokens import api_token_issue
from fayuan.cases import services
from fayuan.cases.policy import CLOSED_FOR_PROVIDER, case_fields_for
from fayuan.cases.selectors import cases_visible_to
from fayuan.cases.services.files import case_file_add
from fayuan.conftest import close_response
from fayuan.people import selectors as people_selectors

from .views_support import _clock, _media, as_user, assigned_to, granted_case, png, url  # noqa: F401


def api_get(city: Any, key: str, path: str) -> Any:
    token = api_token_issue(actor=None, user=city.user(key), name="测试")[1]
    return Client().get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


def _status(response: Any) -> int:
    close_response(response)  # a streamed file holds its handle open
    return int(response.status_code)


def reach(client: Any, city: Any, key: str, case: Any) -> dict[str, int]:
    """The status codes ``key`` gets on every door to the case."""
    sign_in(client, city.user(key))
    file = case.files.order_by("-uploaded_at", "-id").first()
    document = case.documents.filter(kind="grant_decision").first()
    return {
        "page": client.get(url("detail", case)).status_code,
        "person": client.get(reverse("people:detail", args=[case.applicant.public_id])).status_code,
        "file": _status(client.get(reverse("cases:file", args=[case.public_id, file.public_id]))),
        "document": client.get(reverse("case_documents:document", args=[case.public_id, document.pk])).status_code,
        "api": api_get(city, key, f"/cases/{case.public_id}").status_code,
    }


GONE = {"page": 404, "person": 404, "file": 404, "document": 404, "api": 404}


def handled_by_provider_a(city: Any) -> Any:
    case = assigned_to(city, granted_case(city))
    lawyer = city.user("provider_a")
    services.assignment_accept(actor=lawyer, public_id=case.public_id)
    services.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    case.refresh_from_db()
    return case


def upload_after(city: Any, case: Any) -> None:
    case_file_add(actor=city.user("reviewer_a"), case=case, kind="other", upload=png("later.png"))


def test_a_provider_who_declined_loses_the_case(client, city):
    case = assigned_to(city, granted_case(city))
    services.assignment_decline(actor=city.user("provider_a"), public_id=case.public_id, reason="与对方有利害关系")
    assigned_to(city, case, "duty_a")
    upload_after(city, case)
    assert reach(client, city, "provider_a", case) == GONE
    current = reach(client, city, "duty_a", case)
    assert current == {"page": 200, "person": 200, "file": 200, "document": 200, "api": 200}


def test_a_provider_replaced_at_the_recipients_request_loses_the_case(client, city):
    case = handled_by_provider_a(city)
    services.case_change_provider(actor=city.user("reviewer_a"), public_id=case.public_id, reason="受援人申请更换",
                                  provider_id=city.user("duty_a").provider_id)
    upload_after(city, case)
    assert reach(client, city, "provider_a", case) == GONE
    assert reach(client, city, "duty_a", case)["page"] == 200
    assert reach(client, city, "duty_a", case)["api"] == 200


def test_a_provider_whose_aid_was_terminated_loses_the_case(client, city):
    case = handled_by_provider_a(city)
    services.case_terminate(actor=city.user("reviewer_a"), public_id=case.public_id, reason="recipient_request",
                            explanation="受援人自行委托律师。")
    upload_after(city, case)
    assert reach(client, city, "provider_a", case) == GONE
    assert reach(client, city, "reviewer_a", case)["page"] == 200


def test_the_former_provider_loses_the_list_and_the_person_list_too(client, city):
    case = assigned_to(city, granted_case(city))
    provider = city.user("provider_a")
    assert people_selectors.persons_visible_to(provider).filter(pk=case.applicant_id).exists()
    services.assignment_decline(actor=provider, public_id=case.public_id, reason="与对方有利害关系")
    assert not cases_visible_to(provider).filter(pk=case.pk).exists()
    assert not people_selectors.persons_visible_to(provider).filter(pk=case.applicant_id).exists()
    assert api_get(city, "provider_a", "/cases").json()["count"] == 0
    assert api_get(city, "provider_a", "/people").json()["count"] == 0


# --- After closing: the case, not the person -------------------------------------------------------------------

def closed_by_provider_a(city: Any) -> Any:
    case = handled_by_provider_a(city)
    services.closing_submit(actor=city.user("provider_a"), public_id=case.public_id, outcome="won",
                            report="已调解结案，用人单位支付全部拖欠工资。")
    services.closing_review(actor=city.user("reviewer_a"), public_id=case.public_id, accept=True)
    case.refresh_from_db()
    return case


def test_after_closing_the_provider_keeps_the_case_but_not_the_applicants_details(client, city):
    case = closed_by_provider_a(city)
    upload_after(city, case)
    access = reach(client, city, "provider_a", case)
    assert access["page"] == 200 and access["api"] == 200 and access["document"] == 200
    assert access["person"] == 404
    html = as_user(client, city, "provider_a").get(url("detail", case)).content.decode()
    assert case.applicant.name in html
    assert case.applicant.id_number_masked not in html and case.applicant.phone_masked not in html
    assert reverse("people:detail", args=[case.applicant.public_id]) not in html
    # The center still sees everything.
    staff = as_user(client, city, "reviewer_a").get(url("detail", case)).content.decode()
    assert case.applicant.id_number_masked in staff and case.applicant.phone_masked in staff
    assert case.applicant.phone not in staff  # masked on screen; the full number is on the printed documents


def test_while_handling_the_provider_sees_the_applicants_contact(client, city):
    case = handled_by_provider_a(city)
    html = as_user(client, city, "provider_a").get(url("detail", case)).content.decode()
    assert case.applicant.phone_masked in html and case.applicant.id_number_masked in html
    # Masked on screen like the ID number; the full number is on the assignment notice (a download, audited).
    assert case.applicant.phone not in html


# --- One field policy for the page and the API ----------------------------------------------------------------

def test_the_api_does_not_give_a_provider_the_household_income(client, city):
    case = handled_by_provider_a(city)
    body = api_get(city, "provider_a", f"/cases/{case.public_id}").json()
    assert body["household_monthly_income"] is None
    assert body["household_size"] is None and body["income_source"] is None
    staff = api_get(city, "reviewer_a", f"/cases/{case.public_id}").json()
    assert staff["household_monthly_income"] == "3000.00" and staff["household_size"] == 3


def test_one_policy_decides_for_page_and_api(city):
    case = handled_by_provider_a(city)
    assert not case_fields_for(city.user("provider_a"), case).household
    assert case_fields_for(city.user("provider_a"), case).applicant_details
    assert case_fields_for(city.user("reviewer_a"), case).household


def test_the_people_scope_names_the_same_closing_statuses():
    assert frozenset(people_selectors.PROVIDER_PERSON_HIDDEN_STATUSES) == frozenset(str(s) for s in
                                                                                     CLOSED_FOR_PROVIDER)


@pytest.mark.parametrize("key", ["provider_a", "duty_a"])
def test_a_provider_never_assigned_sees_nothing(client, city, key):
    case = granted_case(city)
    upload_after(city, case)
    assert reach(client, city, key, case) == GONE


def test_a_provider_never_gets_the_application_form(client, city):
    case = handled_by_provider_a(city)
    form = case.documents.get(kind="application_form")
    sign_in(client, city.user("provider_a"))
    assert client.get(reverse("case_documents:document", args=[case.public_id, form.pk])).status_code == 404
    kinds = {d["kind"] for d in api_get(city, "provider_a", f"/cases/{case.public_id}").json()["documents"]}
    assert "application_form" not in kinds and "grant_decision" in kinds


def test_after_closing_the_provider_keeps_only_the_documents_the_subsidy_needs(client, city):
    case = closed_by_provider_a(city)
    notice = case.documents.get(kind="assignment_notice")
    sign_in(client, city.user("provider_a"))
    assert client.get(reverse("case_documents:document", args=[case.public_id, notice.pk])).status_code == 404
