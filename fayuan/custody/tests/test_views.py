"""The custody screens: record and forward through the form, scope (404), bad input, reports and the lists behind
their figures."""

from __future__ import annotations

from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.models import Case
from fayuan.core.models import AuditEntry
from fayuan.custody.models import Forwarding, RightsNotification

from .helpers import detention, police, record


def test_a_liaison_records_and_forwards_through_the_form(client, city):
    liaison = detention(city)
    sign_in(client, liaison)
    assert client.get(reverse("custody:forwarding_new")).status_code == 200
    response = client.post(reverse("custody:forwarding_new"), {
        "name": "钱七", "criminal_stage": "investigation", "criminal_ground": "none",
        "matter_summary": "涉嫌盗窃罪", "forward_now": "on"})
    forwarding = Forwarding.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("custody:forwarding",
                                                                            args=[forwarding.public_id])
    assert forwarding.forwarded_at is not None and forwarding.case.status == "received"
    page = client.get(response["Location"]).content.decode()
    assert "按时转交" in page and forwarding.case.number in page
    assert AuditEntry.objects.filter(action="read", object_type="custody.forwarding").exists()
    assert "钱七" in client.get(reverse("custody:forwardings")).content.decode()


def test_a_recorded_application_is_forwarded_later_by_a_post(client, city):
    liaison = detention(city)
    forwarding = record(liaison)
    sign_in(client, liaison)
    detail = client.get(reverse("custody:forwarding", args=[forwarding.public_id]))
    assert "现在转交法律援助中心" in detail.content.decode()
    response = client.post(reverse("custody:forwarding_forward", args=[forwarding.public_id]))
    assert response.status_code == 302
    forwarding.refresh_from_db()
    assert forwarding.forwarded_at is not None
    again = client.post(reverse("custody:forwarding_forward", args=[forwarding.public_id]))
    assert again.status_code == 409


def test_bad_input_is_shown_and_changes_nothing(client, city):
    sign_in(client, detention(city))
    response = client.post(reverse("custody:forwarding_new"), {
        "name": "", "criminal_stage": "investigation", "criminal_ground": "none", "forward_now": "on"})
    assert response.status_code == 422 and "请填写申请人姓名" in response.content.decode()
    response = client.post(reverse("custody:forwarding_new"), {
        "name": "钱七", "id_number": "110105194912310021", "criminal_stage": "investigation",
        "criminal_ground": "none"})
    assert response.status_code == 422
    assert not Forwarding.objects.exists() and not Case.objects.exists()


def test_another_organ_gets_404_on_the_record_and_does_not_list_it(client, city):
    forwarding = record(detention(city))
    sign_in(client, city.user("organ_a"))  # the court of the same district: another organ
    assert client.get(reverse("custody:forwarding", args=[forwarding.public_id])).status_code == 404
    assert client.post(reverse("custody:forwarding_forward", args=[forwarding.public_id])).status_code == 404
    assert "钱七" not in client.get(reverse("custody:forwardings")).content.decode()
    forwarding.refresh_from_db()
    assert forwarding.forwarded_at is None
    sign_in(client, city.user("reviewer_b"))
    assert client.get(reverse("custody:forwarding", args=[forwarding.public_id])).status_code == 404


def test_the_center_and_the_bureau_read_the_report_and_the_list_behind_it(client, city):
    from .helpers import local

    liaison = detention(city)
    late = record(liaison, local(2026, 11, 1, 9, 0), now=local(2026, 11, 3, 9, 0))
    sign_in(client, city.user("reviewer_a"))
    report = client.get(reverse("custody:reports")).content.decode()
    assert "京口区看守所" in report and f"breach=1&amp;organ={liaison.organ_id}" in report
    behind = client.get(reverse("custody:forwardings"), {"breach": "1", "organ": str(liaison.organ_id)})
    assert "已超时未转交" in behind.content.decode() and late.case.number in behind.content.decode()
    assert client.get(reverse("custody:forwardings"), {"organ": "٣"}).status_code == 200  # odd ids: no filter


def test_a_police_liaison_records_a_notification_and_a_court_liaison_gets_404(client, city):
    liaison = police(city)
    sign_in(client, liaison)
    response = client.post(reverse("custody:notification_new"), {
        "suspect_name": "孙八", "organ_case_number": "京公刑字〔2026〕1号", "occasion": "first_interrogation",
        "method": "oral_signed"})
    assert response.status_code == 302
    assert RightsNotification.objects.get().organ_case_number == "京公刑字(2026)1号"
    page = client.get(reverse("custody:notifications")).content.decode()
    assert "孙八" in page and "100.0%" in page
    bad = client.post(reverse("custody:notification_new"), {"suspect_name": "周九", "organ_case_number": "",
                                                             "occasion": "first_interrogation", "method": "written"})
    assert bad.status_code == 422 and RightsNotification.objects.count() == 1
    sign_in(client, city.user("organ_a"))
    assert client.get(reverse("custody:notifications")).status_code == 404
    assert client.get(reverse("custody:notification_new")).status_code == 404
    sign_in(client, city.user("bureau"))
    assert "京口区公安分局" in client.get(reverse("custody:reports")).content.decode()
