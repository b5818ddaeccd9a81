"""Key rotation: every encrypted column is listed, and after ``reencrypt_fields`` the old key can be dropped."""

from __future__ import annotations

import io

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command

from fayuan.conftest import valid_id
from fayuan.notifications.models import ContactPreference
from fayuan.notifications.services import contact_preference_set
from fayuan.people.models import Person
from fayuan.privacy.keys import ENCRYPTED_COLUMNS


def test_every_encrypted_column_is_listed():
    found = {(m._meta.label, f.name) for m in apps.get_models() for f in m._meta.get_fields()
             if f.name.endswith("_encrypted")}
    listed = {(label, field) for label, fields in ENCRYPTED_COLUMNS.items() for field in fields}
    assert found <= listed, sorted(found - listed)


def test_rotation_reencrypts_so_the_old_key_can_go(city, settings):
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    contact_preference_set(actor=city.user("reviewer_a"), user=city.user("reviewer_a"), phone="13700000007")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("reencrypt_fields", stdout=out)
    assert "people.Person: 4" in out.getvalue(), out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    person = Person.objects.get(pk=city.person_a.pk)
    assert person.decrypted_id_number() == valid_id(11) and person.phone == "13800000001"
    assert ContactPreference.objects.get(user=city.user("reviewer_a")).phone == "13700000007"
