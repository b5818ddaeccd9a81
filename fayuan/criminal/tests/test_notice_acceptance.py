"""Acceptance (issue 11): a court sends a notice through the API, the center assigns it on the case page, the court
reads the assigned lawyer back through the API, and another court does not see the notice at all."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.api.tokens import api_token_issue
from fayuan.cases.models import Case, DocumentKind, Status
from fayuan.conftest import make_user
from fayuan.deadlines.models import Deadline
from fayuan.notifications.models import Notification
from fayuan.org.models import Firm, FirmKind

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_issue(actor=None, user=user, name='法院系统对接')[1]}"}


def test_a_court_notice_through_the_api_is_assigned_on_the_case_page_and_read_back(
        city, django_capture_on_commit_callbacks):
    firm = Firm.objects.create(name="京口律师事务所", kind=FirmKind.LAW_FIRM, district=city.district_a)
    lawyer = city.user("provider_a").provider
    lawyer.criminal_defense_since, lawyer.firm = dt.date(2015, 1, 1), firm
    lawyer.save()
    court_a, court_b = bearer(city.user("organ_a")), bearer(make_user("court_b", "organ_liaison", organ=city.organ_b))
    api = Client()

    body = {"kind": "defense", "name": "孙某", "stage": "trial", "ground": "life_or_death", "charge": "故意杀人罪",
            "custody_place_text": "京口区看守所", "organ_case_number": "〔2026〕苏1102刑初12号"}
    response = api.post(f"{BASE}/notices", json.dumps(body), content_type="application/json", headers=court_a)
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["status"] == "granted" and sent["lawyer"] == "" and sent["letter_number"] == ""
    assert sent["legal_basis"].startswith("法律援助法第二十五条第一款第四项")
    case = Case.objects.get(number=sent["case_number"])
    assert case.organ_case_number == "(2026)苏1102刑初12号"

    page = Client()
    sign_in(page, city.user("reviewer_a"))
    detail = page.get(reverse("cases:detail", args=[case.public_id]))
    assert detail.status_code == 200 and "指派承办人员" in detail.content.decode()
    url = reverse("cases:assign", args=[case.public_id])
    # Art. 26: a possible life sentence needs three years of criminal defense; the duty lawyer has none.
    refused = page.post(url, {"provider": str(city.user("duty_a").provider_id), "reason": "中心指定承办人员"})
    assert refused.status_code in (409, 422) and "不足三年" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.GRANTED
    with django_capture_on_commit_callbacks(execute=True):  # the organ is told after the assignment commits
        assigned = page.post(url, {"provider": str(lawyer.pk), "reason": "中心指定承办人员"})
    assert assigned.status_code in (200, 302), assigned.content.decode()[:500]
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.provider == lawyer
    letter = case.documents.get(kind=DocumentKind.ORGAN_LETTER)
    opened = page.get(reverse("case_documents:document", args=[case.public_id, letter.pk]))
    assert opened.status_code == 200
    assert Deadline.objects.get(subject_id=case.pk, rule__code="assign-on-notice").met_at is not None

    read = api.get(f"{BASE}/notices/{sent['public_id']}", headers=court_a)
    assert read.status_code == 200
    got = read.json()
    assert got["status"] == "assigned" and got["lawyer"] == "王律师" and got["law_firm"] == "京口律师事务所"
    assert got["letter_number"] == letter.number and letter.number
    assert Notification.objects.filter(user=city.user("organ_a"), title="法律援助中心已指派律师").exists()
    listed = api.get(f"{BASE}/notices", headers=court_a).json()
    assert [n["public_id"] for n in listed["items"]] == [sent["public_id"]]

    assert api.get(f"{BASE}/notices/{sent['public_id']}", headers=court_b).status_code == 404
    assert api.get(f"{BASE}/notices", headers=court_b).json()["count"] == 0


def test_the_generic_case_endpoint_refuses_the_organ_notice_channel(city):
    body = {"applicant_id": str(city.person_a.public_id), "case_type": "criminal", "matter_summary": "盗窃罪",
            "channel": "organ_notice", "criminal_ground": "minor", "criminal_stage": "trial"}
    before = Case.objects.count()
    response = Client().post(f"{BASE}/cases", json.dumps(body), content_type="application/json",
                             headers=bearer(city.user("reviewer_a")))
    assert response.status_code == 422
    assert "POST /api/v1/notices" in response.json()["errors"]["channel"][0]
    assert Case.objects.count() == before


def test_a_notice_with_bad_input_is_a_422_in_chinese_and_nothing_is_written(city):
    before = Case.objects.count()
    body = {"kind": "defense", "name": "孙某", "stage": "investigation", "ground": "minor", "charge": "盗窃罪"}
    response = Client().post(f"{BASE}/notices", json.dumps(body), content_type="application/json",
                             headers=bearer(city.user("organ_a")))
    assert response.status_code == 422
    assert "不能就“侦查阶段”发出通知" in response.json()["errors"]["stage"][0]
    assert Case.objects.count() == before


def test_only_liaisons_send_notices_through_the_api(city):
    body = {"kind": "defense", "name": "孙某", "stage": "trial", "ground": "minor", "charge": "盗窃罪"}
    response = Client().post(f"{BASE}/notices", json.dumps(body), content_type="application/json",
                             headers=bearer(city.user("reviewer_a")))
    assert response.status_code == 403


def test_a_token_acts_for_its_own_organ_only_and_a_retry_with_the_same_key_sends_once(city):
    from fayuan.criminal.models import Notice

    headers = bearer(city.user("organ_a"))
    body = {"kind": "defense", "name": "孙某", "stage": "trial", "ground": "minor", "charge": "盗窃罪"}
    named = Client().post(f"{BASE}/notices", json.dumps({**body, "organ": city.organ_b.pk}),
                          content_type="application/json", headers=headers)
    assert named.status_code == 422 and "organ" in named.json()["errors"]  # the organ is the token's, never named
    first, again = (Client().post(f"{BASE}/notices", json.dumps(body), content_type="application/json",
                                  headers={**headers, "Idempotency-Key": "notice-1"}) for _ in range(2))
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["public_id"] == again.json()["public_id"]
    notice = Notice.objects.get()
    assert notice.organ == city.organ_a and notice.case.center == city.center_a


def test_the_notice_list_takes_the_same_queries_for_one_notice_or_many(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fayuan.cases.services.assignment import case_assign

    from .support import send_notice

    headers = bearer(city.user("organ_a"))
    first = send_notice(city, ground="blind_deaf_mute")
    case_assign(actor=city.user("reviewer_a"), public_id=first.case.public_id)
    with CaptureQueriesContext(connection) as one:
        assert Client().get(f"{BASE}/notices", headers=headers).json()["items"][0]["letter_number"]
    for n in range(4):  # separate criminal cases: co-defendants of one would need separate lawyers
        notice = send_notice(city, ground="blind_deaf_mute", organ_case_number=f"(2026)苏1102刑初{20 + n}号")
        case_assign(actor=city.user("reviewer_a"), public_id=notice.case.public_id)
    with CaptureQueriesContext(connection) as many:
        items = Client().get(f"{BASE}/notices", headers=headers).json()["items"]
    assert len(items) == 5 and all(i["letter_number"] for i in items)
    def reads(ctx: CaptureQueriesContext) -> int:  # the token's last use is written once a minute: not counted
        return sum(not q["sql"].startswith("UPDATE \"api_apitoken\"") for q in ctx.captured_queries)

    assert reads(many) == reads(one) == 4
