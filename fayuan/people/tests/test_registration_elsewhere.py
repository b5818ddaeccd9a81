"""An ID number registered at another center is no oracle (issue 9 item 4).

A person is one identity city-wide. Registering a number another center knows links this center to the same
person (a ``PersonRegistration``) and answers exactly as for a new person: same status, message and redirect,
showing only what the clerk typed. The other center's values and cases stay as they were and out of sight.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.api.tokens import api_token_issue
from fayuan.cases.services import ApplicationInput, case_receive
from fayuan.conftest import valid_id
from fayuan.core.errors import Conflict
from fayuan.core.models import AuditEntry
from fayuan.people.models import Person, PersonRegistration
from fayuan.people.selectors import person_get_for_user, persons_visible_to
from fayuan.people.services import person_register, person_update

FORM = {"name": "张某", "phone": "13900000009", "address": "丹阳市某路 1 号", "household_registration": "丹阳市"}


def office_register(client: Client, city: Any, key: str, id_number: str) -> Any:
    sign_in(client, city.user(key))
    return client.post(reverse("people:new"), {**FORM, "id_number": id_number})


def api_register(city: Any, key: str, id_number: str) -> Any:
    token = api_token_issue(actor=None, user=city.user(key), name="测试")[1]
    return Client().post("/api/v1/people", {**FORM, "id_number": id_number}, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})


def _shape(response: Any, person: Person) -> Any:
    """The response with the person's own id taken out, for comparing a new and a linked registration."""
    return response.content.decode().replace(str(person.public_id), "<id>")


def test_office_form_answers_the_same_for_a_new_and_a_known_elsewhere_number(client, city):
    new = office_register(client, city, "reviewer_b", valid_id(41, area="321181"))
    known = office_register(client, city, "reviewer_b", valid_id(11))  # person_a, registered at center A
    assert new.status_code == known.status_code == 302
    new_person = Person.objects.get(id_number_masked__endswith=valid_id(41, area="321181")[-4:],
                                    intake_center=city.center_b)
    assert new["Location"] == reverse("people:detail", args=[new_person.public_id])
    assert known["Location"] == reverse("people:detail", args=[city.person_a.public_id])
    pages = [client.get(r["Location"]) for r in (new, known)]
    assert [p.status_code for p in pages] == [200, 200]
    # The known person's page shows what the clerk typed, as for a new one: nothing of center A's record.
    html = pages[1].content.decode()
    assert "张某" in html and "139****0009" in html
    assert "张三" not in html and "138****0001" not in html and city.center_a.name not in html
    assert "低保（" not in html  # center A's tag for person_a, as shown with its source


def test_api_answers_the_same_for_a_new_and_a_known_elsewhere_number(city):
    new = api_register(city, "reviewer_b", valid_id(42, area="321181"))
    known = api_register(city, "reviewer_b", valid_id(11))
    assert new.status_code == known.status_code == 201
    a, b = new.json(), known.json()
    assert set(a) == set(b)
    for body in (a, b):
        assert (body["name"], body["phone_masked"], body["address"]) == ("张某", "139****0009", "丹阳市某路 1 号")
        assert body["intake_center"] == city.center_b.name and body["tags"] == []
    assert b["public_id"] == str(city.person_a.public_id)


def test_the_person_is_not_duplicated_and_center_a_keeps_its_values(city):
    count = Person.objects.count()
    linked = person_register(actor=city.user("reviewer_b"), id_number=valid_id(11), **FORM)
    assert Person.objects.count() == count
    assert linked.pk == city.person_a.pk
    person_a = Person.objects.get(pk=city.person_a.pk)
    assert (person_a.name, person_a.phone, person_a.intake_center) == ("张三", "13800000001", city.center_a)
    registration = PersonRegistration.objects.get(person=person_a, center=city.center_b)
    assert (registration.name, registration.phone, registration.registered_by) == (
        "张某", "13900000009", city.user("reviewer_b"))
    assert AuditEntry.objects.filter(object_type="people.personregistration",
                                     object_id=str(registration.pk)).exists()
    # Center A still sees its own record; center B sees the person through its registration.
    seen_by_a = person_get_for_user(city.user("reviewer_a"), person_a.public_id, audit=False)
    seen_by_b = person_get_for_user(city.user("reviewer_b"), person_a.public_id, audit=False)
    assert (seen_by_a.name, seen_by_b.name) == ("张三", "张某")


def test_editing_through_the_registration_changes_only_the_registration(city):
    person_register(actor=city.user("reviewer_b"), id_number=valid_id(11), **FORM)
    person_update(actor=city.user("reviewer_b"), public_id=city.person_a.public_id, changes={"phone": "13900000010"})
    assert Person.objects.get(pk=city.person_a.pk).phone == "13800000001"
    assert PersonRegistration.objects.get(person=city.person_a).phone == "13900000010"


def test_the_other_centers_cases_stay_invisible(client, city):
    data = ApplicationInput(applicant_id=city.person_a.public_id, case_type="civil", matter="wages",
                            matter_summary="追索劳动报酬", household_size=3, household_monthly_income="3000.00")
    case = case_receive(actor=city.user("reviewer_a"), data=data)
    person_register(actor=city.user("reviewer_b"), id_number=valid_id(11), **FORM)
    sign_in(client, city.user("reviewer_b"))
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404
    token = api_token_issue(actor=None, user=city.user("reviewer_b"), name="测试")[1]
    api = Client().get(f"/api/v1/cases/{case.public_id}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404


def test_the_same_center_registering_again_is_told(city):
    with pytest.raises(Conflict):
        person_register(actor=city.user("reviewer_a"), name="重复", id_number=valid_id(11))
    person_register(actor=city.user("reviewer_b"), id_number=valid_id(11), **FORM)
    with pytest.raises(Conflict):
        person_register(actor=city.user("reviewer_b"), name="再次", id_number=valid_id(11))


def test_a_station_clerk_of_the_other_center_links_too(city):
    linked = person_register(actor=city.user("clerk_b"), id_number=valid_id(11), **FORM)
    assert linked.pk == city.person_a.pk
    assert persons_visible_to(city.user("clerk_b")).filter(pk=city.person_a.pk).exists()
    assert persons_visible_to(city.user("reviewer_b")).filter(pk=city.person_a.pk).exists()


def test_a_case_of_the_linking_center_shows_the_applicant_as_that_center_registered_them(client, city):
    person_register(actor=city.user("reviewer_b"), id_number=valid_id(11), **FORM)
    data = ApplicationInput(applicant_id=city.person_a.public_id, case_type="civil", matter="wages",
                            matter_summary="追索劳动报酬", household_size=3, household_monthly_income="3000.00")
    case = case_receive(actor=city.user("reviewer_b"), data=data)
    sign_in(client, city.user("reviewer_b"))
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "张某" in html and "139****0009" in html
    assert "张三" not in html and "138****0001" not in html
