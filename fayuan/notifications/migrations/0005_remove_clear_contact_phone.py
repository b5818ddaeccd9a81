# The clear contact phone column goes once every number is encrypted (0004).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_encrypt_contact_phones")]

    operations = [migrations.RemoveField(model_name="contactpreference", name="phone")]
