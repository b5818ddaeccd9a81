"""Providers marked as team members before this app (``org.Provider.excellent_team``) become members, so the flag
and the membership agree. Their date of admission is not known: the row is dated the day of the migration and
says so, and the center completes the profile. Reverse: a no-op."""

from django.db import migrations
from django.utils import timezone

NOTE = "本系统启用名优律师团管理前已入团，入团日期以启用日登记，待中心核对"
PROFILE = "（简介待中心补录）"


def load(apps, schema_editor):
    Provider = apps.get_model("org", "Provider")
    Member = apps.get_model("lawyer_team", "Member")
    today = timezone.localdate()
    for provider in Provider.objects.filter(excellent_team=True):
        if not Member.objects.filter(provider=provider, left_on__isnull=True).exists():
            Member.objects.create(provider=provider, admitted_on=today, profile=PROFILE, note=NOTE)


class Migration(migrations.Migration):
    dependencies = [("lawyer_team", "0001_initial"), ("org", "0006_defense_pool_rows")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
