# A contact phone (staff reminders, an applicant's SMS number) is encrypted at rest with a keyed hash for lookup
# (issue 9 item 7): new columns here, filled by 0004, the clear column removed by 0005. An SMS gets the keyed hash
# of its number too, for a person's data export.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_smsmessage_smslog_message")]

    operations = [
        migrations.AddField(model_name="contactpreference", name="phone_encrypted",
                            field=models.TextField(blank=True, editable=False, verbose_name="手机号码（密文）")),
        migrations.AddField(model_name="contactpreference", name="phone_hash",
                            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
        migrations.AddField(model_name="contactpreference", name="phone_masked",
                            field=models.CharField(blank=True, editable=False, max_length=24, verbose_name="手机号码")),
        migrations.AddField(model_name="smsmessage", name="phone_hash",
                            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
    ]
