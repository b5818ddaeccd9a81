"""People through the API: scoped list and detail with the ID number masked, audited reads, registration."""

from __future__ import annotations

import pytest

from fayuan.conftest import valid_id
from fayuan.core.models import AuditEntry
from fayuan.people.models import Person

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


def test_list_shows_only_people_in_scope_with_masked_ids(city, as_user):
    data = as_user("reviewer_a").get("/people").json()
    names = {p["name"] for p in data["items"]}
    assert names == {"张三", "李四", "赵六"} and data["count"] == 3
    for item in data["items"]:
        person = Person.objects.get(public_id=item["public_id"])
        assert item["id_number_masked"] == person.id_number_masked
        assert person.decrypted_id_number() not in str(item)
    assert {p["name"] for p in as_user("reviewer_b").get("/people").json()["items"]} == {"王五"}
    assert {p["name"] for p in as_user("clerk_a").get("/people").json()["items"]} == {"李四"}
    tagged = as_user("reviewer_a").get("/people", tag="low_income_allowance").json()
    assert [p["name"] for p in tagged["items"]] == ["张三"]
    [tag] = tagged["items"][0]["tags"]
    assert tag["code"] == "low_income_allowance" and tag["source"] == "self_declared" and tag["name"]


def test_detail_is_audited_and_never_shows_the_full_id_number(city, as_user):
    person = city.person_a
    response = as_user("reviewer_a").get(f"/people/{person.public_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["id_number_masked"] == person.id_number_masked and data["phone_masked"] == "138****0001"
    assert person.decrypted_id_number() not in response.content.decode()
    assert "id_number" not in data
    assert AuditEntry.objects.filter(action="read", object_type="people.person", object_id=str(person.pk)).count() == 1


def test_people_are_404_for_another_center_and_401_for_anonymous(city, as_user, anonymous):
    path = f"/people/{city.person_a.public_id}"
    assert as_user("reviewer_b").get(path).status_code == 404
    assert as_user("reviewer_b").get(path).json()["detail"] == "未找到该记录，或您无权查看。"
    assert anonymous.get(path).status_code == 401
    assert anonymous.get("/people").status_code == 401
    assert anonymous.post("/people", {"name": "钱七"}).status_code == 401
    assert not AuditEntry.objects.filter(action="read", object_type="people.person", actor__username="reviewer_b")


def test_register_at_own_center_only(city, as_user):
    reviewer_b = as_user("reviewer_b")
    refused = reviewer_b.post("/people", {"name": "钱七", "intake_station": city.station_a.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"intake_station": ["所选工作站不属于您所在的中心。"]}
    created = reviewer_b.post("/people", {"name": "钱七", "id_number": valid_id(21, area="321181"),
                                          "tags": ["low_income_allowance"]})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["intake_center"] == "丹阳市法律援助中心" and data["id_number_masked"].count("*") >= 8
    assert as_user("reviewer_a").get(f"/people/{data['public_id']}").status_code == 404


def test_duplicate_id_number_is_409_and_bad_input_422(city, as_user):
    reviewer = as_user("reviewer_a")
    duplicate = reviewer.post("/people", {"name": "张三", "id_number": valid_id(11)})
    assert duplicate.status_code == 409 and duplicate.json()["errors"] == {"id_number": [duplicate.json()["detail"]]}
    bad = reviewer.post("/people", {"name": "", "id_number": "123", "nickname": "x"})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"name", "nickname"}
    bad_id = reviewer.post("/people", {"name": "孙八", "id_number": "123"})
    assert bad_id.status_code == 422 and list(bad_id.json()["errors"]) == ["id_number"]


def test_roles_that_may_not_register_get_403(city, as_user):
    response = as_user("provider_a").post("/people", {"name": "钱七"})
    assert response.status_code == 403 and response.json()["detail"] == "您的角色不能登记人员。"
