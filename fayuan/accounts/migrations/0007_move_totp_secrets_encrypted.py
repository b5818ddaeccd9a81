"""Move every django-otp TOTPDevice into the encrypted Authenticator table and delete the clear-text rows.

A session verified with an old device must enter a code again (its device id is gone): the price of never
leaving a clear secret behind. Backwards: the secrets go back to TOTPDevice in clear."""

from django.db import migrations

FIELDS = ("user_id", "name", "confirmed", "step", "t0", "digits", "tolerance", "drift", "last_t",
          "throttling_failure_timestamp", "throttling_failure_count", "created_at", "last_used_at")


def forwards(apps, schema_editor):
    from fayuan.core.crypto import encrypt_text

    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    Authenticator = apps.get_model("accounts", "Authenticator")
    for old in TOTPDevice.objects.order_by("pk"):
        Authenticator.objects.create(key_encrypted=encrypt_text(old.key),
                                     **{f: getattr(old, f) for f in FIELDS})
    TOTPDevice.objects.all().delete()


def backwards(apps, schema_editor):
    from fayuan.core.crypto import decrypt_text

    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    Authenticator = apps.get_model("accounts", "Authenticator")
    for new in Authenticator.objects.order_by("pk"):
        TOTPDevice.objects.create(key=decrypt_text(new.key_encrypted), **{f: getattr(new, f) for f in FIELDS})
    Authenticator.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_encrypted_authenticator"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
