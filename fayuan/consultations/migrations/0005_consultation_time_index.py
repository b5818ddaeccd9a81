"""The city bureau's consultations list reads the newest consultations of every center: without an index on the
list's order (newest first, ties by id) PostgreSQL sorted all of them for each page, 1.3 s at 800,000 over a
country's 3,000 centers. On PostgreSQL the index is built on the parent table, which builds it on every yearly
partition."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("intake", "0004_consultation_index_with_id")]

    operations = [
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["occurred_at", "id"], name="consultation_time"),
        ),
    ]
