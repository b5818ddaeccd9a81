"""Complaints about a provider: taken by staff or online, handled by the bureau that set up the center within the
shipped deadline, the complainant told the result, the provider shown only the points to answer; repeated
complaints flag the provider on the shipped rule row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.complaints.models import Complaint, InformMethod, RepeatRule, Status
from fayuan.complaints.selectors import complaint_get_for_user, complaints_visible_to, provider_view, repeat_flags
from fayuan.complaints.services import (
    ComplaintInput,
    complaint_decide,
    complaint_notify_provider,
    complaint_provider_respond,
    complaint_record,
    complaint_record_informed,
    complaint_submit_online,
)
from fayuan.conftest import make_user
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.tests.access_support import Cases
from fayuan.deadlines.models import Deadline, DeadlineRule
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.notifications.models import Notification, SmsMessage


@pytest.fixture
def case(city: Any) -> Any:
    """Center A's case (station A's applicant), provider_a holding it, agreement signed."""
    return Cases(city).get("signed")


def _record(city: Any, case: Any, actor: str = "reviewer_a", **over: Any) -> Complaint:
    data = {"case_number": case.number, "provider_id": city.user("provider_a").provider_id, "channel": "phone",
            "complainant_kind": "agent", "complainant_name": "李小四", "phone": "13900000009",
            "category": "not_diligent", "facts": "受援人之子李小四来电：律师两周联系不上，开庭前未会见。"}
    data.update(over)
    return complaint_record(actor=city.user(actor), data=ComplaintInput(**data))


def test_staff_record_a_complaint_and_the_shipped_handling_clock_starts(city, case):
    complaint = _record(city, case)
    assert complaint.center == city.center_a and complaint.status == Status.RECEIVED
    assert complaint.phone == "13900000009" and complaint.phone_masked == "139****0009"
    deadline = deadlines_for_subject(complaint).get(rule__code="handle-complaint")
    assert deadline.due_on >= timezone.localdate() + dt.timedelta(days=45)  # 45 days, rolled past a holiday
    assert deadline.rule.basis_pending and "第五十六条" in deadline.rule.basis_text
    told = set(Notification.objects.filter(title="收到对法律援助人员的投诉").values_list("user__username", flat=True))
    assert {"bureau_a", "reviewer_a", "director_a"} <= told and "bureau_b" not in told


@pytest.mark.parametrize(("over", "field"), [
    ({"case_number": "不存在"}, "case_number"),
    ({"channel": "online"}, "channel"),
    ({"category": "bribery"}, "category"),
    ({"complainant_name": " "}, "complainant_name"),
    ({"facts": "差"}, "facts"),
    ({"phone": "call me"}, "phone"),
    ({"received_on": timezone.localdate() + dt.timedelta(days=3)}, "received_on"),
])
def test_bad_input_changes_nothing(city, case, over, field):
    with pytest.raises(ValidationFailed) as refused:
        _record(city, case, **over)
    assert refused.value.field == field
    assert not Complaint.objects.exists() and not Deadline.objects.filter(rule__code="handle-complaint").exists()


def test_the_provider_must_have_held_the_case_and_the_case_be_in_scope(city, case):
    with pytest.raises(ValidationFailed, match="指派过"):
        _record(city, case, provider_id=city.user("duty_a").provider_id)
    with pytest.raises(ValidationFailed, match="范围"):
        _record(city, case, actor="reviewer_b")
    with pytest.raises(PermissionDenied):
        _record(city, case, actor="clerk_a")


def test_each_side_sees_its_own_and_the_provider_never_the_complainant(city, case):
    complaint = _record(city, case)
    for key in ("reviewer_a", "director_a", "bureau_a", "bureau"):
        assert complaint_get_for_user(city.user(key), complaint.public_id) == complaint
    bureau_b = make_user("bureau_b", "bureau_supervisor", district=city.center_b.district)
    for user in (city.user("reviewer_b"), bureau_b, city.user("clerk_a"), city.user("duty_a"),
                 city.user("organ_a"), city.user("provider_a")):  # provider_a: not yet told
        with pytest.raises(NotFoundOrForbidden):
            complaint_get_for_user(user, complaint.public_id)
    complaint_notify_provider(actor=city.user("reviewer_a"), public_id=complaint.public_id,
                              points="反映两周内联系不上，开庭前未会见受援人。")
    seen = provider_view(complaint_get_for_user(city.user("provider_a"), complaint.public_id))
    shown = " ".join(str(v) for v in vars(seen).values())
    assert "联系不上" in shown and "李小四" not in shown and "0009" not in shown and "之子" not in shown


def test_only_the_bureau_that_set_up_the_center_decides(city, case):
    complaint = _record(city, case)
    for key in ("reviewer_a", "bureau"):  # the center; the city bureau (center A is a district's)
        with pytest.raises(PermissionDenied, match="司法局"):
            complaint_decide(actor=city.user(key), public_id=complaint.public_id, outcome="substantiated",
                             findings="经查属实。", measures=["education"])
    with pytest.raises(ValidationFailed, match="措施"):
        complaint_decide(actor=city.user("bureau_a"), public_id=complaint.public_id, outcome="partly",
                         findings="经查部分属实。")
    assert Complaint.objects.get().status == Status.RECEIVED


def test_a_decision_tells_a_caller_by_sms_and_meets_both_clocks(city, case):
    complaint = _record(city, case)
    complaint_notify_provider(actor=city.user("reviewer_a"), public_id=complaint.public_id, points="未及时会见。")
    complaint_provider_respond(actor=city.user("provider_a"), public_id=complaint.public_id,
                               response="因出差未能会见，已于次日补会见。")
    done = complaint_decide(actor=city.user("bureau_a"), public_id=complaint.public_id, outcome="partly",
                            findings="未及时会见属实，已补正。", measures=["education", "correction"])
    assert done.status == Status.INFORMED and done.inform_method == InformMethod.SMS
    assert done.measure_labels == ["批评教育、约谈", "责令改正"]
    assert SmsMessage.objects.filter(phone_masked="139****0009").count() == 1
    deadlines = deadlines_for_subject(complaint).select_related("rule")
    assert {d.rule.code: d.met_at is not None for d in deadlines} == {"handle-complaint": True,
                                                                    "inform-complainant": True}
    assert Notification.objects.filter(user=city.user("provider_a"), title="投诉处理结果").exists()
    with pytest.raises(Conflict):
        complaint_provider_respond(actor=city.user("provider_a"), public_id=complaint.public_id, response="补充说明")


def test_without_a_contact_staff_record_informing_the_complainant(city, case):
    complaint = _record(city, case, phone="", channel="letter")
    done = complaint_decide(actor=city.user("bureau_a"), public_id=complaint.public_id, outcome="unsubstantiated",
                            findings="经查律师按时会见，投诉不成立。")
    assert done.status == Status.DECIDED
    assert deadlines_for_subject(complaint).get(rule__code="inform-complainant").met_at is None
    with pytest.raises(ValidationFailed):
        complaint_record_informed(actor=city.user("reviewer_a"), public_id=complaint.public_id, method="in_app")
    complaint_record_informed(actor=city.user("reviewer_a"), public_id=complaint.public_id, method="letter")
    informed = Complaint.objects.get()
    assert informed.status == Status.INFORMED and informed.informed_by == city.user("reviewer_a")
    with pytest.raises(Conflict):
        complaint_record_informed(actor=city.user("reviewer_a"), public_id=complaint.public_id, method="phone")


def _applicant_case(city: Any) -> Any:
    """The applicant persona's own case, granted and assigned to provider_a."""
    from fayuan.cases import services

    data = services.ApplicationInput(
        applicant_id=city.applicant_person.public_id, case_type="civil", matter="wages",
        matter_summary="追索劳动报酬", household_size=3, household_monthly_income="3000")
    case = services.case_receive(actor=city.user("reviewer_a"), data=data)
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant", reasons="")
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id,
                         provider_id=city.user("provider_a").provider_id, reason="测试指定")
    case.refresh_from_db()
    return case


def test_the_recipient_complains_online_asks_for_another_lawyer_and_is_told_in_the_portal(client, city):
    case = _applicant_case(city)
    sign_in(client, city.user("applicant"))
    page = client.get(f"/my/cases/{case.public_id}/complain/").content.decode()
    assert "同时申请更换律师" in page and "不会告诉律师" in page
    posted = client.post(f"/my/cases/{case.public_id}/complain/", {
        "category": "refused_or_delayed", "facts": "律师说案子太小不愿意办。", "also_change": "on"})
    assert posted.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "online" and complaint.complainant_account == city.user("applicant")
    assert complaint.change_request is not None and complaint.change_request.case == case
    again = client.post(f"/my/cases/{case.public_id}/complain/", {"category": "conduct", "facts": "再次投诉测试"})
    assert "正在处理" in again.content.decode() and Complaint.objects.count() == 1
    complaint_decide(actor=city.user("bureau_a"), public_id=complaint.public_id, outcome="substantiated",
                     findings="属实，已更换承办律师。", measures=["change_provider"])
    assert Complaint.objects.get().inform_method == InformMethod.IN_APP
    assert Notification.objects.filter(user=city.user("applicant"), title="投诉处理结果").exists()
    assert "属实，已更换承办律师" in client.get(f"/my/cases/{case.public_id}/").content.decode()


def test_a_complaint_online_needs_a_provider_and_the_account_own_case(city, case):
    with pytest.raises(NotFoundOrForbidden):  # not the applicant's case
        complaint_submit_online(account=city.user("applicant"), public_id=case.public_id, category="conduct",
                                facts="态度很差。")


# --- Repeated complaints on the shipped rule ---------------------------------------------------------------------


def test_the_shipped_rule_flags_three_pending_or_substantiated_complaints_in_twelve_months(city, case):
    rule = RepeatRule.objects.in_force_on(timezone.localdate()).get()
    assert (rule.threshold, rule.window_months) == (3, 12) and rule.basis_pending
    provider_id = city.user("provider_a").provider_id
    first = _record(city, case)
    _record(city, case)
    assert provider_id not in repeat_flags([provider_id], timezone.localdate())
    complaint_decide(actor=city.user("bureau_a"), public_id=first.public_id, outcome="unsubstantiated",
                     findings="经查不成立。")
    _record(city, case)
    assert provider_id not in repeat_flags([provider_id], timezone.localdate())  # 2 count, 1 unsubstantiated
    _record(city, case)
    flag = repeat_flags([provider_id], timezone.localdate())[provider_id]
    assert flag.count == 3 and "12个月" in flag.text
    later = timezone.localdate() + dt.timedelta(days=370)  # a year on, these are outside the window
    assert provider_id not in repeat_flags([provider_id], later)


def test_the_flag_shows_to_staff_on_the_provider_page_and_the_assignment_screen_not_to_providers(client, city, case):
    for _ in range(3):
        _record(city, case)
    provider_id = city.user("provider_a").provider_id
    sign_in(client, city.user("reviewer_b"))  # another center's staff assign too: the flag is about the provider
    assert "重复投诉提示" in client.get(f"/office/org/providers/{provider_id}/").content.decode()
    sign_in(client, city.user("provider_a"))
    assert "重复投诉提示" not in client.get(f"/office/org/providers/{provider_id}/").content.decode()
    granted = Cases(city).get("granted", fresh=True)
    sign_in(client, city.user("reviewer_a"))
    panel = client.get(f"/office/cases/{granted.public_id}/assign/").content.decode()
    assert "重复投诉提示" in panel
    flags = client.get("/office/complaints/flags/").content.decode()
    assert "投诉第" in flags and "12个月内收到3件" in flags


def test_the_shipped_deadline_rows(db):
    rows = {r.code: r for r in DeadlineRule.objects.filter(code__in=["handle-complaint", "inform-complainant"])}
    assert rows["handle-complaint"].start_event == "complaint_received"
    assert rows["handle-complaint"].stop_events == ["complaint_decided"]
    assert rows["inform-complainant"].stop_events == ["complainant_informed"]
    for rule in rows.values():
        assert rule.basis_pending and "依据待补" in rule.legal_basis
        assert rule.basis_text.startswith("《法律援助法》第五十")


def test_the_pages(client, city, case, django_assert_max_num_queries):
    sign_in(client, city.user("reviewer_a"))
    assert "查找案件" in client.get("/office/complaints/new/").content.decode()
    form = client.get(f"/office/complaints/new/?case={case.number}").content.decode()
    assert "被投诉的承办人员" in form
    created = client.post(f"/office/complaints/new/?case={case.number}", {
        "provider": city.user("provider_a").provider_id, "channel": "counter", "complainant_kind": "recipient",
        "complainant_name": "李四", "phone": "13900000009", "category": "took_money",
        "facts": "律师要求另付交通费。", "received_on": timezone.localdate().isoformat()})
    complaint = Complaint.objects.get()
    assert created.status_code == 302 and created.url == f"/office/complaints/{complaint.public_id}/"
    page = client.get(created.url).content.decode()
    assert "律师要求另付交通费" in page and "京口区司法局" in page and "作出处理</button>" not in page
    client.post(f"/office/complaints/{complaint.public_id}/notify-provider/", {"points": "反映收取交通费。"})
    for _ in range(3):
        _record(city, case)
    with django_assert_max_num_queries(12):
        assert client.get("/office/complaints/").status_code == 200
    sign_in(client, city.user("bureau_a"))
    assert "作出处理</button>" in client.get(f"/office/complaints/{complaint.public_id}/").content.decode()
    client.post(f"/office/complaints/{complaint.public_id}/decide/", {
        "outcome": "substantiated", "findings": "经查属实，已责令退还。", "measures": ["correction", "subsidy"]})
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INFORMED
    sign_in(client, city.user("provider_a"))
    mine = client.get(f"/office/complaints/{complaint.public_id}/").content.decode()
    assert "反映收取交通费" in mine and "律师要求另付交通费" not in mine and "李四" not in mine
    assert "李四" not in client.get("/office/complaints/").content.decode()
    sign_in(client, city.user("reviewer_b"))
    assert client.get(f"/office/complaints/{complaint.public_id}/").status_code == 404
    assert complaints_visible_to(city.user("reviewer_b")).count() == 0
