# Encrypt, hash and mask the phone numbers already stored in clear; the reverse writes them back in clear.
from django.db import migrations

from fayuan.core.crypto import decrypt_text, phone_protect

MODELS = ("Person", "PersonRegistration")


def encrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in MODELS:
        model = apps.get_model("people", name)
        for row in model.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=500):
            row.phone_encrypted, row.phone_hash, row.phone_masked = phone_protect(row.phone)
            row.save(update_fields=["phone_encrypted", "phone_hash", "phone_masked"])


def decrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in MODELS:
        model = apps.get_model("people", name)
        for row in model.objects.exclude(phone_encrypted="").only("pk", "phone_encrypted").iterator(chunk_size=500):
            row.phone = decrypt_text(row.phone_encrypted)[:20]
            row.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("people", "0005_phone_protected_columns")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=True)]
