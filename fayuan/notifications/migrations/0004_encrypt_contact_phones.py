# Encrypt, hash and mask the contact phones stored in clear; the reverse writes them back.
from django.db import migrations

from fayuan.core.crypto import decrypt_text, phone_lookup_hash, phone_protect


def encrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("notifications", "ContactPreference")
    for row in model.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=500):
        row.phone_encrypted, row.phone_hash, row.phone_masked = phone_protect(row.phone)
        row.save(update_fields=["phone_encrypted", "phone_hash", "phone_masked"])
    sms = apps.get_model("notifications", "SmsMessage")
    for message in sms.objects.filter(phone_hash="").only("pk", "phone_encrypted").iterator(chunk_size=500):
        message.phone_hash = phone_lookup_hash(decrypt_text(message.phone_encrypted))
        message.save(update_fields=["phone_hash"])


def decrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("notifications", "ContactPreference")
    for row in model.objects.exclude(phone_encrypted="").only("pk", "phone_encrypted").iterator(chunk_size=500):
        row.phone = decrypt_text(row.phone_encrypted)[:11]
        row.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_contact_phone_protected_columns")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=True)]
