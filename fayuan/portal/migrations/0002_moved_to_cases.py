# ProviderChangeRequest and CenterPortalSettings now belong to cases (see cases 0002): state only, the tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("cases", "0002_moved_from_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ProviderChangeRequest"),
                migrations.DeleteModel(name="CenterPortalSettings"),
            ],
        ),
    ]
