"""The data migrations encrypt the phone numbers already stored in clear (people, registrations, contact
preferences), on SQLite and PostgreSQL alike, and the way back restores them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fayuan.core.crypto import decrypt_text, phone_lookup_hash

BEFORE = [("people", "0004_person_registration"), ("notifications", "0002_smsmessage_smslog_message")]
AFTER = [("people", "0007_remove_clear_phones"), ("notifications", "0005_remove_clear_contact_phone")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_existing_clear_phones_are_encrypted_hashed_and_masked(city):
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    Person = apps.get_model("people", "Person")
    Registration = apps.get_model("people", "PersonRegistration")
    Preference = apps.get_model("notifications", "ContactPreference")
    Person.objects.filter(pk=city.person_a.pk).update(phone="13800000001")
    Person.objects.filter(pk=city.person_b.pk).update(phone="")
    Registration.objects.create(person_id=city.person_a.pk, center_id=city.center_b.pk, name="张某",
                                phone="0511-85001234", registered_by_id=city.user("reviewer_b").pk,
                                registered_at=timezone.now())
    Preference.objects.update_or_create(user_id=city.user("reviewer_a").pk, defaults={"phone": "13700000007"})

    apps = _migrate(AFTER).loader.project_state(AFTER).apps
    person = apps.get_model("people", "Person").objects.get(pk=city.person_a.pk)
    assert decrypt_text(person.phone_encrypted) == "13800000001" and person.phone_masked == "138****0001"
    assert person.phone_hash == phone_lookup_hash("13800000001")
    blank = apps.get_model("people", "Person").objects.get(pk=city.person_b.pk)
    assert (blank.phone_encrypted, blank.phone_hash, blank.phone_masked) == ("", "", "")
    registration = apps.get_model("people", "PersonRegistration").objects.get(person_id=city.person_a.pk)
    assert decrypt_text(registration.phone_encrypted) == "0511-85001234"
    pref = apps.get_model("notifications", "ContactPreference").objects.get(user_id=city.user("reviewer_a").pk)
    assert pref.phone_hash == phone_lookup_hash("13700000007")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_encrypted, phone_masked FROM people_person WHERE id = %s", [city.person_a.pk])
        assert "13800000001" not in " ".join(cursor.fetchone())

    # The way back writes the numbers in clear again (a rollback of the release).
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    assert apps.get_model("people", "Person").objects.get(pk=city.person_a.pk).phone == "13800000001"
    _migrate(AFTER)
