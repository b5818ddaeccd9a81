"""The consultations list's index ends with id: the list orders newest first with ties by id, and without id in the
index every consultation sharing a time was fetched and sorted for each page. On PostgreSQL the table is partitioned
by year: the index is dropped and built on the parent, which does the same on every partition."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("intake", "0003_consultations_by_year")]

    operations = [
        migrations.RemoveIndex(model_name="consultation", name="intake_cons_center__c2c3ba_idx"),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["center", "occurred_at", "id"], name="consultation_center_time"),
        ),
    ]
