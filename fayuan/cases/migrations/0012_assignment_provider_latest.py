"""When a provider was last assigned a case (the rotation's tie-break, read for every case page that ranks
providers): one entry of the (provider, assigned_at) index instead of the maximum over all their assignments.
Built without blocking the assignments written meanwhile (core/online_index.py)."""

from django.db import migrations, models

from fayuan.core.online_index import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("cases", "0011_next_due_without_paused")]

    operations = [
        AddIndexOnline(
            model_name="assignment",
            index=models.Index(fields=["provider", "-assigned_at"], name="assignment_provider_latest"),
        ),
    ]
