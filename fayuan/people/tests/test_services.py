import datetime as dt

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.conftest import valid_id
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction, AuditEntry
from fayuan.people.models import Person
from fayuan.people.services import person_register, person_reveal_id_number, person_update


def test_register_encrypts_masks_and_derives_gender_and_birth(city):
    p = person_register(actor=city.user("reviewer_a"), name="钱七", id_number="11010519491231002X")
    p.refresh_from_db()
    assert (p.gender, p.birth_date) == ("F", dt.date(1949, 12, 31))
    assert p.id_number_masked == "1101**********002X"
    assert "11010519491231002X" not in p.id_number_encrypted
    assert p.decrypted_id_number() == "11010519491231002X"
    assert p.intake_center == city.center_a and p.intake_station is None


def test_station_clerk_registers_at_their_station(city):
    p = person_register(actor=city.user("clerk_a"), name="孙八")
    assert (p.intake_center, p.intake_station) == (city.center_a, city.station_a)


def test_bad_id_number_is_refused_with_reason_and_changes_nothing(city):
    count, audits = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        person_register(actor=city.user("reviewer_a"), name="钱七", id_number="110105194912310021")
    assert exc.value.field == "id_number"
    assert "校验码" in exc.value.message
    assert (Person.objects.count(), AuditEntry.objects.count()) == (count, audits)


def test_duplicate_id_number_in_the_same_center_is_a_conflict_and_changes_nothing(city):
    # Another center's number is linked instead, with the answer of a new registration: test_registration_elsewhere.
    count = Person.objects.count()
    with pytest.raises(Conflict):
        person_register(actor=city.user("reviewer_a"), name="重复", id_number=valid_id(11))
    assert Person.objects.count() == count


def test_unknown_tag_is_refused_and_nothing_is_saved(city):
    count = Person.objects.count()
    with pytest.raises(ValidationFailed, match="未知的人员标签"):
        person_register(actor=city.user("reviewer_a"), name="钱七", tag_codes=["nonsense"])
    assert Person.objects.count() == count


@pytest.mark.parametrize("username", ["provider_a", "bureau", "sysadmin", "auditor", "applicant", "organ_a"])
def test_roles_that_may_not_register(city, username):
    with pytest.raises(PermissionDenied):
        person_register(actor=city.user(username), name="钱七")


def test_audit_of_create_and_update_names_fields_never_values(city):
    p = person_register(actor=city.user("reviewer_a"), name="钱七", id_number="11010519491231002X", phone="139")
    person_update(actor=city.user("reviewer_a"), public_id=p.public_id, changes={"phone": "13900000000"})
    entries = AuditEntry.objects.filter(object_id=str(p.pk)).order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].detail == {"fields": ["phone"]}
    dumped = str([e.detail for e in entries])
    assert "11010519491231002X" not in dumped and "13900000000" not in dumped


def test_update_outside_scope_is_not_found(city):
    from fayuan.core.errors import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        person_update(actor=city.user("reviewer_b"), public_id=city.person_a.public_id, changes={"name": "x"})


def test_reveal_requires_purpose_and_records_it(city):
    user = city.user("reviewer_a")
    with pytest.raises(ValidationFailed, match="用途"):
        person_reveal_id_number(actor=user, public_id=city.person_a.public_id, purpose=" ")
    number = person_reveal_id_number(actor=user, public_id=city.person_a.public_id, purpose="核对申请人身份")
    assert number == valid_id(11)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.purpose, entry.actor_username) == (AuditAction.REVEAL, "核对申请人身份", "reviewer_a")


def test_bureau_may_read_but_not_reveal(city):
    with pytest.raises(PermissionDenied):
        person_reveal_id_number(actor=city.user("bureau"), public_id=city.person_a.public_id, purpose="统计")


def test_form_with_bad_id_shows_chinese_message_and_creates_nothing(client, city):
    sign_in(client, city.user("reviewer_a"))
    count = Person.objects.count()
    response = client.post(reverse("people:new"), {"name": "钱七", "id_number": "110105194902310021"})
    assert response.status_code == 422
    assert "不是真实存在的日期" in response.content.decode()
    assert Person.objects.count() == count


def test_form_registers_and_detail_shows_only_masked_number(client, city):
    sign_in(client, city.user("reviewer_a"))
    response = client.post(reverse("people:new"), {"name": "钱七", "id_number": "11010519491231002X",
                                                  "tags": ["elderly"]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1101**********002X" in page and "11010519491231002X" not in page


def test_reveal_view_shows_number_once_and_is_not_cached(client, city):
    sign_in(client, city.user("reviewer_a"))
    url = reverse("people:reveal", args=[city.person_a.public_id])
    assert client.post(url, {"purpose": ""}).status_code == 422
    response = client.post(url, {"purpose": "核对申请人身份"})
    assert valid_id(11) in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_find_by_id_number_uses_post_and_respects_scope(client, city):
    sign_in(client, city.user("reviewer_a"))
    found = client.post(reverse("people:find"), {"id_number": valid_id(11)})
    assert found["Location"] == reverse("people:detail", args=[city.person_a.public_id])
    hidden = client.post(reverse("people:find"), {"id_number": valid_id(15, area="321181")})
    assert hidden["Location"] == reverse("people:list")
