"""A person's data export on request: everything held about them, decrypted, and nothing of anyone else; scoped
like the person pages (404 out of scope), audited, downloaded as a file."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import receive
from fayuan.conftest import valid_id
from fayuan.consultations.services import consultation_record
from fayuan.core.errors import NotFoundOrForbidden, PermissionDenied
from fayuan.core.models import AuditEntry
from fayuan.notifications.sms import send_sms
from fayuan.privacy.services import person_data_export

from .conftest import upload


def _everything(city):
    reviewer = city.user("reviewer_a")
    case = receive(city, facts="欠薪三个月。", opposing_party="某建筑公司")
    upload(case, reviewer, "工资条.png")
    # person_a as the agent of another person's case: that person's data is not person_a's.
    agent_case = receive(city, applicant_id=city.applicant_person.public_id, agent_id=city.person_a.public_id,
                         agent_relationship="close_relative")
    consultation_record(actor=reviewer, channel="counter", question="工资怎么追？", advice="可申请仲裁。",
                        person_id=str(city.person_a.public_id))
    send_sms("13800000001", "【镇江法援】您的申请已受理。")
    send_sms("13900000099", "【镇江法援】别人的短信。")
    return case, agent_case


def test_export_holds_the_decrypted_fields_and_nothing_of_another_person(city):
    case, agent_case = _everything(city)
    data = person_data_export(actor=city.user("reviewer_a"), public_id=city.person_a.public_id)
    person = data["person"]
    assert person["id_number"] == valid_id(11) and person["phone"] == "13800000001" and person["name"] == "张三"
    assert {c["number"]: c["role"] for c in data["cases"]} == {case.number: "申请人", agent_case.number: "代理申请人"}
    [own] = [c for c in data["cases"] if c["number"] == case.number]
    assert own["facts"] == "欠薪三个月。" and own["files"][0]["name"] == "工资条.png" and own["events"]
    assert data["consultations"][0]["question"] == "工资怎么追？"
    assert [m["text"] for m in data["sms"]] == ["【镇江法援】您的申请已受理。"]
    dumped = json.dumps(data, ensure_ascii=False)
    for other in (city.applicant_person, city.person_b, city.person_station_a):
        assert other.name not in dumped and other.decrypted_id_number() not in dumped
        assert other.id_number_masked not in dumped
    assert "13900000099" not in dumped and "别人的短信" not in dumped
    entry = AuditEntry.objects.filter(action="export", object_type="people.person").latest("occurred_at")
    assert entry.object_id == str(city.person_a.pk) and entry.actor == city.user("reviewer_a")
    assert valid_id(11) not in json.dumps(entry.detail) and "13800000001" not in json.dumps(entry.detail)


@pytest.mark.parametrize("key", ["reviewer_b", "clerk_b", "clerk_a", "provider_a", "bureau", "auditor"])
def test_export_is_refused_out_of_scope(city, client, key):
    with pytest.raises((NotFoundOrForbidden, PermissionDenied)):
        person_data_export(actor=city.user(key), public_id=city.person_a.public_id)
    sign_in(client, city.user(key))
    assert client.post(reverse("privacy:export", args=[city.person_a.public_id])).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_download_is_a_post_with_an_attachment_never_cached(city, client):
    sign_in(client, city.user("reviewer_a"))
    url = reverse("privacy:export", args=[city.person_a.public_id])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["person"]["id_number"] == valid_id(11)


def test_the_applicant_downloads_their_own_data_from_the_portal(city, client):
    sign_in(client, city.user("applicant"))
    url = reverse("privacy_public:my_data")
    assert "下载" in client.get(url).content.decode()
    data = json.loads(client.post(url).content)
    assert [p["name"] for p in data["persons"]] == ["赵六"] and data["persons"][0]["id_number"] == valid_id(17)
    assert "张三" not in json.dumps(data, ensure_ascii=False)
    assert AuditEntry.objects.filter(action="export", actor=city.user("applicant")).count() == 1
    sign_in(client, city.user("reviewer_a"))
    assert client.post(url).status_code == 404
