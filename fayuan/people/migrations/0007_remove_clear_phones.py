# The clear phone column goes once every number is encrypted (0006).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0006_encrypt_existing_phones")]

    operations = [
        migrations.RemoveField(model_name="person", name="phone"),
        migrations.RemoveField(model_name="personregistration", name="phone"),
    ]
