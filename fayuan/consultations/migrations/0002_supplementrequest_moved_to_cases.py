# SupplementRequest now belongs to cases (see cases 0005): state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0001_initial"),
        ("cases", "0005_supplementrequest_moved_from_intake"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="SupplementRequest")],
        ),
    ]
