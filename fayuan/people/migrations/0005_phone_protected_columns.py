# Phone numbers are encrypted at rest like ID numbers (issue 9 item 7): the new columns first, filled by 0006, then
# the clear column goes in 0007. Three migrations, so that on PostgreSQL the rows are rewritten in a transaction of
# their own, apart from the ALTER TABLEs.
from django.db import migrations, models


def _columns(model_name: str, label: str) -> list[migrations.AddField]:
    return [
        migrations.AddField(model_name=model_name, name="phone_encrypted",
                            field=models.TextField(blank=True, editable=False, verbose_name=f"{label}（密文）")),
        migrations.AddField(model_name=model_name, name="phone_hash",
                            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
        migrations.AddField(model_name=model_name, name="phone_masked",
                            field=models.CharField(blank=True, editable=False, max_length=24, verbose_name=label)),
    ]


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_registration")]

    operations = [*_columns("person", "联系电话"), *_columns("personregistration", "联系电话")]
