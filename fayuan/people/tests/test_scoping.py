import pytest

from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction, AuditEntry
from fayuan.people.selectors import person_get_for_user, person_list_for_user, persons_visible_to


def _names(user):
    return set(persons_visible_to(user).values_list("name", flat=True))


def test_center_sees_its_own_intake_including_its_stations(city):
    assert _names(city.user("reviewer_a")) == {"张三", "李四", "赵六"}
    assert _names(city.user("director_a")) == {"张三", "李四", "赵六"}
    assert _names(city.user("reviewer_b")) == {"王五"}


def test_station_sees_only_its_own_intake(city):
    assert _names(city.user("clerk_a")) == {"李四"}
    assert _names(city.user("clerk_b")) == set()


def test_bureau_sees_everyone(city):
    assert _names(city.user("bureau")) == {"张三", "李四", "王五", "赵六"}


@pytest.mark.parametrize("username", ["sysadmin", "auditor", "organ_a", "provider_a", "duty_a"])
def test_roles_without_person_scope_see_nobody(city, username):
    assert _names(city.user(username)) == set()


def test_applicant_sees_only_themselves(city):
    assert _names(city.user("applicant")) == {"赵六"}


def test_single_read_outside_scope_raises_not_found(city):
    with pytest.raises(NotFoundOrForbidden):
        person_get_for_user(city.user("reviewer_b"), city.person_a.public_id)


def test_reading_details_is_audited_but_listing_is_not(city):
    before = AuditEntry.objects.filter(action=AuditAction.READ).count()
    list(person_list_for_user(city.user("reviewer_a")))
    assert AuditEntry.objects.filter(action=AuditAction.READ).count() == before
    person_get_for_user(city.user("reviewer_a"), city.person_a.public_id)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.actor_username, entry.object_id) == ("read", "reviewer_a", str(city.person_a.pk))


def test_list_search_by_name_and_tag(city):
    user = city.user("reviewer_a")
    assert [p.name for p in person_list_for_user(user, query="张")] == ["张三"]
    assert [p.name for p in person_list_for_user(user, tag="low_income_allowance")] == ["张三"]
