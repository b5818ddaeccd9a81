"""Every column that holds a Fernet token (``core.crypto.encrypt_text``), for key rotation: after a new key is put
first in FIELD_ENCRYPTION_KEYS, ``manage.py reencrypt_fields`` rewrites each token under it; then the old key can
go. A new encrypted column must be listed here (``test_keys`` fails on a model field named ``*_encrypted`` that is
not)."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from fayuan.core.crypto import reencrypt_text

ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "people.Person": ("id_number_encrypted", "phone_encrypted"),
    "accounts.Authenticator": ("key_encrypted",),
    "people.PersonRegistration": ("phone_encrypted",),
    "notifications.ContactPreference": ("phone_encrypted",),
    "notifications.SmsMessage": ("phone_encrypted", "body_encrypted", "params_encrypted"),
    "portal.PortalAccount": ("phone_encrypted",),
    "portal.ApplicationDraft": ("payload",),
    "portal.PortalSubmission": ("declared",),
    "custody.RightsNotification": ("id_number_encrypted",),
    "complaints.Complaint": ("phone_encrypted",),
    "outreach.HouseholdMember": ("id_number_encrypted",),
    "registry.RegistryRecord": ("id_number_encrypted",),
    "prison_visits.Appointment": ("inmate_number_encrypted",),
}
BATCH = 500


def reencrypt_all(on_progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Re-encrypt every listed token under the newest key, a batch per transaction; returns rows per model.
    Safe to run again or after an interruption: a token already under the newest key is simply rewritten."""
    done: dict[str, int] = {}
    for label, fields in ENCRYPTED_COLUMNS.items():
        model = apps.get_model(label)
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        count = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                for row in model._default_manager.select_for_update().filter(pk__in=ids[start:start + BATCH]):
                    changed = [f for f in fields if getattr(row, f)]
                    for field in changed:
                        setattr(row, field, reencrypt_text(getattr(row, field)))
                    if changed:
                        model._default_manager.filter(pk=row.pk).update(**{f: getattr(row, f) for f in changed})
                        count += 1
            if on_progress:
                on_progress(label, count)
        done[label] = count
    return done
