"""Consultations: recorded by stations and centers (audited), listed within scope, 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.consultations import services
from fayuan.consultations.models import Consultation
from fayuan.consultations.selectors import consultations_visible_to
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry

LIST, NEW = "/office/consultations/", "/office/consultations/new/"


def _record(city, key, **extra):
    data = {"channel": "phone", "question": "老板拖欠三个月工资怎么办？",
            "advice": "可申请劳动仲裁，并可申请法律援助。"}
    data.update(extra)
    return services.consultation_record(actor=city.user(key), **data)


def test_urls_are_where_config_mounts_them():
    assert reverse("consultations:list") == LIST and reverse("consultations:new") == NEW


def test_a_clerk_records_an_anonymous_consultation_at_the_station(client, city):
    sign_in(client, city.user("clerk_a"))
    response = client.post(NEW, {"channel": "station", "caller_name": "王女士", "matter": "wages",
                                 "question": "工资被拖欠", "advice": "建议申请法律援助",
                                 "referred_to_application": "on"})
    assert response.status_code == 302 and response["Location"] == LIST
    consultation = Consultation.objects.get()
    assert consultation.station == city.station_a and consultation.center == city.center_a
    assert consultation.person is None and consultation.caller_name == "王女士"
    assert consultation.referred_to_application and consultation.recorded_by == city.user("clerk_a")
    assert AuditEntry.objects.filter(action="create", object_type="intake.consultation").exists()
    html = client.get(LIST).content.decode()
    assert "王女士" in html and "请求支付劳动报酬" in html and "已引导申请" in html


def test_a_center_records_a_consultation_of_a_registered_person(client, city):
    sign_in(client, city.user("reviewer_a"))
    form = client.get(NEW, {"person": str(city.person_a.public_id)}).content.decode()
    assert f'<option value="{city.person_a.public_id}" selected>' in form
    response = client.post(NEW, {"channel": "counter", "person": str(city.person_a.public_id),
                                 "question": "离婚后抚养费", "advice": "可以起诉要求支付抚养费"})
    assert response.status_code == 302
    assert Consultation.objects.get().person == city.person_a


def test_missing_question_and_advice_are_422_with_messages_and_nothing_saved(client, city):
    sign_in(client, city.user("reviewer_a"))
    response = client.post(NEW, {"channel": "phone", "question": "", "advice": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写咨询的问题。" in html and "请填写解答意见。" in html
    assert not Consultation.objects.exists()


def test_a_person_outside_scope_cannot_be_attached(client, city):
    sign_in(client, city.user("clerk_a"))  # person_a was registered at center A, not at the clerk's station
    response = client.post(NEW, {"channel": "station", "person": str(city.person_a.public_id),
                                 "question": "问题", "advice": "解答"})
    assert response.status_code == 422
    assert not Consultation.objects.exists()


def test_lists_are_scoped(client, city):
    at_station = _record(city, "clerk_a", caller_name="站点来访")
    at_center = _record(city, "reviewer_a", caller_name="中心来电")
    elsewhere = _record(city, "reviewer_b", caller_name="丹阳来电")
    seen = {key: set(consultations_visible_to(city.user(key))) for key in
            ("clerk_a", "reviewer_a", "director_a", "bureau", "clerk_b", "provider_a", "auditor")}
    assert seen["clerk_a"] == {at_station}
    assert seen["reviewer_a"] == seen["director_a"] == {at_station, at_center}
    assert seen["bureau"] == {at_station, at_center, elsewhere}
    assert seen["clerk_b"] == seen["provider_a"] == seen["auditor"] == set()
    sign_in(client, city.user("reviewer_b"))
    html = client.get(LIST).content.decode()
    assert "丹阳来电" in html and "中心来电" not in html


def test_list_filters_and_htmx_partial(client, city):
    _record(city, "reviewer_a", caller_name="甲", channel="phone", question="工资问题")
    _record(city, "reviewer_a", caller_name="乙", channel="counter", question="婚姻问题")
    sign_in(client, city.user("reviewer_a"))
    html = client.get(client.post(LIST, {"channel": "counter"})["Location"]).content.decode()
    assert "乙" in html and ">甲<" not in html
    response = client.post(LIST, {"q": "工资"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    partial = response.content.decode()
    assert "<html" not in partial and "甲" in partial and "婚姻问题" not in partial
    assert "工资" not in response["HX-Push-Url"] and "?s=" in response["HX-Push-Url"]


def test_a_search_in_the_url_is_ignored(client, city):
    _record(city, "reviewer_a", caller_name="甲", channel="phone", question="工资问题")
    _record(city, "reviewer_a", caller_name="乙", channel="counter", question="婚姻问题")
    sign_in(client, city.user("reviewer_a"))
    html = client.get(LIST, {"q": "工资"}).content.decode()
    assert "工资问题" in html and "婚姻问题" in html


@pytest.mark.parametrize("key", ["provider_a", "duty_a", "organ_a", "sysadmin", "auditor", "applicant"])
def test_roles_without_consultations_get_404(client, city, key):
    sign_in(client, city.user(key))
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, {"channel": "phone", "question": "q", "advice": "a"}).status_code == 404
    assert not Consultation.objects.exists()


def test_the_bureau_reads_but_does_not_record(client, city):
    sign_in(client, city.user("bureau"))
    assert client.get(LIST).status_code == 200
    assert client.get(NEW).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, city):
    for response in (client.get(LIST), client.get(NEW), client.post(NEW, {})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_service_refuses_other_roles_and_bad_input(city):
    with pytest.raises(PermissionDenied):
        _record(city, "provider_a")
    with pytest.raises(ValidationFailed) as exc:
        _record(city, "reviewer_a", channel="fax", question=" ", matter="nonsense")
    assert set(exc.value.errors) == {"channel", "question", "matter"}
    assert not Consultation.objects.exists()
